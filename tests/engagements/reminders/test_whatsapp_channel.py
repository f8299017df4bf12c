"""WhatsApp, the outbox's second channel: a contact with only a phone is reminded through the Cloud API.

Delivery talks real HTTP to ``tests.engagements.graph_api.GraphApi``, a local
server that answers as the Cloud API documents (message ids, 429, error
bodies); nothing of Rekan's client is mocked.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from engagements import services
from engagements.models import (
    CancelReason,
    CheckInSchedule,
    Partnership,
    Reminder,
    ReminderChannel,
    ReminderStatus,
)
from partners import services as partner_services
from partners.models import Contact
from tests.engagements.builders import build_partnership
from tests.engagements.graph_api import (
    NOT_ON_WHATSAPP,
    RATE_LIMITED,
    SERVER_ERROR,
    TOKEN,
    parameters_of,
)
from tests.engagements.reminders.test_reminders import make_due
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"


def add_contact(organization, **fields) -> Contact:
    values = {"name": "Bu Sri", "phone": PHONE, "consent_to_contact": True, "whatsapp_reminders": True} | fields
    return Contact.objects.create(organization=organization, whatsapp_consent_on=timezone.localdate(), **values)


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    partnership = build_partnership(
        user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0, title="Kebun Bersama Klaten"
    )
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    return partnership


def due_check_in(partnership: Partnership, facilitator) -> None:
    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=2, starts_on=timezone.localdate())
    services.checkins.schedule_save(user=facilitator, schedule=schedule)
    make_due(partnership.schedule)


def whatsapp_row() -> Reminder:
    return Reminder.objects.get(channel=ReminderChannel.WHATSAPP)


def test_it_reminds_a_contact_with_only_a_phone_on_whatsapp_with_the_template_in_their_language(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a, preferred_language="id")
    due_check_in(partnership, facilitator)
    assert services.reminders.sweep() == 2

    assert services.reminders.deliver() == 2
    (body,) = graph_api.accepted
    assert graph_api.authorizations == [f"Bearer {TOKEN}"]
    assert body["to"] == "6281234567890"
    assert body["template"]["name"] == "rekan_reminder"
    assert body["template"]["language"] == {"code": "id"}
    line, link = parameters_of(body)
    # The email's subject line, in Indonesian.
    assert line.startswith("Pertemuan rutin jatuh tempo") and line.endswith(": Kebun Bersama Klaten"), line
    assert link == f"http://127.0.0.1:8000/partnerships/{partnership.pk}/"
    row = whatsapp_row()
    assert (row.status, row.phone, row.email, row.provider_message_id) == (
        ReminderStatus.SENT,
        PHONE,
        "",
        graph_api.message_ids[0],
    )
    # The facilitator's reminder went by email, the contact's by WhatsApp only.
    assert [message.to for message in mail.outbox] == [["fasilitator@example.org"]]


def test_it_keeps_email_for_a_contact_who_did_not_agree_to_whatsapp(graph_api, partnership, facilitator, org_a) -> None:
    add_contact(org_a, email="sri@example.org", whatsapp_reminders=False)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    services.reminders.deliver()
    assert not Reminder.objects.filter(channel=ReminderChannel.WHATSAPP).exists()
    assert graph_api.requests == 0
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "fasilitator@example.org",
        "sri@example.org",
    ]


def test_it_writes_no_whatsapp_reminder_while_the_channel_is_not_configured(partnership, facilitator, org_a) -> None:
    add_contact(org_a)
    due_check_in(partnership, facilitator)
    assert services.reminders.sweep() == 1  # the facilitator's email only: the contact has no address Rekan can use
    assert not Reminder.objects.filter(channel=ReminderChannel.WHATSAPP).exists()


def test_it_waits_after_a_rate_limit_and_sends_the_same_row_once_later(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    graph_api.answer_next(RATE_LIMITED)

    services.reminders.deliver()
    row = whatsapp_row()
    assert row.status == ReminderStatus.PENDING
    assert "429" in row.last_error and "130429" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert graph_api.total == 0

    Reminder.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    services.reminders.deliver()
    row.refresh_from_db()
    assert (row.status, row.attempts, graph_api.total) == (ReminderStatus.SENT, 2, 1)


@pytest.mark.parametrize("refusal", [SERVER_ERROR, None], ids=["500", "no answer"])
def test_it_treats_a_server_error_and_no_connection_as_temporary(
    graph_api, settings, partnership, facilitator, org_a, refusal
) -> None:
    add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    if refusal is None:
        settings.WHATSAPP_API_URL = "http://127.0.0.1:9/v23.0"  # nothing listens there
    else:
        graph_api.answer_next(refusal)
    services.reminders.deliver()
    row = whatsapp_row()
    assert row.status == ReminderStatus.PENDING
    assert row.failing_since is not None
    assert not Reminder.objects.filter(contact__isnull=False, channel=ReminderChannel.EMAIL).exists()


def test_a_rate_limit_longer_than_the_retry_window_fails_and_falls_back_to_email(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a, email="sri@example.org")
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    row = whatsapp_row()
    Reminder.objects.filter(pk=row.pk).update(failing_since=timezone.now() - datetime.timedelta(hours=49))
    graph_api.answer_next(RATE_LIMITED)

    services.reminders.deliver()

    row.refresh_from_db()
    assert row.status == ReminderStatus.FAILED and "130429" in row.last_error
    fallback = Reminder.objects.get(contact__isnull=False, channel=ReminderChannel.EMAIL)
    assert (fallback.status, fallback.email) == (ReminderStatus.SENT, "sri@example.org")  # the same run sent it
    assert "sri@example.org" in [address for message in mail.outbox for address in message.to]


def test_it_fails_a_number_that_is_not_on_whatsapp_at_once_and_falls_back_to_email(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a, email="sri@example.org")
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    graph_api.answer_next(NOT_ON_WHATSAPP)

    services.reminders.deliver()
    row = whatsapp_row()
    assert row.status == ReminderStatus.FAILED
    assert "131026" in row.last_error and "Message undeliverable" in row.last_error
    fallback = Reminder.objects.get(contact__isnull=False, channel=ReminderChannel.EMAIL)
    assert (fallback.kind, fallback.occurrence, fallback.email) == (row.kind, row.occurrence, "sri@example.org")
    # The next run sends the fallback, once.
    services.reminders.deliver()
    fallback.refresh_from_db()
    assert fallback.status == ReminderStatus.SENT
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "fasilitator@example.org",
        "sri@example.org",
    ]


def test_it_makes_no_fallback_for_a_contact_without_email(graph_api, partnership, facilitator, org_a) -> None:
    add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    graph_api.answer_next(NOT_ON_WHATSAPP)
    services.reminders.deliver()
    assert whatsapp_row().status == ReminderStatus.FAILED
    assert Reminder.objects.filter(contact__isnull=False).count() == 1


def test_it_cancels_a_whatsapp_reminder_when_the_contact_stopped_them_after_the_sweep(
    graph_api, partnership, facilitator, org_a
) -> None:
    contact = add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    contact.whatsapp_reminders = False
    partner_services.contact_save(user=facilitator, contact=contact)
    services.reminders.deliver()
    row = whatsapp_row()
    assert (row.status, row.cancel_reason) == (ReminderStatus.CANCELLED, CancelReason.UNSUBSCRIBED)
    assert graph_api.requests == 0


def test_it_follows_a_number_changed_after_the_sweep(graph_api, partnership, facilitator, org_a) -> None:
    contact = add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    Contact.objects.filter(pk=contact.pk).update(phone="+6285712345678")
    services.reminders.deliver()
    assert [body["to"] for body in graph_api.accepted] == ["6285712345678"]


def test_it_cancels_and_forgets_the_number_of_a_contact_erased_after_the_sweep(
    graph_api, partnership, facilitator, org_a
) -> None:
    contact = add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    partner_services.contact_erase(user=facilitator, contact=contact)
    row = whatsapp_row()
    assert (row.status, row.cancel_reason, row.phone) == (ReminderStatus.CANCELLED, CancelReason.ERASED, "")
    services.reminders.deliver()
    assert graph_api.requests == 0


def test_it_sends_a_title_with_line_breaks_as_one_line_whatsapp_accepts(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a)
    Partnership.objects.filter(pk=partnership.pk).update(title="Kebun\r\nBersama\tKlaten     <b>&</b>")
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    services.reminders.deliver()
    (body,) = graph_api.accepted
    line, _link = parameters_of(body)
    assert "Kebun Bersama Klaten <b>&</b>" in line  # plain text: nothing to escape in a WhatsApp message


def test_a_reminder_sent_again_forgets_the_statuses_of_the_earlier_message(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a)
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    services.reminders.deliver()
    row = whatsapp_row()
    Reminder.objects.filter(pk=row.pk).update(status=ReminderStatus.FAILED, delivery_status="failed")
    row.refresh_from_db()
    assert services.outbox.reminder_send_again(row)
    row.refresh_from_db()
    assert (row.provider_message_id, row.delivery_status) == ("", "")
    services.reminders.deliver()
    row.refresh_from_db()
    assert row.provider_message_id == graph_api.message_ids[1]


def test_a_whatsapp_reminder_written_before_the_channel_was_switched_off_goes_by_email(
    graph_api, settings, partnership, facilitator, org_a
) -> None:
    add_contact(org_a, email="sri@example.org")
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    settings.WHATSAPP_ENABLED = False
    services.reminders.deliver()
    services.reminders.deliver()
    assert whatsapp_row().status == ReminderStatus.FAILED
    assert "sri@example.org" in [address for message in mail.outbox for address in message.to]
    assert graph_api.requests == 0


def test_whatsapp_consent_is_dated_when_given_and_forgotten_when_withdrawn(facilitator, org_a) -> None:
    contact = Contact(
        organization=org_a, name="Pak Budi", phone=PHONE, consent_to_contact=True, whatsapp_reminders=True
    )
    partner_services.contact_save(user=facilitator, contact=contact)
    assert contact.whatsapp_consent_on == timezone.localdate()
    contact.whatsapp_reminders = False
    partner_services.contact_save(user=facilitator, contact=contact)
    assert contact.whatsapp_consent_on is None
    assert partner_services.contact_export(contact)["whatsapp_reminders"] is False


def test_the_sweep_leaves_out_a_whatsapp_contact_without_consent_to_be_contacted(
    graph_api, partnership, facilitator, org_a
) -> None:
    add_contact(org_a, consent_to_contact=False)
    due_check_in(partnership, facilitator)
    assert services.reminders.sweep() == 1
    assert not Reminder.objects.filter(channel=ReminderChannel.WHATSAPP).exists()
