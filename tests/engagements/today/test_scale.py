"""Today and its lists cost the same number of queries however many partnerships the facilitator has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.selectors import dashboard
from engagements.selectors.dashboard import COUNT_CAP, KINDS, LIMIT
from tests.conftest import client_for
from tests.engagements.today.scale import build_portfolio

pytestmark = pytest.mark.django_db

# Items of a kind in each partnership of the portfolio (one of each other kind): an overdue commitment and a
# kept one to confirm; a follow-up with each of its two groups; four things its partner member did.
PER_PARTNERSHIP = {"commitments": 2, "follow-ups": 2, "updates": 4}
TODAY = reverse("engagements:today")


def measured(client: Client, address: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured), response


def counts_for(partnerships: int) -> dict[str, int]:
    return {kind: partnerships * PER_PARTNERSHIP.get(kind, 1) for kind in KINDS}


def test_it_costs_today_the_same_queries_at_10_and_2000_partnerships(facilitator) -> None:
    client = client_for(facilitator)
    build_portfolio(facilitator, 10)
    client.get(TODAY)  # the first visit ever writes its row: the same two queries as any later one
    at_10, response = measured(client, TODAY)
    page = response.context["page"]
    assert {section.kind: section.count for section in page.sections} == counts_for(10)

    assert not any(section.capped for section in page.sections)

    build_portfolio(facilitator, 1990, start=10)
    at_2000, response = measured(client, TODAY)
    page = response.context["page"]
    # Past COUNT_CAP Today says "99+"; the full lists count everything (below).
    assert {section.kind: (section.count, section.capped) for section in page.sections} == {
        kind: (COUNT_CAP, True) for kind in KINDS
    }
    assert all(len(section.items) == LIMIT for section in page.sections)
    assert at_2000 == at_10
    nav = response.content.decode()
    assert nav.count(f'<span class="today-count">{COUNT_CAP}+</span>') == len(KINDS)


def test_it_costs_every_full_list_the_same_queries_at_10_and_300_partnerships(facilitator) -> None:
    addresses = [reverse("engagements:today_list", args=[kind]) for kind in KINDS]
    client = client_for(facilitator)
    build_portfolio(facilitator, 10)
    client.get(TODAY)
    at_10 = {address: measured(client, address)[0] for address in addresses}
    build_portfolio(facilitator, 290, start=10)
    at_300 = {}
    for address in addresses:
        at_300[address], response = measured(client, address)
        assert response.context["list"].page.paginator.count >= 300, address
    assert at_300 == at_10


def test_a_count_is_exact_up_to_the_cap_and_says_more_past_it(facilitator, monkeypatch) -> None:
    monkeypatch.setattr(dashboard, "COUNT_CAP", 10)
    client = client_for(facilitator)
    build_portfolio(facilitator, 10)
    client.get(TODAY)
    page = measured(client, TODAY)[1].context["page"]
    found = {section.kind: (section.count, section.capped, section.count_text) for section in page.sections}
    assert found["check-ins"] == (10, False, "10")  # exactly the cap: exact
    assert found["commitments"] == (10, True, "10+")  # 20
    assert found["updates"] == (10, True, "10+")  # 40, counted around the union
