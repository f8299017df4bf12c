"""The WhatsApp channel's writes: delivery statuses from the webhook, and the email a failed message falls back to."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from engagements.models import (
    DELIVERY_RANK,
    Invitation,
    InvitationChannel,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    WhatsAppDelivery,
)
from engagements.services import outbox
from engagements.whatsapp import StatusUpdate

logger = logging.getLogger(__name__)


def reminder_fall_back_to_email(reminder: Reminder) -> bool:
    """WhatsApp could not deliver ``reminder``: the same reminder by email, where the contact has an address.

    The email is another row of the outbox (the channel is part of its
    unique key), so a failure reported twice still makes one email, and it
    goes through the same re-check and guarantees as any other.
    """
    contact = reminder.contact
    if contact is None:
        return False
    base: outbox.ReminderRow = {
        "partnership_id": reminder.partnership_id,
        "kind": reminder.kind,
        "subject_type": reminder.subject_type,
        "subject_id": reminder.subject_id,
        "occurrence": reminder.occurrence,
        "due_on": reminder.due_on,
    }
    row = outbox.contact_row(contact, base, channel=ReminderChannel.EMAIL)
    return bool(row and outbox.reminders_insert([row]))


@transaction.atomic
def _fail_and_fall_back(reminder: Reminder, text: str, now: datetime.datetime) -> int:
    """Compare-and-set, with the fallback in the same transaction: of two deliveries of one update, one acts."""
    failed = (
        Reminder.objects.filter(pk=reminder.pk)
        .exclude(delivery_status=WhatsAppDelivery.FAILED)
        .update(
            delivery_status=WhatsAppDelivery.FAILED,
            delivery_status_at=now,
            status=ReminderStatus.FAILED,
            last_error=text[:2000],
        )
    )
    if failed:
        logger.warning("Reminder %s: %s", reminder.pk, text)
        reminder_fall_back_to_email(reminder)
    return failed


def whatsapp_statuses_record(updates: list[StatusUpdate]) -> int:
    """Record what the webhook reported; returns how many reminders and invitations changed.

    A status only moves forward (sent, delivered, read), so a replayed or
    late update changes nothing. "failed" fails the reminder once, with
    WhatsApp's reason, and falls back to email; a failed invitation shows
    the reason on the partnership's invitations.
    """
    changed = 0
    now = timezone.now()
    for update in updates:
        reminders = Reminder.objects.filter(provider_message_id=update.message_id, channel=ReminderChannel.WHATSAPP)
        invitations = Invitation.objects.filter(
            provider_message_id=update.message_id, channel=InvitationChannel.WHATSAPP_API
        )
        if update.status == WhatsAppDelivery.FAILED:
            text = f"WhatsApp could not deliver it: {update.error or 'no reason given'}"[:2000]
            for reminder in reminders.exclude(delivery_status=WhatsAppDelivery.FAILED).select_related("contact"):
                changed += _fail_and_fall_back(reminder, text, now)
            changed += invitations.exclude(delivery_status=WhatsAppDelivery.FAILED).update(
                delivery_status=WhatsAppDelivery.FAILED, delivery_status_at=now, last_error=text
            )
        elif update.status in DELIVERY_RANK and update.status:
            earlier = [status for status, rank in DELIVERY_RANK.items() if rank < DELIVERY_RANK[update.status]]
            for rows in (reminders, invitations):
                changed += rows.filter(delivery_status__in=earlier).update(
                    delivery_status=update.status, delivery_status_at=now
                )
    return changed
