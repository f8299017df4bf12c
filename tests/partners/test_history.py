"""The change history is django-simple-history's records, read as sentences (issue #9, part 6b)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from partners import services
from partners.history import HISTORY_LIMIT, history_for
from partners.models import Channel, Contact, LeadershipTerm, Organization
from tests.conftest import client_for


def changes(organization: Organization, language: str = "en") -> list[str]:
    with translation.override(language):
        return [
            f"{entry.user}: {entry.object_repr + ': ' if entry.is_part else ''}{entry.change}"
            for entry in history_for(organization)
        ]


def edit(organization: Organization, user, **fields: object) -> None:
    for name, value in fields.items():
        setattr(organization, name, value)
    services.organization_save(
        user=user, organization=organization, focus_area_names=[a.name for a in organization.focus_areas.all()]
    )


@pytest.mark.django_db
def test_it_names_the_services_user_as_the_author_outside_a_request(facilitator, org_a) -> None:
    edit(org_a, facilitator, mission="Kebun gizi keluarga")
    contact = services.contact_save(user=facilitator, contact=Contact(organization=org_a, name="Bu Sri"))
    services.leadership_record(
        user=facilitator, organization=org_a, leader=contact, started_on=datetime.date(2025, 1, 1)
    )

    assert Organization.history.filter(id=org_a.pk).latest().history_user == facilitator
    assert Contact.history.get(id=contact.pk).history_user == facilitator
    assert LeadershipTerm.history.get().history_user == facilitator
    assert changes(org_a)[:3] == [
        "fasilitator: Bu Sri (1 January 2025): New leader recorded.",
        "fasilitator: Bu Sri: Added.",
        "fasilitator: Changed mission.",
    ]


@pytest.mark.django_db
def test_it_names_the_signed_in_user_for_what_a_request_saves_without_a_service(facilitator, org_a) -> None:
    data = {
        "name": org_a.name,
        "kind": "youth",
        "legal_status": "unregistered",
        "funding_stability": "unknown",
        "focus_areas_text": "",
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "12",
        "channels-0-kind": "whatsapp_group",
        "channels-0-address": "Grup Karang Taruna",
    }
    response = client_for(facilitator).post(f"/organizations/{org_a.pk}/edit/", data)
    assert response.status_code == 302
    assert Channel.history.get().history_user == facilitator  # saved by the form set, named by the middleware
    assert "fasilitator: WhatsApp group: Grup Karang Taruna: Added." in changes(org_a)


@pytest.mark.django_db
def test_it_describes_changes_in_the_readers_language_with_the_fields_names(facilitator, org_a) -> None:
    edit(org_a, facilitator, mission="Kebun gizi", internal_notes="Ketua sulit dihubungi")
    assert changes(org_a)[0] == "fasilitator: Changed mission and internal notes."
    assert changes(org_a, "id")[0] == "fasilitator: Misi dan catatan internal berubah."


@pytest.mark.django_db
def test_it_reads_archive_erasure_and_focus_areas_from_the_records(facilitator, org_a) -> None:
    services.organization_save(user=facilitator, organization=org_a, focus_area_names=["waste"])
    services.organization_archive(user=facilitator, organization=org_a)
    services.organization_restore(user=facilitator, organization=org_a)
    contact = services.contact_save(user=facilitator, contact=Contact(organization=org_a, name="Rina Wulandari"))
    services.contact_erase(user=facilitator, contact=contact)

    assert changes(org_a)[:4] == [
        f"fasilitator: Erased contact #{contact.pk}: Personal data erased.",
        f"fasilitator: Erased contact #{contact.pk}: Added.",
        "fasilitator: Restored from the archive.",
        "fasilitator: Archived.",
    ]
    assert "fasilitator: Changed focus areas." in changes(org_a)


@pytest.mark.django_db
def test_it_scrubs_the_erased_person_from_every_record_of_the_history(facilitator, org_a) -> None:
    contact = services.contact_save(
        user=facilitator,
        contact=Contact(
            organization=org_a, name="Rina Wulandari", role_in_group="bendahara", phone="+6281100000000",
            email="rina@example.org",
        ),
    )  # fmt: skip
    contact.phone = "+6281100000001"
    services.contact_save(user=facilitator, contact=contact)
    assert Contact.history.filter(id=contact.pk).count() == 2

    services.contact_erase(user=facilitator, contact=contact)

    records = list(Contact.history.filter(id=contact.pk).values("name", "role_in_group", "phone", "email"))
    assert len(records) == 3
    assert all(
        record == {"name": f"Erased contact #{contact.pk}", "role_in_group": "", "phone": "", "email": ""}
        for record in records
    )
    html = client_for(facilitator).get(f"/organizations/{org_a.pk}/").content.decode()
    assert "Rina" not in html and "6281100000000" not in html


@pytest.mark.django_db
def test_it_keeps_the_history_to_the_newest_entries(facilitator, org_a) -> None:
    for n in range(HISTORY_LIMIT + 5):
        edit(org_a, facilitator, mission=f"Misi {n}")
    entries = history_for(org_a)
    assert len(entries) == HISTORY_LIMIT
    assert entries == sorted(entries, key=lambda entry: entry.time, reverse=True)
    assert len(history_for(org_a, limit=3)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("edits", [2, 40])
def test_it_reads_the_profile_history_in_a_fixed_number_of_queries(facilitator, org_a, edits: int) -> None:
    contacts = [
        services.contact_save(user=facilitator, contact=Contact(organization=org_a, name=f"Orang {n}"))
        for n in range(edits)
    ]
    for n, contact in enumerate(contacts):
        contact.role_in_group = f"anggota {n}"
        services.contact_save(user=facilitator, contact=contact)
        edit(org_a, facilitator, mission=f"Misi {n}")
    with CaptureQueriesContext(connection) as queries:
        entries = history_for(org_a, *contacts)
    assert len(queries) == 8  # organization, contacts, leaders, channels: their rows, then the predecessors
    assert len(entries) == min(3 * edits + 1, HISTORY_LIMIT)
