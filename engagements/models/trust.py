"""The trust log: one append-only, hash-chained timeline per partnership.

Rows are only ever inserted (``services.trust.trust_entry_append``); the
database itself refuses UPDATE, DELETE and TRUNCATE (``engagements.append_only``
installs the triggers). A correction is a new entry pointing at the entry it
corrects. Texts written by the system never copy personal data: the people
an entry is about are read from its subject when it is shown, so erasing a
contact never needs to rewrite the log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models.partnerships import Partnership


class TrustEntryKind(models.TextChoices):
    # Written by the system, from what happened.
    COMMITMENT_MADE = "commitment_made", _("Commitment made")
    COMMITMENT_KEPT = "commitment_kept", _("Commitment kept")
    COMMITMENT_KEPT_LATE = "commitment_kept_late", _("Commitment kept late")
    COMMITMENT_BROKEN = "commitment_broken", _("Commitment broken")
    COMMITMENT_RENEGOTIATED = "commitment_renegotiated", _("Commitment renegotiated")
    COMMITMENT_WITHDRAWN = "commitment_withdrawn", _("Commitment withdrawn")
    COMMITMENT_CONFIRMED = "commitment_confirmed", _("Kept commitment confirmed")
    COMMITMENT_DISPUTED = "commitment_disputed", _("Kept commitment disputed")
    PLAN_AGREED = "plan_agreed", _("Plan revision agreed")
    CHECK_IN_HELD = "check_in_held", _("Check-in held")
    MEMBER_JOINED = "member_joined", _("Member joined")
    MEMBER_LEFT = "member_left", _("Member left")
    LEADERSHIP_CHANGED = "leadership_changed", _("Leadership change in a member group")
    # A facilitator's answer to an automatic risk flag (services.risks).
    FLAG_ACKNOWLEDGED = "flag_acknowledged", _("Risk flag acknowledged")
    # Added by a facilitator.
    BUDGET_SHARED = "budget_shared", _("Budget shared")
    REPORT_SHARED = "report_shared", _("Report shared")
    OPEN_MEETING = "open_meeting", _("Open meeting")
    CONFLICT_RAISED = "conflict_raised", _("Conflict raised")
    CONFLICT_RESOLVED = "conflict_resolved", _("Conflict resolved")
    OTHER = "other", _("Other")
    CORRECTION = "correction", _("Correction")


class TrustEntry(models.Model):
    # PROTECT everywhere: a cascade or SET NULL would be an UPDATE or DELETE
    # of a log row, which the database refuses.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="trust_entries", verbose_name=_("partnership")
    )
    sequence = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=32, choices=TrustEntryKind.choices)
    happened_at = models.DateTimeField(_("happened at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # What the entry is about ("commitment", "check_in", "member", "revision",
    # "leadership_term"...), read at display time; no foreign key, so that
    # nothing the entry points to can cascade into the log.
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    shared_text = models.TextField(_("shared text"), blank=True)
    internal_text = models.TextField(_("internal text"), blank=True, help_text=_("Facilitators only."))
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False, unique=True)

    class Meta:
        ordering = ["partnership", "sequence"]
        verbose_name = _("trust log entry")
        verbose_name_plural = _("trust log entries")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "sequence"], name="one_trust_entry_per_sequence_number")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} #{self.sequence}: {self.get_kind_display()}"

    def chained_content(self) -> dict[str, object]:
        """What the hash covers: every fact of the entry, none of the chain fields themselves."""
        return {
            "partnership": self.partnership_id,
            "sequence": self.sequence,
            "kind": self.kind,
            "happened_at": self.happened_at,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by_id,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "shared_text": self.shared_text,
            "internal_text": self.internal_text,
            "corrects": self.corrects_id,
        }
