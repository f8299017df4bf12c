"""A facilitator builds up an organization's profile; the timeline tells it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import Contact, FocusArea, Interaction, LeadershipTerm, Organization, StageChange
from tests.conftest import client_for

TODAY = timezone.localdate()


def organization_data(**overrides: object) -> dict[str, object]:
    data = {
        "name": "Kelompok Wanita Tani Melati",
        "kind": "women",
        "mission": "Kebun gizi keluarga",
        "province": "33",
        "regency": "Kabupaten Boyolali",
        "legal_status": "unregistered",
        "funding_stability": "irregular",
        "focus_areas_text": "nutrition, urban farming, Nutrition",
        "channels-TOTAL_FORMS": "2",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "12",
        "channels-0-kind": "whatsapp_group",
        "channels-0-address": "KWT Melati Boyolali",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_it_creates_an_organization_with_focus_areas_and_channels(facilitator) -> None:
    response = client_for(facilitator).post("/organizations/new/", organization_data())
    organization = Organization.objects.get()
    assert response["Location"] == f"/organizations/{organization.pk}/"
    assert organization.legal_status == "unregistered"
    assert organization.registration_number == ""
    assert sorted(a.name for a in organization.focus_areas.all()) == ["nutrition", "urban farming"]
    assert [c.address for c in organization.channels.all()] == ["KWT Melati Boyolali"]
    assert organization.created_by == facilitator
    assert Organization.history.get().history_user == facilitator


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("founded_year", str(TODAY.year + 1), "cannot be in the future"),
        ("approx_members", "-5", "greater than or equal to 0"),
        ("name", "", "This field is required"),
        ("province", "99", "Select a valid choice"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_saves_nothing(facilitator, field, value, message) -> None:
    response = client_for(facilitator).post("/organizations/new/", organization_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_it_warns_about_a_likely_duplicate_in_the_same_regency(facilitator) -> None:
    client = client_for(facilitator)
    client.post("/organizations/new/", organization_data())
    response = client.post("/organizations/new/", organization_data(name="Kelompok Wanita Tani Melati."))
    assert response.status_code == 200
    assert "Is this one of these groups?" in response.content.decode()
    assert Organization.objects.count() == 1
    client.post(
        "/organizations/new/", organization_data(name="Kelompok Wanita Tani Melati.", confirm_not_duplicate="on")
    )
    assert Organization.objects.count() == 2


@pytest.mark.django_db
def test_it_does_not_warn_about_a_similar_name_in_another_regency(facilitator) -> None:
    client = client_for(facilitator)
    client.post("/organizations/new/", organization_data())
    client.post("/organizations/new/", organization_data(regency="Kota Surakarta"))
    assert Organization.objects.count() == 2


@pytest.mark.django_db
def test_it_records_who_changed_what_on_the_profile(facilitator, org_a) -> None:
    client = client_for(facilitator)
    client.post(f"/organizations/{org_a.pk}/edit/", organization_data(name=org_a.name, mission="Sesuatu yang baru"))
    html = client.get(f"/organizations/{org_a.pk}/").content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "fasilitator: Changed kind, mission," in history
    assert Organization.history.filter(id=org_a.pk).latest().history_user == facilitator


@pytest.mark.django_db
def test_it_changes_the_stage_with_who_when_and_why(facilitator, org_a) -> None:
    client = client_for(facilitator)
    response = client.post(
        f"/organizations/{org_a.pk}/stage/", {"stage": "first_contact", "reason": "Bertemu di musyawarah desa"}
    )
    assert response.status_code == 302
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("identified", "first_contact", facilitator)
    org_a.refresh_from_db()
    assert org_a.stage == "first_contact"
    assert "Bertemu di musyawarah desa" in client.get(f"/organizations/{org_a.pk}/").content.decode()


@pytest.mark.django_db
def test_it_refuses_a_stage_change_without_a_reason_or_to_the_same_stage(facilitator, org_a) -> None:
    client = client_for(facilitator)
    assert client.post(f"/organizations/{org_a.pk}/stage/", {"stage": "dormant", "reason": " "}).status_code == 200
    response = client.post(f"/organizations/{org_a.pk}/stage/", {"stage": "identified", "reason": "x"})
    assert "already at this stage" in response.content.decode()
    assert not StageChange.objects.exists()


@pytest.mark.django_db
def test_it_normalises_indonesian_phone_numbers(facilitator, org_a) -> None:
    client = client_for(facilitator)
    data = {"name": "Budi Santoso", "phone": "0812-3456-7890", "preferred_channel": "whatsapp"}
    client.post(f"/organizations/{org_a.pk}/contacts/new/", data | {"preferred_language": "id"})
    assert Contact.objects.get().phone == "+6281234567890"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("+62 812 3456 7890", "+6281234567890"), ("62-21-555-1234", "+62215551234"), ("81234567890", "+6281234567890")],
)
def test_it_accepts_the_usual_ways_of_writing_a_number(raw: str, normalised: str) -> None:
    from partners.phones import normalise_phone

    assert normalise_phone(raw) == normalised


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["12345", "+1 202 555 0100", "0812-abc"])
def test_it_refuses_a_number_that_is_not_indonesian(facilitator, org_a, raw: str) -> None:
    response = client_for(facilitator).post(
        f"/organizations/{org_a.pk}/contacts/new/",
        {"name": "Budi", "phone": raw, "preferred_channel": "whatsapp", "preferred_language": "id"},
    )
    assert "Enter an Indonesian phone number" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_it_dates_consent_when_given(facilitator, org_a) -> None:
    client_for(facilitator).post(
        f"/organizations/{org_a.pk}/contacts/new/",
        {"name": "Rina", "preferred_channel": "email", "preferred_language": "id", "consent_to_contact": "on"},
    )
    assert Contact.objects.get().consent_recorded_on == TODAY


@pytest.mark.django_db
def test_it_dates_whatsapp_consent_and_shows_it_on_the_profile(facilitator, org_a) -> None:
    client = client_for(facilitator)
    client.post(
        f"/organizations/{org_a.pk}/contacts/new/",
        {"name": "Rina", "phone": "0812 3456 7890", "preferred_channel": "whatsapp", "preferred_language": "id",
         "consent_to_contact": "on", "whatsapp_reminders": "on"},
    )  # fmt: skip
    contact = Contact.objects.get()
    assert (contact.whatsapp_reminders, contact.whatsapp_consent_on) == (True, TODAY)
    assert "Agreed to WhatsApp reminders on" in client.get(f"/organizations/{org_a.pk}/contacts/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"consent_to_contact": "on"}, "WhatsApp reminders need a phone number."),
        ({"phone": "0812 3456 7890"}, "WhatsApp reminders need the person&#x27;s consent to be contacted."),
    ],
    ids=["no phone", "no consent"],
)
def test_it_refuses_whatsapp_reminders_without_a_phone_or_consent(facilitator, org_a, fields, error) -> None:
    response = client_for(facilitator).post(
        f"/organizations/{org_a.pk}/contacts/new/",
        {"name": "Rina", "preferred_channel": "whatsapp", "preferred_language": "id", "whatsapp_reminders": "on"}
        | fields,
    )
    assert error in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_it_exports_one_persons_data_as_json(facilitator, org_a) -> None:
    contact = Contact.objects.create(organization=org_a, name="Rina", phone="+6281100000000", email="rina@example.org")
    response = client_for(facilitator).get(f"/organizations/{org_a.pk}/contacts/{contact.pk}/export.json")
    assert response["Content-Disposition"] == f'attachment; filename="contact-{contact.pk}.json"'
    data = json.loads(response.content)
    assert (data["name"], data["phone"], data["organization"]) == ("Rina", "+6281100000000", org_a.name)


@pytest.mark.django_db
def test_it_erases_a_person_but_keeps_the_groups_history_readable(facilitator, org_a) -> None:
    client = client_for(facilitator)
    contact = Contact.objects.create(organization=org_a, name="Rina Wulandari", phone="+6281100000000")
    client.post(f"/organizations/{org_a.pk}/leaders/new/", {"leader": contact.pk, "started_on": "2024-01-01"})
    client.post(
        f"/organizations/{org_a.pk}/contacts/{contact.pk}/edit/",
        {"name": "Rina Wulandari", "preferred_channel": "sms", "preferred_language": "id"},
    )
    assert client.get(f"/organizations/{org_a.pk}/contacts/{contact.pk}/erase/").status_code == 200  # confirmation
    client.post(f"/organizations/{org_a.pk}/contacts/{contact.pk}/erase/")
    contact.refresh_from_db()
    assert (contact.name, contact.phone, contact.email) == (f"Erased contact #{contact.pk}", "", "")
    assert LeadershipTerm.objects.get().leader == contact
    assert not Contact.history.filter(name__contains="Rina").exists()
    assert "Rina" not in client.get(f"/organizations/{org_a.pk}/").content.decode()


@pytest.mark.django_db
def test_it_closes_the_current_term_and_flags_a_new_leader(facilitator, org_a) -> None:
    client = client_for(facilitator)
    first = Contact.objects.create(organization=org_a, name="Pak Harjo")
    client.post(f"/organizations/{org_a.pk}/leaders/new/", {"leader": first.pk, "started_on": "2019-03-01"})
    html = client.get(f"/organizations/{org_a.pk}/").content.decode()
    assert "<h2>Leadership changed</h2>" not in html  # a first leader is no change

    started = (TODAY - datetime.timedelta(days=10)).isoformat()
    client.post(
        f"/organizations/{org_a.pk}/leaders/new/",
        {"new_leader_name": "Mbak Dewi", "title": "ketua", "started_on": started},
    )
    old, new = LeadershipTerm.objects.order_by("started_on")
    assert old.ended_on.isoformat() == started
    assert new.ended_on is None and new.leader.name == "Mbak Dewi"
    html = client.get(f"/organizations/{org_a.pk}/").content.decode()
    assert "<h2>Leadership changed</h2>" in html
    assert "Mbak Dewi has led the group since" in html


@pytest.mark.django_db
def test_it_refuses_a_new_term_that_starts_before_the_current_one(facilitator, org_a) -> None:
    client = client_for(facilitator)
    client.post(f"/organizations/{org_a.pk}/leaders/new/", {"new_leader_name": "A", "started_on": "2024-05-01"})
    response = client.post(
        f"/organizations/{org_a.pk}/leaders/new/", {"new_leader_name": "B", "started_on": "2023-01-01"}
    )
    assert "cannot start before the current one" in response.content.decode()
    assert LeadershipTerm.objects.count() == 1


@pytest.mark.django_db
def test_it_asks_who_the_new_leader_is_when_neither_field_is_filled(facilitator, org_a) -> None:
    response = client_for(facilitator).post(f"/organizations/{org_a.pk}/leaders/new/", {"started_on": "2024-05-01"})
    assert response.context["form"].non_field_errors() == [
        "Who is the new leader? Choose an existing contact or type the name of someone new."
    ]
    assert "not both" not in response.content.decode()
    assert not LeadershipTerm.objects.exists()


@pytest.mark.django_db
def test_it_says_not_both_when_a_contact_is_chosen_and_a_name_typed(facilitator, org_a) -> None:
    contact = Contact.objects.create(organization=org_a, name="Bu Sri")
    response = client_for(facilitator).post(
        f"/organizations/{org_a.pk}/leaders/new/",
        {"leader": contact.pk, "new_leader_name": "Mbak Dewi", "started_on": "2024-05-01"},
    )
    assert response.context["form"].non_field_errors() == [
        "Choose an existing contact or type the name of someone new, not both."
    ]
    assert not LeadershipTerm.objects.exists()
    assert not Contact.objects.filter(name="Mbak Dewi").exists()


@pytest.mark.django_db
def test_it_logs_an_interaction_and_shows_everything_on_the_timeline(facilitator, org_a) -> None:
    client = client_for(facilitator)
    contact = Contact.objects.create(organization=org_a, name="Bu Sri")
    client.post(f"/organizations/{org_a.pk}/stage/", {"stage": "first_contact", "reason": "Kenalan di pasar"})
    client.post(f"/organizations/{org_a.pk}/leaders/new/", {"leader": contact.pk, "started_on": TODAY.isoformat()})
    client.post(
        f"/organizations/{org_a.pk}/interactions/new/",
        {
            "kind": "visit",
            "occurred_on": TODAY.isoformat(),
            "summary": "Kunjungan ke kebun",
            "follow_up": "Kirim bibit",
            "contacts": [contact.pk],
            "participants": [facilitator.pk],
        },
    )
    interaction = Interaction.objects.get()
    assert list(interaction.contacts.all()) == [contact]
    html = client.get(f"/organizations/{org_a.pk}/").content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    assert "Kunjungan ke kebun" in timeline
    assert "Kenalan di pasar" in timeline
    assert "Bu Sri became the leader" in timeline


@pytest.mark.django_db
def test_it_refuses_an_interaction_in_the_future(facilitator, org_a) -> None:
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client_for(facilitator).post(
        f"/organizations/{org_a.pk}/interactions/new/", {"kind": "call", "occurred_on": tomorrow, "summary": "x"}
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_it_archives_after_confirmation_and_restores(facilitator, org_a) -> None:
    client = client_for(facilitator)
    assert "Archive" in client.get(f"/organizations/{org_a.pk}/archive/").content.decode()
    client.post(f"/organizations/{org_a.pk}/archive/")
    org_a.refresh_from_db()
    assert org_a.archived_at is not None
    assert org_a not in client.get("/organizations/").context["page"].object_list
    client.post(f"/organizations/{org_a.pk}/restore/")
    org_a.refresh_from_db()
    assert org_a.archived_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("interactions", [5, 50])
def test_it_costs_the_same_queries_whatever_the_length_of_the_timeline(facilitator, org_a, interactions: int) -> None:
    contact = Contact.objects.create(organization=org_a, name="Bu Sri")
    for day in range(interactions):
        interaction = Interaction.objects.create(
            organization=org_a, kind="call", occurred_on=TODAY - datetime.timedelta(days=day), summary=f"Call {day}"
        )
        interaction.contacts.add(contact)
        interaction.participants.add(facilitator)
    client = client_for(facilitator)
    client.get(f"/organizations/{org_a.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/organizations/{org_a.pk}/")
    # The change history: two queries per kind of record (the rows, then their predecessors);
    # panels: partnerships 2, lessons 1; the timeline: its latest rows and their count (2), the
    # interactions with their contacts and our team (3).
    assert len(queries) == 25


@pytest.mark.django_db
def test_it_shows_contact_changes_in_the_profile_history(facilitator, org_a) -> None:
    client = client_for(facilitator)
    contact = Contact.objects.create(organization=org_a, name="Bu Sri")
    client.post(
        f"/organizations/{org_a.pk}/contacts/{contact.pk}/edit/",
        {"name": "Bu Sri", "phone": "0812 1111 2222", "preferred_channel": "sms", "preferred_language": "id"},
    )
    html = client.get(f"/organizations/{org_a.pk}/").content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "fasilitator: Bu Sri: Changed phone or WhatsApp and preferred channel." in history


@pytest.mark.django_db
def test_it_treats_focus_areas_that_differ_only_in_case_as_one_even_beyond_ascii(facilitator) -> None:
    client = client_for(facilitator)
    client.post("/organizations/new/", organization_data(focus_areas_text="Ékonomi kreatif"))
    client.post(
        "/organizations/new/", organization_data(name="Lain", regency="Kota Solo", focus_areas_text="ékonomi KREATIF")
    )
    assert Organization.objects.count() == 2
    assert [area.name for area in FocusArea.objects.all()] == ["Ékonomi kreatif"]
