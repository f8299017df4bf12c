"""Reminders sent by hand on WhatsApp: to the people who agreed to reminders, in their language, nobody else's data."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import CheckInSchedule, PartnershipStatus
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.commitments.conftest import make

pytestmark = pytest.mark.django_db


def chats(page: str) -> dict[str, str]:
    """Number -> prefilled message of every click-to-chat link on the page."""
    found = {}
    for address in re.findall(r'href="(https://wa\.me/[^"]+)"', page):
        parts = urlsplit(html.unescape(address))
        found[parts.path.strip("/")] = parse_qs(parts.query)["text"][0]
    return found


@pytest.fixture
def people(org_a, org_m) -> dict[str, Contact]:
    def person(organization, name, phone, **fields):
        defaults = {"consent_to_contact": True, "consent_recorded_on": timezone.localdate(), "wants_reminders": True}
        return Contact.objects.create(organization=organization, name=name, phone=phone, **(defaults | fields))

    return {
        "sri": person(org_a, "Bu Sri", "+6281200000001"),
        "tom": person(org_m, "Tom Walker", "+6281200000002", preferred_language="en"),
        "no consent": person(org_a, "Pak Budi", "+6281200000003", consent_to_contact=False),
        "no reminders": person(org_m, "Mbak Ani", "+6281200000004", wants_reminders=False),
        "no phone": person(org_a, "Pak Joko", "", email="joko@example.org"),
    }


@pytest.fixture
def schedule(partnership, facilitator) -> CheckInSchedule:
    item = CheckInSchedule(partnership=partnership, cadence="days", interval=14, starts_on=timezone.localdate())
    return services.checkins.schedule_save(user=facilitator, schedule=item)


def test_the_check_in_panel_offers_a_reminder_to_each_person_who_agreed(
    facilitator, partnership, schedule, people
) -> None:
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    found = chats(page)

    assert set(found) == {"6281200000001", "6281200000002"}
    assert found["6281200000001"].startswith("Halo Bu Sri, pengingat dari Rekan")
    assert found["6281200000002"].startswith("Hello Tom Walker, a reminder from Rekan")
    for message in found.values():
        assert partnership.title in message
        assert "Pak Budi" not in message and "Mbak Ani" not in message  # never another person's name
    assert "0812-0000-0001" in page


def test_no_reminder_is_offered_while_the_partnership_is_paused(facilitator, partnership, schedule, people) -> None:
    for status in (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED):
        services.partnerships.partnership_set_status(
            user=facilitator, partnership=partnership, status=status, reason="Musim panen"
        )
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    assert chats(page) == {}


def test_partner_members_are_not_offered_the_reminders(partner_a, partnership, schedule, people) -> None:
    page = client_for(partner_a).get(f"/partnerships/{partnership.pk}/").content.decode()
    assert chats(page) == {}


def test_an_open_commitment_offers_a_reminder_to_the_person_who_promised(
    facilitator, partner_a, partnership, org_a, people
) -> None:
    commitment = make(partnership, facilitator, by=org_a, text='Menyiapkan 500 "polybag" & bibit')
    commitment.promised_by_contact = people["sri"]
    commitment.save(update_fields=["promised_by_contact"])
    address = f"/partnerships/{partnership.pk}/commitments/{commitment.pk}/"

    found = chats(client_for(facilitator).get(address).content.decode())
    assert list(found) == ["6281200000001"]
    assert 'Menyiapkan 500 "polybag" & bibit' in found["6281200000001"]
    assert chats(client_for(partner_a).get(address).content.decode()) == {}

    services.commitments.commitment_mark_broken(user=facilitator, commitment=commitment, reason="Hujan terus")
    assert chats(client_for(facilitator).get(address).content.decode()) == {}


def test_no_commitment_reminder_without_consent(facilitator, partnership, org_a, people) -> None:
    commitment = make(partnership, facilitator, by=org_a)
    commitment.promised_by_contact = people["no consent"]
    commitment.save(update_fields=["promised_by_contact"])
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/commitments/{commitment.pk}/").content.decode()
    assert chats(page) == {}
