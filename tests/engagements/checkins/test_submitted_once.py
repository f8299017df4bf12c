"""A check-in form sent twice (an offline queue, a double tap) logs one check-in; the pieces of the offline app."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from engagements.models import CheckIn
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()])


def form_key(client, partnership) -> str:
    page = client.get(f"/partnerships/{partnership.pk}/check-ins/new/").content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f]{32})"', page).group(1)


def entry(key: str, summary: str = "Membahas jadwal pembibitan") -> dict[str, str]:
    held_at = timezone.localtime(timezone.now() - datetime.timedelta(hours=2))
    return {"held_at": held_at.strftime("%Y-%m-%dT%H:%M"), "channel": "in_person", "summary": summary,
            "submission_key": key}  # fmt: skip


def test_the_form_opens_with_a_new_key_each_time(facilitator, partnership) -> None:
    client = client_for(facilitator)
    assert form_key(client, partnership) != form_key(client, partnership)


def test_the_same_submission_sent_twice_logs_one_check_in(facilitator, partnership) -> None:
    client = client_for(facilitator)
    key = form_key(client, partnership)
    first = client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key))
    again = client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key, summary="dikirim ulang"))

    check_in = CheckIn.objects.get()
    assert check_in.summary == "Membahas jadwal pembibitan"
    assert first["Location"] == again["Location"] == f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/"
    page = client.get(again["Location"]).content.decode()
    assert "This check-in was logged already." in page
    assert partnership.trust_entries.filter(kind="check_in_held").count() == 1


def test_two_different_forms_log_two_check_ins(facilitator, partnership) -> None:
    client = client_for(facilitator)
    for _ in range(2):
        client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(form_key(client, partnership)))
    assert CheckIn.objects.count() == 2


@pytest.mark.parametrize("key", ["", "not-a-key", "A" * 32, "'; DROP TABLE engagements_checkin; --"])
def test_a_missing_or_malformed_key_counts_as_none(facilitator, partnership, key: str) -> None:
    client = client_for(facilitator)
    for _ in range(2):
        response = client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key))
        assert response.status_code == 302
    assert CheckIn.objects.count() == 2
    assert set(CheckIn.objects.values_list("submission_key", flat=True)) == {""}


def test_a_key_used_in_another_partnership_is_refused_with_a_message(facilitator, partnership, org_b) -> None:
    other = build_partnership(user=facilitator, organizations=[org_b, OrganizationFactory()])
    client = client_for(facilitator)
    key = form_key(client, partnership)
    client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key))

    response = client.post(f"/partnerships/{other.pk}/check-ins/new/", entry(key))
    assert response.status_code == 200
    assert "This form was sent already for another partnership" in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_the_key_of_another_partnerships_check_in_does_not_reveal_it(facilitator, partner_b, partnership) -> None:
    """Only facilitators of the partnership may post its form: anyone else answers 404/403 before any key is read."""
    client = client_for(facilitator)
    key = form_key(client, partnership)
    client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key))
    response = client_for(partner_b).post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key))
    assert response.status_code in (403, 404)
    assert "check-ins/" not in response.get("Location", "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two requests at once need PostgreSQL's concurrency")
def test_the_same_submission_sent_twice_at_once_logs_one_check_in(facilitator, partnership) -> None:
    key = form_key(client_for(facilitator), partnership)
    barrier = threading.Barrier(2)
    answers = []

    def send() -> None:
        client = client_for(facilitator)
        barrier.wait()
        answers.append(client.post(f"/partnerships/{partnership.pk}/check-ins/new/", entry(key)).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302, 302]
    assert CheckIn.objects.count() == 1


def test_the_service_worker_is_served_from_the_root_with_the_static_files_it_keeps(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert "/static/js/offline.js" in script and "/static/css/rekan.css" in script
    assert "check-ins" in script


def test_every_page_links_the_manifest(facilitator) -> None:
    page = client_for(facilitator).get("/today/").content.decode()
    assert re.search(r'<link rel="manifest" href="/static/manifest[^"]*\.webmanifest">', page)
    assert "data-offline-status" in page


def interaction_key(client, organization) -> str:
    page = client.get(f"/organizations/{organization.pk}/interactions/new/").content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f]{32})"', page).group(1)


def interaction(key: str, summary: str = "Kunjungan ke balai desa") -> dict[str, str]:
    return {"kind": "visit", "occurred_on": timezone.localdate().isoformat(), "summary": summary,
            "submission_key": key}  # fmt: skip


def test_the_same_interaction_sent_twice_logs_one(facilitator, org_a) -> None:
    client = client_for(facilitator)
    key = interaction_key(client, org_a)
    first = client.post(f"/organizations/{org_a.pk}/interactions/new/", interaction(key))
    again = client.post(f"/organizations/{org_a.pk}/interactions/new/", interaction(key, "dikirim ulang"))

    assert first.status_code == again.status_code == 302
    assert list(org_a.interactions.values_list("summary", flat=True)) == ["Kunjungan ke balai desa"]
    assert "This interaction was logged already." in client.get(again["Location"]).content.decode()


def test_an_interaction_key_used_for_another_organization_is_refused_with_a_message(facilitator, org_a, org_b) -> None:
    client = client_for(facilitator)
    key = interaction_key(client, org_a)
    client.post(f"/organizations/{org_a.pk}/interactions/new/", interaction(key))
    response = client.post(f"/organizations/{org_b.pk}/interactions/new/", interaction(key))
    assert response.status_code == 200
    assert "This form was sent already for another organization" in response.content.decode()
    assert not org_b.interactions.exists()
