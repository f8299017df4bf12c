"""Every change made in the app to a partnership or its parts is in the partnership's history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from engagements import services
from engagements.models import Activity, CheckIn, Invitation, Partnership
from partners.history import history_for
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


def history_of(partnership: Partnership) -> list[str]:
    with translation.override("en"):
        return [entry.description for entry in reversed(history_for(partnership, limit=100))]


@pytest.mark.django_db
def test_it_records_members_goals_activities_and_agreements_in_the_partnership_history(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0)
    member = services.partnerships.member_add(
        user=facilitator, partnership=partnership, organization=OrganizationFactory(name="Kelompok Baru"), role="member"
    )
    goal = partnership.goals.get()
    services.goals.progress_record(user=facilitator, goal=goal, value=Decimal(10), measured_on=timezone.localdate())
    activity = services.plans.activity_save(
        user=facilitator,
        activity=Activity(partnership=partnership, title="Tanam bibit", due_date=datetime.date(2026, 12, 20)),
        roles={member: "A"},
    )
    services.plans.activity_set_status(user=facilitator, activity=activity, status="in_progress")
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Sepakat")
    services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=timezone.now(), channel="phone", summary="Rapat"),
    )

    history = "\n".join(history_of(partnership))

    assert "Added." in history
    assert "Added shared goal “Tanam 1000 bibit mangrove”." in history
    assert "Added member organization “Kelompok Baru (Member)”." in history
    assert "Added progress update" in history
    assert "Added activity “Tanam bibit”." in history
    assert "Changed status for activity “Tanam bibit”." in history
    assert "Added plan revision" in history
    assert "Added check-in" in history


@pytest.mark.django_db
def test_it_shows_the_parts_in_the_admin_history_page(admin, facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=1)
    page = client_for(admin).get(f"/admin/engagements/partnership/{partnership.pk}/history/").content.decode()
    assert "Added shared goal" in page


@pytest.mark.django_db
def test_it_keeps_no_email_address_in_the_history_of_an_invitation(facilitator, org_a) -> None:
    from engagements.services.invitations import invitation_create
    from partners.models import Contact

    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0)
    contact = Contact.objects.create(organization=org_a, name="Bu Sri", email="sri@example.org")
    invitation_create(user=facilitator, partnership=partnership, contact=contact, email="")
    history = "\n".join(history_of(partnership))
    assert f"Added invitation “{org_a.name}”." in history
    assert "sri@example.org" not in history
    assert "email" not in {field.name for field in Invitation.history.model._meta.fields}


def history_section(html: str) -> str:
    return html[html.index('id="history-heading"') :]


@pytest.mark.django_db
def test_it_shows_the_history_with_its_parts_on_the_partnership_page(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=1)
    client = client_for(facilitator)
    client.post(f"/partnerships/{partnership.pk}/status/", {"status": "agreed", "reason": "Semua sepakat"})
    services.plans.activity_set_status(user=facilitator, activity=partnership.activities.get(), status="in_progress")

    page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert f'hx-get="/partnerships/{partnership.pk}/history/" hx-trigger="revealed"' in history_section(page)
    section = client.get(f"/partnerships/{partnership.pk}/history/", headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in section  # the entries only, in place of the link
    assert "fasilitator: Changed status for activity “Kegiatan 1”." in section
    assert "fasilitator: Changed status." in section
    assert "fasilitator: Added shared goal “Tanam 1000 bibit mangrove”." in section
    assert section.index("Changed status for activity") < section.index("Added shared goal")


@pytest.mark.django_db
def test_it_keeps_the_history_and_its_internal_notes_from_partner_members(facilitator, partner_a, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=1)
    partnership.internal_notes = "RAHASIA-catatan-baru"
    services.partnerships.partnership_save(user=facilitator, partnership=partnership)
    activity = partnership.activities.get()
    activity.internal_notes = "RAHASIA-kegiatan-baru"
    services.plans.activity_save(user=facilitator, activity=activity)

    facilitators_page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/history/").content.decode()
    partners_page = client_for(partner_a).get(f"/partnerships/{partnership.pk}/").content.decode()

    assert "<html" in facilitators_page  # without htmx, a page of its own
    assert client_for(partner_a).get(f"/partnerships/{partnership.pk}/history/").status_code == 403
    assert "fasilitator: Changed internal notes." in history_section(facilitators_page)
    assert "Changed internal notes for activity “Kegiatan 1”." in history_section(facilitators_page)
    assert "Change history" not in partners_page
    assert "internal notes" not in partners_page.lower()
    assert "RAHASIA" not in partners_page
