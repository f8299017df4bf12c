"""Commitments: who promised what to whom, by when, and whether the promise was kept.

A promise is never rewritten: a new date makes a new commitment, and the old
one stays, marked renegotiated and pointing at the one that replaced it.
Every change of state is also written to the trust log by
``services.commitments``.

The promising and receiving groups are organizations (members of the
partnership when the promise was made), not membership rows: a group that
later leaves the partnership still owes, or kept, what it promised.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.checkins import CheckIn
from engagements.models.partnerships import Partnership
from partners.models import Contact, Organization


class CommitmentState(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    KEPT_LATE = "kept_late", _("Kept late")
    BROKEN = "broken", _("Broken")
    RENEGOTIATED = "renegotiated", _("Renegotiated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CommitmentSide(models.TextChoices):
    """Who promised: one member group or the facilitating side."""

    MEMBER = "member", _("A member organization")
    FACILITATORS = "facilitators", _("The facilitating side")


class CommitmentAudience(models.TextChoices):
    """To whom the promise was made."""

    MEMBER = "member", _("A member organization")
    ALL_MEMBERS = "all_members", _("All members")
    FACILITATORS = "facilitators", _("The facilitating side")


class CommitmentOrigin(models.TextChoices):
    CHECK_IN = "check_in", _("At a check-in")
    MEETING = "meeting", _("At a meeting")
    PLAN = "plan", _("In the plan")
    OTHER = "other", _("Elsewhere")


class CheckInLine(models.TextChoices):
    DECISION = "decision", _("Decision")
    NEXT_STEP = "next_step", _("Next step")


class Confirmation(models.TextChoices):
    PENDING = "", _("Not confirmed yet")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


CLOSED_STATES = (
    CommitmentState.KEPT,
    CommitmentState.KEPT_LATE,
    CommitmentState.BROKEN,
    CommitmentState.RENEGOTIATED,
    CommitmentState.WITHDRAWN,
)


class Commitment(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("partnership")
    )
    # Who promised.
    promised_by_side = models.CharField(
        _("who promised"), max_length=12, choices=CommitmentSide.choices, default=CommitmentSide.MEMBER
    )
    promised_by = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments_made",
        verbose_name=_("promising organization"),
    )
    promised_by_contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("named person"),
    )
    # What, to whom, by when.
    text = models.TextField(_("what was promised"))
    promised_to_side = models.CharField(
        _("to whom"), max_length=12, choices=CommitmentAudience.choices, default=CommitmentAudience.ALL_MEMBERS
    )
    promised_to = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments_received",
        verbose_name=_("receiving organization"),
    )
    due_on = models.DateField(_("due on"))
    # Where it was made; a check-in line becomes at most one commitment.
    origin = models.CharField(
        _("made where"), max_length=10, choices=CommitmentOrigin.choices, default=CommitmentOrigin.MEETING
    )
    check_in = models.ForeignKey(
        CheckIn,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("check-in"),
    )
    source_line_kind = models.CharField(max_length=10, choices=CheckInLine.choices, blank=True, editable=False)
    source_line = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # The lifecycle.
    state = models.CharField(_("state"), max_length=12, choices=CommitmentState.choices, default=CommitmentState.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    marked_kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    marked_kept_at = models.DateTimeField(_("marked kept at"), null=True, blank=True, editable=False)
    confirmation = models.CharField(
        _("confirmation"), max_length=10, choices=Confirmation.choices, blank=True, default=Confirmation.PENDING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    dispute_note = models.TextField(_("why it is disputed"), blank=True)
    renegotiated_as = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renegotiated_from",
        verbose_name=_("renegotiated as"),
        editable=False,
    )
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Facilitators only."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # The sweep's memory: the due date whose "due soon" and "overdue" reminders
    # it wrote, so a repeat sweep skips them; a new due date is reminded anew.
    due_reminded_for = models.DateField(null=True, blank=True, editable=False)
    overdue_reminded_for = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["due_reminded_for", "overdue_reminded_for"])

    # Set by selectors.commitments for the pages; an annotation only, not a field.
    is_late: bool

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["partnership", "state", "due_on"], name="commitment_state_due"),
            # Today's commitments section: the open ones by due date (engagements/migrations/0018).
            models.Index(
                fields=["due_on", "id"], condition=models.Q(state=CommitmentState.OPEN), name="commitment_open_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["check_in", "source_line_kind", "source_line"], name="one_commitment_per_check_in_line"
            ),
            models.CheckConstraint(
                condition=models.Q(source_line_kind="", source_line__isnull=True)
                | (~models.Q(source_line_kind="") & models.Q(source_line__isnull=False)),
                name="commitment_line_has_kind_and_number",
            ),
            models.CheckConstraint(
                condition=models.Q(promised_by_side="member", promised_by__isnull=False)
                | models.Q(promised_by_side="facilitators", promised_by__isnull=True),
                name="commitment_promised_by_matches_side",
            ),
            models.CheckConstraint(
                condition=models.Q(promised_to_side="member", promised_to__isnull=False)
                | (~models.Q(promised_to_side="member") & models.Q(promised_to__isnull=True)),
                name="commitment_promised_to_matches_side",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.state == CommitmentState.OPEN

    @property
    def awaits_confirmation(self) -> bool:
        return self.state in (CommitmentState.KEPT, CommitmentState.KEPT_LATE) and not self.confirmation
