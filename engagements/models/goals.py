"""Shared goals, what each member gains from them, and progress measured over time."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.partnerships import Partnership, PartnershipMember

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from engagements.domain.goals import Chart, Direction


class GoalStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class SharedGoal(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="goals", verbose_name=_("partnership")
    )
    statement = models.CharField(_("goal"), max_length=300)
    success_indicator = models.CharField(_("success indicator"), max_length=300, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=Decimal(0))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example: households, trees, %."))
    start_date = models.DateField(_("counting from"), default=timezone.localdate)
    target_date = models.DateField(_("target date"))
    status_override = models.CharField(
        _("status set by the facilitator"),
        max_length=10,
        choices=GoalStatus.choices,
        blank=True,
        help_text=_("Leave empty to use the status suggested from progress against time."),
    )
    shared_notes = models.TextField(_("shared notes"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    # Set by selectors.goals.describe_goal for the pages; annotations only, not fields.
    latest_value: Decimal
    direction: Direction
    moved: Direction | None
    percent: int
    suggested_status: GoalStatus
    suggested_status_label: StrOrPromise
    shown_status: str
    shown_status_label: StrOrPromise
    chart: Chart

    class Meta:
        ordering = ["partnership", "position", "pk"]
        verbose_name = _("shared goal")
        verbose_name_plural = _("shared goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_date__gte=models.F("start_date")), name="goal_target_date_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.statement


class GoalBenefit(models.Model):
    """What one member organization gains from a shared goal."""

    goal = models.ForeignKey(SharedGoal, on_delete=models.CASCADE, related_name="benefits")
    member = models.ForeignKey(
        PartnershipMember, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("member organization")
    )
    benefit = models.TextField(_("what they gain"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        constraints = [models.UniqueConstraint(fields=["goal", "member"], name="one_benefit_per_goal_and_member")]

    def __str__(self) -> str:
        return self.benefit


class ProgressUpdate(models.Model):
    goal = models.ForeignKey(SharedGoal, on_delete=models.CASCADE, related_name="progress_updates")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True, help_text=_("Shared with the partners."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "measured_on", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.value} ({self.measured_on})"
