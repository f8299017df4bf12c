"""The admin of organizations and people obeys the app's rules and writes the same history (issue #9, part 4)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from partners import services
from partners.history import history_for
from partners.models import Contact, LeadershipTerm, Organization, StageChange
from tests.admin_forms import form_data, post_form
from tests.conftest import client_for

TODAY = timezone.localdate()


def descriptions(organization: Organization) -> list[str]:
    with translation.override("en"):
        return [
            f"{entry.user}: {entry.object_repr + ': ' if entry.is_part else ''}{entry.change}"
            for entry in history_for(organization)
        ]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_it_keeps_the_stage_read_only_in_the_organization_form(admin, org_a) -> None:
    url = f"/admin/partners/organization/{org_a.pk}/change/"
    client = client_for(admin)
    assert "stage" not in form_data(client, url)

    response = post_form(client, url, {"stage": "partnering", "mission": "Festival budaya pemuda"})

    assert response.status_code == 302, response.content.decode()[:2000]
    org_a.refresh_from_db()
    assert (org_a.mission, org_a.stage) == ("Festival budaya pemuda", "identified")
    assert not StageChange.objects.exists()
    assert f"/organizations/{org_a.pk}/stage/" in client.get(url).content.decode()


@pytest.mark.django_db
def test_it_changes_the_stage_in_the_admin_only_through_a_stage_change_with_a_reason(admin, org_a) -> None:
    response = client_for(admin).post(
        "/admin/partners/stagechange/add/",
        {"organization": org_a.pk, "to_stage": "first_contact", "reason": "Bertemu di musyawarah desa"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    org_a.refresh_from_db()
    assert org_a.stage == "first_contact"
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("identified", "first_contact", admin)
    assert descriptions(org_a)[0] == "admin: Changed relationship stage."
    html = client_for(admin).get(f"/admin/partners/organization/{org_a.pk}/history/").content.decode()
    assert "Bertemu di musyawarah desa" in html  # the reason of the record


@pytest.mark.django_db
def test_it_refuses_a_stage_change_the_app_would_refuse_and_changes_nothing(admin, org_a) -> None:
    records = Organization.history.count()
    response = client_for(admin).post(
        "/admin/partners/stagechange/add/", {"organization": org_a.pk, "to_stage": "identified", "reason": "Sama"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["The organization is already at this stage."]
    assert not StageChange.objects.exists()
    assert Organization.history.count() == records


@pytest.mark.django_db
def test_it_keeps_stage_changes_append_only_in_the_admin(admin, facilitator, org_a) -> None:
    change = services.organization_set_stage(user=facilitator, organization=org_a, stage="dormant", reason="Sepi")
    client = client_for(admin)
    response = client.post(
        f"/admin/partners/stagechange/{change.pk}/change/",
        {"organization": org_a.pk, "to_stage": "exited", "reason": "x"},
    )
    assert response.status_code == 403
    assert client.post(f"/admin/partners/stagechange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StageChange.objects.get().to_stage == "dormant"


@pytest.mark.django_db
def test_it_archives_and_restores_through_the_service_in_the_admin(admin, org_a) -> None:
    client = client_for(admin)
    url = f"/admin/partners/organization/{org_a.pk}/change/"
    assert "archived_at_0" not in form_data(client, url)

    client.post("/admin/partners/organization/", {"action": "archive", "_selected_action": [org_a.pk], "index": "0"})
    org_a.refresh_from_db()
    assert org_a.archived_at is not None
    client.post("/admin/partners/organization/", {"action": "restore", "_selected_action": [org_a.pk], "index": "0"})
    org_a.refresh_from_db()
    assert org_a.archived_at is None
    assert descriptions(org_a)[:2] == ["admin: Restored from the archive.", "admin: Archived."]


@pytest.mark.django_db
def test_it_dates_the_consent_of_a_contact_added_in_the_admin_as_the_app_does(admin, org_a) -> None:
    response = post_form(
        client_for(admin),
        f"/admin/partners/organization/{org_a.pk}/change/",
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "Bu Sri",
            "contacts-0-phone": "+6281234567890",
            "contacts-0-consent_to_contact": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    assert (contact.consent_to_contact, contact.consent_recorded_on) == (True, TODAY)
    assert "admin: Bu Sri: Added." in descriptions(org_a)


@pytest.mark.django_db
def test_it_shows_an_erased_contact_read_only_in_the_admin(admin, facilitator, org_a) -> None:
    contact = Contact.objects.create(organization=org_a, name="Rina Wulandari", phone="+6281100000000")
    services.contact_erase(user=facilitator, contact=contact)
    url = f"/admin/partners/contact/{contact.pk}/change/"
    client = client_for(admin)
    assert "name" not in form_data(client, url)

    post_form(client, url, {"name": "Rina Wulandari", "organization": str(org_a.pk)})

    contact.refresh_from_db()
    assert contact.name == f"Erased contact #{contact.pk}"
    assert not Contact.history.filter(name__contains="Rina").exists()


@pytest.mark.django_db
def test_it_closes_the_current_term_when_a_new_leader_is_added_in_the_admin(admin, facilitator, org_a) -> None:
    first = Contact.objects.create(organization=org_a, name="Pak Harjo")
    second = Contact.objects.create(organization=org_a, name="Mbak Dewi")
    services.leadership_record(user=facilitator, organization=org_a, leader=first, started_on=datetime.date(2019, 3, 1))

    response = client_for(admin).post(
        "/admin/partners/leadershipterm/add/",
        {"organization": org_a.pk, "leader": second.pk, "title": "ketua", "started_on": "2026-01-05"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    old, new = LeadershipTerm.objects.order_by("started_on")
    assert old.ended_on == datetime.date(2026, 1, 5)
    assert (new.leader, new.ended_on, new.recorded_by) == (second, None, admin)
    history = descriptions(org_a)
    assert history[0].startswith("admin: Mbak Dewi (") and history[0].endswith(": New leader recorded.")
    assert history[1].startswith("admin: Pak Harjo (") and history[1].endswith(": Changed until.")


@pytest.mark.django_db
def test_it_refuses_a_leader_from_another_group_in_the_admin(admin, org_a, org_b) -> None:
    stranger = Contact.objects.create(organization=org_b, name="Orang Lain")
    response = client_for(admin).post(
        "/admin/partners/leadershipterm/add/",
        {"organization": org_a.pk, "leader": stranger.pk, "started_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["The leader must be a contact of this organization."]
    assert not LeadershipTerm.objects.exists()


@pytest.mark.django_db
def test_it_shows_admin_edits_in_the_profile_history_beside_app_edits(admin, facilitator, org_a) -> None:
    client_for(facilitator).post(f"/organizations/{org_a.pk}/stage/", {"stage": "dormant", "reason": "Tidak aktif"})
    post_form(client_for(admin), f"/admin/partners/organization/{org_a.pk}/change/", {"mission": "Kebun gizi"})

    html = client_for(facilitator).get(f"/organizations/{org_a.pk}/").content.decode()
    history = html[html.index('id="history-heading"') :]
    assert history.index("admin: Changed mission.") < history.index("fasilitator: Changed relationship stage.")
