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


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Reminder(models.Model):
    """The outbox: one row per (subject, occurrence, recipient, kind), never two.

    The sweep inserts rows (a second insert of the same row does nothing);
    delivery claims rows with a lease, sends, and stamps them sent.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    subject_type = models.CharField(max_length=10)  # "checkin", "activity" or "commitment"
    subject_id = models.BigIntegerField()
    occurrence = models.CharField(max_length=40)
    recipient_key = models.CharField(max_length=20)  # "user:12" or "contact:7"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=8, default="id")
    digest = models.BooleanField(_("in the daily digest"), default=False)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReminderStatus.choices, default=ReminderStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "occurrence", "recipient_key", "kind"],
                name="one_reminder_per_subject_occurrence_recipient_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email} ({self.occurrence})"
