"""The collaborative plan: activities, RACI roles, agreed revisions and reusable templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.goals import SharedGoal
from engagements.models.partnerships import Partnership, PartnershipMember
from partners.models import Contact


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities", verbose_name=_("partnership")
    )
    goal = models.ForeignKey(
        SharedGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("goal")
    )
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    shared_notes = models.TextField(_("shared notes"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Set when the activity was made from a next step of a check-in: that
    # step (its line number) becomes at most one activity.
    source_check_in = models.ForeignKey(
        "CheckIn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("from the check-in"),
        editable=False,
    )
    source_step = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # The sweep's memory: the due date whose "due soon" and "overdue" reminders
    # it wrote, so a repeat sweep skips them; a new due date is reminded anew.
    due_reminded_for = models.DateField(null=True, blank=True, editable=False)
    overdue_reminded_for = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["due_reminded_for", "overdue_reminded_for"])

    # Set by selectors.plans.plan_activities for the pages; an annotation only, not a field.
    is_late: bool

    class Meta:
        # The plan reads in the order things are due; undated activities last.
        ordering = ["partnership", models.F("due_date").asc(nulls_last=True), "position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # Today's activities section: the open ones by due date (engagements/migrations/0018).
        indexes = [
            models.Index(
                fields=["due_date", "id"],
                condition=models.Q(status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS]),
                name="activity_open_due",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["source_check_in", "source_step"], name="one_activity_per_check_in_step"),
            models.CheckConstraint(
                condition=models.Q(source_check_in__isnull=True, source_step__isnull=True)
                | models.Q(source_check_in__isnull=False, source_step__isnull=False),
                name="activity_source_is_check_in_and_step",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Raci(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class ActivityRole(models.Model):
    """The RACI role of one member organization on one activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="roles")
    member = models.ForeignKey(
        PartnershipMember,
        on_delete=models.CASCADE,
        related_name="activity_roles",
        verbose_name=_("member organization"),
    )
    role = models.CharField(_("role"), max_length=1, choices=Raci.choices)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("named person")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "member"]
        verbose_name = _("activity role")
        verbose_name_plural = _("activity roles")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="one_role_per_member_and_activity"),
            # "Exactly one" is checked by the services; the database keeps
            # "at most one" true under any race.
            models.UniqueConstraint(
                fields=["activity"], condition=models.Q(role="A"), name="at_most_one_accountable_per_activity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.role}"


class PlanRevision(models.Model):
    """An agreed plan, frozen: what everyone said yes to, and when."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("partnership")
    )
    number = models.PositiveIntegerField(_("revision"))
    summary = models.TextField(_("summary of what was agreed"))
    snapshot = models.JSONField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("agreed by")
    )
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        ordering = ["partnership", "-number"]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="revision_numbers_are_unique")]

    def __str__(self) -> str:
        return f"{self.partnership} r{self.number}"


class PlanTemplate(models.Model):
    """Activities with day offsets from the start and default roles by member role."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    activities = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return self.name
