"""The outbox of reminders: one row per subject, occurrence, recipient and kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models.partnerships import Partnership
from partners.models import Contact


class ReminderKind(models.TextChoices):
    CHECK_IN_DUE = "checkin_due", _("Check-in coming due")
    CHECK_IN_LATE = "checkin_late", _("Check-in late")
    CHECK_IN_ESCALATION = "checkin_escalation", _("Check-in late: escalation")
    ACTIVITY_DUE = "activity_due", _("Activity due soon")
    ACTIVITY_OVERDUE = "activity_overdue", _("Activity overdue")
    COMMITMENT_DUE = "commitment_due", _("Commitment due soon")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Commitment overdue")
    HEALTH_CHECK_OPEN = "health_check", _("Health check to answer")
    HEALTH_CHECK_CLOSING = "health_closing", _("Health check closing soon")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    # The worker stopped after handing the email to the mail server and before
    # it could write down the answer: it may or may not have gone out.
    UNCERTAIN = "uncertain", _("Outcome unknown")


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class WhatsAppDelivery(models.TextChoices):
    """What WhatsApp reported of a message it accepted, in the order it happens."""

    SENT = "sent", _("Sent to the phone")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Not delivered")


# A status only moves forward: a late or replayed "delivered" never undoes "read".
DELIVERY_RANK = {"": 0, WhatsAppDelivery.SENT: 1, WhatsAppDelivery.DELIVERED: 2, WhatsAppDelivery.READ: 3}


class CancelReason(models.TextChoices):
    """Why a reminder written by the sweep was no longer true when its turn to be sent came."""

    SUBJECT_GONE = "subject_gone", _("What it was about no longer exists")
    HELD_OR_MOVED = "held_or_moved", _("The check-in was held or the date moved")
    CLOSED = "closed", _("The activity or commitment is no longer open")
    PAUSED = "paused", _("The partnership or its schedule is paused or closed")
    CONSENT_WITHDRAWN = "consent", _("The contact withdrew consent")
    UNSUBSCRIBED = "unsubscribed", _("The person unsubscribed from reminders")
    ERASED = "erased", _("The contact was erased")
    DEACTIVATED = "deactivated", _("The account was deactivated")
    NOT_INVOLVED = "not_involved", _("No longer part of the partnership")
    NO_ADDRESS = "no_address", _("No email address or phone any more")
    ANSWERED = "answered", _("The person already answered the health check")
    ROUND_CLOSED = "round_closed", _("The health check is closed")


class Reminder(models.Model):
    """The outbox: one row per (subject, occurrence, recipient, kind, channel), never two.

    The sweep inserts rows (a second insert of the same row does nothing);
    delivery claims rows with a lease, re-checks that they are still true,
    stamps its intent, sends, and stamps the outcome (``services.outbox``).
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    subject_type = models.CharField(max_length=10)  # "checkin", "activity", "commitment" or "health" (a round)
    subject_id = models.BigIntegerField()
    occurrence = models.CharField(max_length=40)
    recipient_key = models.CharField(max_length=20)  # "user:12" or "contact:7"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(
        _("channel"), max_length=10, choices=ReminderChannel.choices, default=ReminderChannel.EMAIL
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # E.164, on the WhatsApp channel
    language = models.CharField(_("language"), max_length=8, default="id")
    digest = models.BooleanField(_("in the daily digest"), default=False)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING, db_index=True
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=16, choices=CancelReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    # The intent: stamped (and committed) just before the mail server is
    # given the message. A row found with an intent and an expired lease was
    # maybe sent: it becomes "uncertain" instead of being sent again.
    send_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    # The first temporary failure of the current run of them: temporary
    # failures are retried until REMINDER_RETRY_HOURS after it.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # WhatsApp: the message id the Cloud API answered, and the last status its webhook reported.
    provider_message_id = models.CharField(max_length=128, blank=True, db_index=True)
    delivery_status = models.CharField(_("delivery"), max_length=10, choices=WhatsAppDelivery.choices, blank=True)
    delivery_status_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "occurrence", "recipient_key", "kind", "channel"],
                name="one_reminder_per_subject_occurrence_recipient_kind_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address or '-'} ({self.occurrence})"

    @property
    def address(self) -> str:
        return self.phone if self.channel == ReminderChannel.WHATSAPP else self.email

    @property
    def may_be_sent_again(self) -> bool:
        return self.status in (ReminderStatus.FAILED, ReminderStatus.UNCERTAIN)
