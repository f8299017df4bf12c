"""A reminder is re-checked when its turn to be sent comes, not only when the sweep wrote it.

Each test lets the sweep write the rows, changes one thing through the
services people use, then delivers: what is no longer true is cancelled with
its reason, the rest goes out once.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from engagements import services
from engagements.models import (
    CancelReason,
    CheckIn,
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    Partnership,
    PartnershipStatus,
    Reminder,
    ReminderStatus,
)
from partners import services as partner_services
from partners.models import Contact
from tests.engagements.builders import build_partnership
from tests.engagements.reminders.test_reminders import make_due
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

CONTACT = "sri@example.org"
FACILITATOR = "fasilitator@example.org"


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    facilitator.email = FACILITATOR
    facilitator.save()
    Contact.objects.create(organization=org_a, name="Bu Sri", email=CONTACT, consent_to_contact=True)
    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=2, starts_on=timezone.localdate())
    services.checkins.schedule_save(user=facilitator, schedule=schedule)
    make_due(partnership.schedule)
    assert services.reminders.sweep() == 2
    return partnership


def outcome() -> dict[str, tuple[str, str]]:
    services.reminders.deliver()
    return {row.recipient_key.split(":")[0]: (row.status, row.cancel_reason) for row in Reminder.objects.all()}


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_it_cancels_the_reminder_of_a_check_in_logged_after_the_sweep(partnership, facilitator) -> None:
    held_at = timezone.now() - datetime.timedelta(hours=1)
    check_in = CheckIn(partnership=partnership, held_at=held_at, channel="phone", summary="Rapat bulanan")
    services.checkins.check_in_record(user=facilitator, check_in=check_in)
    cancelled = (ReminderStatus.CANCELLED, CancelReason.HELD_OR_MOVED)
    assert outcome() == {"user": cancelled, "contact": cancelled}
    assert mail.outbox == []


def test_it_cancels_every_reminder_of_a_partnership_paused_after_the_sweep(partnership, facilitator) -> None:
    services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status=PartnershipStatus.AGREED, reason="Sepakat"
    )
    services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status=PartnershipStatus.PAUSED, reason="Musim tanam"
    )
    cancelled = (ReminderStatus.CANCELLED, CancelReason.PAUSED)
    assert outcome() == {"user": cancelled, "contact": cancelled}


def test_it_cancels_when_the_schedule_was_paused(partnership) -> None:
    CheckInSchedule.objects.update(paused=True)
    assert outcome()["contact"] == (ReminderStatus.CANCELLED, CancelReason.PAUSED)


def test_it_sends_to_the_facilitator_but_not_to_a_contact_who_withdrew_consent(partnership) -> None:
    Contact.objects.filter(email=CONTACT).update(consent_to_contact=False)
    assert outcome() == {
        "user": (ReminderStatus.SENT, ""),
        "contact": (ReminderStatus.CANCELLED, CancelReason.CONSENT_WITHDRAWN),
    }
    assert sent_to() == [FACILITATOR]


def test_it_cancels_for_someone_who_unsubscribed_after_the_sweep(partnership, facilitator) -> None:
    services.reminders.unsubscribe(recipient_key=f"user:{facilitator.pk}")
    assert outcome()["user"] == (ReminderStatus.CANCELLED, CancelReason.UNSUBSCRIBED)
    assert sent_to() == [CONTACT]


def test_it_cancels_for_a_deactivated_account(partnership, facilitator) -> None:
    facilitator.is_active = False
    facilitator.save()
    assert outcome()["user"] == (ReminderStatus.CANCELLED, CancelReason.DEACTIVATED)


def test_it_cancels_for_a_facilitator_taken_off_the_partnership(partnership, facilitator) -> None:
    partnership.facilitators.remove(facilitator)
    assert outcome()["user"] == (ReminderStatus.CANCELLED, CancelReason.NOT_INVOLVED)


def test_it_cancels_and_forgets_the_address_of_a_contact_erased_after_the_sweep(partnership, facilitator) -> None:
    contact = Contact.objects.get(email=CONTACT)
    partner_services.contact_erase(user=facilitator, contact=contact)
    row = Reminder.objects.get(contact=contact)
    assert (row.status, row.cancel_reason, row.email) == (ReminderStatus.CANCELLED, CancelReason.ERASED, "")
    services.reminders.deliver()
    assert sent_to() == [FACILITATOR]


def test_it_forgets_an_erased_contacts_address_on_reminders_already_sent(partnership, facilitator) -> None:
    services.reminders.deliver()
    contact = Contact.objects.get(email=CONTACT)
    partner_services.contact_erase(user=facilitator, contact=contact)
    row = Reminder.objects.get(contact=contact)
    assert (row.status, row.email) == (ReminderStatus.SENT, "")
    assert not Reminder.objects.filter(email=CONTACT).exists()


def test_it_cancels_a_commitment_reminder_once_the_commitment_was_kept(partnership, facilitator, org_a) -> None:
    commitment = services.commitments.commitment_make(
        user=facilitator,
        commitment=Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by=org_a,
            text="Menyiapkan 500 polybag",
            due_on=timezone.localdate() + datetime.timedelta(days=1),
        ),
    )
    services.reminders.sweep()
    rows = Reminder.objects.filter(subject_type="commitment")
    assert rows.count() == 2
    services.commitments.commitment_mark_kept(user=facilitator, commitment=commitment)
    services.reminders.deliver()
    assert set(rows.values_list("status", "cancel_reason")) == {(ReminderStatus.CANCELLED, CancelReason.CLOSED)}


def test_it_sends_a_reminder_to_the_address_a_facilitator_changed_to_after_the_sweep(partnership, facilitator) -> None:
    facilitator.email = "baru@example.org"
    facilitator.save()
    services.reminders.deliver()
    assert sent_to() == sorted(["baru@example.org", CONTACT])


def test_it_goes_on_to_the_next_batch_when_a_whole_batch_was_cancelled(partnership, facilitator) -> None:
    Contact.objects.filter(email=CONTACT).update(consent_to_contact=False)
    Reminder.objects.filter(contact__isnull=True).update(next_attempt_at=timezone.now())
    Reminder.objects.filter(contact__isnull=False).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.reminders.deliver(batch_size=1) == 1  # the first batch (the contact's) was all cancelled
    assert sent_to() == [FACILITATOR]
