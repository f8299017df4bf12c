"""Partnerships, their shared goals and the collaborative plan.

Tables and single-row invariants only; rules that span rows live in
``engagements.services``. Every note is either internal (facilitators only)
or shared (partner members and share links may read it): the field names say
which.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Contact, Organization


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    TRANSITIONING = "transitioning", _("Transitioning")
    CLOSED = "closed", _("Closed")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_LEAD = "co_lead", _("Co-lead")
    MEMBER = "member", _("Member")
    SUPPORTER = "supporter", _("Supporter")


class Partnership(models.Model):
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.EXPLORING
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_partnerships", verbose_name=_("facilitators")
    )
    shared_notes = models.TextField(_("shared notes"), blank=True, help_text=_("Partner members can read these."))
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Facilitators only."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("partnership")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PartnershipStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PartnershipStatus.choices)
    reason = models.TextField(_("why"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_status} -> {self.to_status}"


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="members", verbose_name=_("partnership")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnership_memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["partnership", "role", "organization__name"]
        verbose_name = _("member organization")
        verbose_name_plural = _("member organizations")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organization"], name="one_membership_per_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


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

    class Meta:
        ordering = ["goal", "measured_on", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.value} ({self.measured_on})"


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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The plan reads in the order things are due; undated activities last.
        ordering = ["partnership", models.F("due_date").asc(nulls_last=True), "position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A single-use, expiring link for a partner contact to set a password."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("partnership")
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.partnership}"


class ShareLink(models.Model):
    """A read-only link to one partnership's shared plan, for a group chat."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="share_links", verbose_name=_("partnership")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=120, blank=True, help_text=_("For example: the WhatsApp group."))
    expires_on = models.DateField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    shows_working_plan = models.BooleanField(
        _("show the working plan"),
        default=False,
        help_text=_(
            "Off: the page shows the last agreed revision of the plan. On: it shows the plan as it is now, "
            "marked as a working draft."
        ),
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    last_viewed_at = models.DateTimeField(_("last viewed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return self.label or f"{self.partnership} ({self.expires_on})"


# --- Regular communication: check-ins and reminders --------------------------


class Cadence(models.TextChoices):
    DAYS = "days", _("Every N days")
    WEEKS = "weeks", _("Every N weeks")
    MONTHLY = "monthly", _("Monthly, on a weekday of the month")


class CheckInChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    WHATSAPP_CALL = "whatsapp_call", _("WhatsApp call")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    MESSAGE = "message", _("Message")


PARTNERSHIP_TIME_ZONES = [
    ("Asia/Jakarta", _("WIB (Asia/Jakarta)")),
    ("Asia/Makassar", _("WITA (Asia/Makassar)")),
    ("Asia/Jayapura", _("WIT (Asia/Jayapura)")),
]


class CheckInSchedule(models.Model):
    """The expected rhythm of check-ins: a dead-man's switch per partnership.

    ``due_on``, ``remind_from`` and ``late_from`` are derived by
    ``engagements.schedules`` whenever the schedule or its check-ins change,
    so that the reminder sweep is a plain date comparison.
    """

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("partnership")
    )
    cadence = models.CharField(_("cadence"), max_length=8, choices=Cadence.choices, default=Cadence.WEEKS)
    interval = models.PositiveSmallIntegerField(
        _("every"), default=2, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    month_week = models.SmallIntegerField(
        _("week of the month"),
        default=1,
        choices=[(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last"))],
    )
    month_weekday = models.SmallIntegerField(
        _("weekday"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"), default=3, validators=[MaxValueValidator(60)]
    )
    lead_days = models.PositiveSmallIntegerField(
        _("remind this many days before"), default=2, validators=[MaxValueValidator(30)]
    )
    channel = models.CharField(
        _("preferred channel"), max_length=16, choices=CheckInChannel.choices, default=CheckInChannel.WHATSAPP_CALL
    )
    time_zone = models.CharField(_("time zone"), max_length=32, choices=PARTNERSHIP_TIME_ZONES, default="Asia/Jakarta")
    repeat_every_days = models.PositiveSmallIntegerField(
        _("while late, remind again every (days)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("copy the lead facilitator after this many late reminders"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    paused = models.BooleanField(_("paused"), default=False)
    starts_on = models.DateField(_("counting from"), default=timezone.localdate)
    # Derived (see engagements.schedules).
    last_held_on = models.DateField(_("last check-in on"), null=True, blank=True, editable=False)
    planned_on = models.DateField(_("planned on"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)
    remind_from = models.DateField(_("remind from"), null=True, blank=True, editable=False, db_index=True)
    late_from = models.DateField(_("late from"), null=True, blank=True, editable=False, db_index=True)
    dormant_from = models.DateField(_("dormant from"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedules")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_cadence_display()}"


class CheckIn(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("partnership")
    )
    held_at = models.DateTimeField(_("date and time"))
    channel = models.CharField(_("channel"), max_length=16, choices=CheckInChannel.choices)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="check_ins", verbose_name=_("who took part from the groups")
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="check_ins", verbose_name=_("who took part from our team")
    )
    summary = models.TextField(_("summary"))
    decisions = models.TextField(_("decisions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True, help_text=_("One per line."))
    shared_notes = models.TextField(_("shared notes"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.partnership} {self.held_at:%Y-%m-%d}"

    def next_step_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.next_steps.splitlines() if line.strip(" -•\t")]


class ReminderKind(models.TextChoices):
    CHECK_IN_DUE = "checkin_due", _("Check-in coming due")
    CHECK_IN_LATE = "checkin_late", _("Check-in late")
    CHECK_IN_ESCALATION = "checkin_escalation", _("Check-in late: escalation")
    ACTIVITY_DUE = "activity_due", _("Activity due soon")
    ACTIVITY_OVERDUE = "activity_overdue", _("Activity overdue")


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
    subject_type = models.CharField(max_length=10)  # "checkin" or "activity"
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
