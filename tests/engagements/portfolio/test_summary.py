"""The one-page summary: goals, plan status, commitments, health in words, the latest log; shared content only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Partnership
from engagements.selectors.health import health_for
from engagements.selectors.partnerships import (
    SUMMARY_CLOSED_COMMITMENTS,
    SUMMARY_GOALS,
    SUMMARY_OPEN_COMMITMENTS,
    SUMMARY_TRUST_ENTRIES,
)
from tests.conftest import client_for
from tests.engagements.portfolio.conftest import build_summary_partnership, give_every_health_part, grow


def url_of(partnership: Partnership) -> str:
    return f"/partnerships/{partnership.pk}/summary/"


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    return build_summary_partnership(facilitator, org_a)


@pytest.mark.django_db
def test_it_shows_goals_plan_commitments_health_and_the_latest_log(facilitator, partnership, org_a) -> None:
    html = main_of(client_for(facilitator).get(url_of(partnership)).content.decode())
    assert '<h1 id="summary-heading">Mangrove Pesisir Demak</h1>' in html
    assert "Karang Taruna Tunas Harapan (Lead)" in html and "Kelompok Nelayan Bahari (Member)" in html
    # Goals, with their progress in words.
    assert "Tanam 1000 bibit mangrove" in html and "target 1,000 by 31 Dec 2026" in html
    # The plan: its revision, its activities by status, the next ones with who is accountable.
    assert "Agreed as revision 1 on" in html
    assert "Planned: <strong>5</strong>" in html and "Done: <strong>0</strong>" in html
    assert "Kegiatan 1" in html and "Kegiatan 3" in html and "Kegiatan 4" not in html
    assert "Accountable: Karang Taruna Tunas Harapan" in html
    # Commitments: the counts, then the open ones first.
    assert "1 open" in html and "1 overdue" in html and "1 kept" in html
    assert html.index("Kirim laporan kas bulanan") < html.index("Cari pendamping teknis")
    assert "(overdue)" in html
    # Health: the score and each part in words.
    health = health_for(partnership)
    assert health.value is not None and f"{health.value} of 100" in html
    assert len(health.parts) >= 3 and all(part.explanation in html for part in health.parts)
    assert "Commitments kept on time" in html and "Open risks: 1 high, 0 medium, 0 low." in html
    # The latest log, newest first.
    assert "Budget shared — Anggaran dibagikan ke semua anggota" in html
    assert "Plan revision agreed: Revision 1" in html


@pytest.mark.django_db
def test_it_holds_shared_content_only_whoever_reads_it(facilitator, partner_a, partnership) -> None:
    for user in (facilitator, partner_a):
        response = client_for(user).get(url_of(partnership))
        assert response.status_code == 200
        html = main_of(response.content.decode())
        assert "Kirim laporan kas bulanan" in html and "Anggaran dibagikan ke semua anggota" in html
        assert "RAHASIA" not in html
        assert "Sumirah" not in html  # a person's name never goes on paper
        assert "Catatan internal fasilitator" not in html


@pytest.mark.django_db
def test_it_answers_404_for_a_partnership_of_another_group(partner_b, partnership, facilitator) -> None:
    assert client_for(partner_b).get(url_of(partnership)).status_code == 404
    assert client_for(facilitator).get("/partnerships/999999/summary/").status_code == 404
    response = client_for(None).get(url_of(partnership))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(facilitator).post(url_of(partnership)).status_code == 405


@pytest.mark.django_db
def test_it_keeps_each_list_short_enough_for_one_page(facilitator, partnership, org_a) -> None:
    grow(partnership, facilitator, org_a)
    html = main_of(client_for(facilitator).get(url_of(partnership)).content.decode())
    goals = html[html.index("summary-goals-heading") : html.index("summary-plan-heading")]
    assert goals.count("<li>") == SUMMARY_GOALS and "And 25 more goals." in goals
    commitments = html[html.index("summary-commitments-heading") : html.index("summary-health-heading")]
    assert commitments.count("<tr>") == 1 + SUMMARY_OPEN_COMMITMENTS + SUMMARY_CLOSED_COMMITMENTS
    assert "41 open" in commitments
    trust = html[html.index("summary-trust-heading") :]
    assert trust.count("<li>") == SUMMARY_TRUST_ENTRIES


@pytest.mark.django_db
def test_it_costs_the_same_queries_small_and_large(facilitator, partner_a, partnership, org_a) -> None:
    give_every_health_part(partnership, facilitator)  # the same parts at both sizes: the same queries
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            grow(partnership, facilitator, org_a, every_health_part=False)
        for user in (facilitator, partner_a):
            client = client_for(user)
            client.get(url_of(partnership))  # the session's last-seen time is saved once a minute, not in the count
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url_of(partnership)).status_code == 200
            counts[size, user.username] = len(queries)
    assert counts["small", "fasilitator"] == counts["large", "fasilitator"]
    assert counts["small", "mitra_a"] == counts["large", "mitra_a"]
