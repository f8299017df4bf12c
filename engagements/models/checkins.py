"""Regular communication: the check-in rhythm of a partnership and the check-ins held."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.partnerships import Partnership
from partners.models import Contact


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
    ``engagements.domain.schedules`` whenever the schedule or its check-ins change,
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
    # Derived (see engagements.domain.schedules).
    last_held_on = models.DateField(_("last check-in on"), null=True, blank=True, editable=False)
    planned_on = models.DateField(_("planned on"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)
    remind_from = models.DateField(_("remind from"), null=True, blank=True, editable=False, db_index=True)
    late_from = models.DateField(_("late from"), null=True, blank=True, editable=False, db_index=True)
    dormant_from = models.DateField(_("dormant from"), null=True, blank=True, editable=False)
    # The sweep's watermark: the next day this schedule may need a reminder it
    # does not have yet (remind_from, then late_from, then every repeat). A
    # sweep reads only schedules whose day has come, so a repeat sweep with
    # nothing new reads nothing.
    next_reminder_on = models.DateField(null=True, blank=True, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The watermark is the sweep's business, not a change anybody made.
    history = HistoricalRecords(excluded_fields=["next_reminder_on"])

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
    # The key the form was opened with: a submission sent twice (a phone that
    # queued it offline and sent it again, a double tap) logs one check-in.
    submission_key = models.CharField(max_length=36, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="one_check_in_per_submission",
                violation_error_message=_("This form was sent already for another partnership: open the form again."),
            )
        ]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.partnership} {self.held_at:%Y-%m-%d}"

    def next_step_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.next_steps.splitlines() if line.strip(" -•\t")]
