"""Forms of check-in rhythms and check-ins; times are read in the partnership's zone."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import localtime, submission_keys
from accounts.models import User
from accounts.roles import FACILITATOR
from engagements.domain.schedules import zone_of
from engagements.forms.partnerships import DATE_INPUT
from engagements.models import (
    CheckIn,
    CheckInSchedule,
    Partnership,
)
from partners.models import Contact
from partners.text import VisibleTextField


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = CheckInSchedule
        fields = [
            "cadence",
            "interval",
            "month_week",
            "month_weekday",
            "starts_on",
            "grace_days",
            "lead_days",
            "channel",
            "time_zone",
            "repeat_every_days",
            "escalate_after",
            "paused",
        ]
        widgets = {"starts_on": DATE_INPUT}
        help_texts = {
            "interval": _("For “every N days” or “every N weeks”."),
            "month_week": _("For the monthly rule, such as the first Monday of each month."),
            "starts_on": _("Counted from this day until the first check-in is logged."),
        }
        labels = {"paused": _("Paused: no reminders while the partnership rests")}


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in a named zone, whatever the viewer's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, zone: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zone = zoneinfo.ZoneInfo(zone)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.zone)
        return value

    def to_python(self, value: str | datetime.datetime | datetime.date | None) -> datetime.datetime | None:
        with timezone.override(self.zone):
            return super().to_python(value)


class AttendingContactsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} ({obj.organization.name})"


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = [
            "held_at",
            "channel",
            "contacts",
            "participants",
            "summary",
            "decisions",
            "next_steps",
            "shared_notes",
            "internal_notes",
        ]
        field_classes = {
            "contacts": AttendingContactsField,
            "summary": VisibleTextField,
            "decisions": VisibleTextField,
            "next_steps": VisibleTextField,
            "shared_notes": VisibleTextField,
            "internal_notes": VisibleTextField,
        }
        widgets = {
            "contacts": forms.CheckboxSelectMultiple,
            "participants": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "shared_notes": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }

    # Opened with a fresh random key, sent back with the entry: see accounts.submission_keys.
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", submission_keys.new_key())
        zone = zone_of(partnership)
        self.fields["held_at"] = ZonedDateTimeField(
            zone=zone,
            label=_("Date and time"),
            help_text=_("In the partnership's time zone: %(zone)s.") % {"zone": localtime.zone_choice_label(zone)},
        )
        cast(AttendingContactsField, self.fields["contacts"]).queryset = Contact.objects.filter(
            organization__partnership_memberships__partnership=partnership, erased_at__isnull=True
        ).select_related("organization")
        cast(forms.ModelMultipleChoiceField, self.fields["participants"]).queryset = User.objects.filter(
            groups__name=FACILITATOR, is_active=True
        ).order_by("username")
        if not self.instance.pk:
            # The blank instance's values would win over field.initial.
            self.initial["held_at"] = timezone.now().replace(second=0, microsecond=0)
            schedule = getattr(partnership, "schedule", None)
            if schedule is not None:
                self.initial["channel"] = schedule.channel

    def clean_held_at(self) -> datetime.datetime:
        held_at = self.cleaned_data["held_at"]
        if held_at > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("A check-in that was held cannot be in the future."))
        return held_at
