from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import localtime
from accounts.models import User
from accounts.roles import FACILITATOR
from engagements.models import (
    Activity,
    ActivityStatus,
    CheckIn,
    CheckInSchedule,
    GoalStatus,
    MemberRole,
    Partnership,
    PartnershipMember,
    ProgressUpdate,
    Raci,
    SharedGoal,
)
from engagements.schedules import zone_of
from engagements.services import ALLOWED_TRANSITIONS
from partners.models import Contact, Organization

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROLE_CHOICES = [("", "—"), *Raci.choices]


class PartnershipForm(forms.ModelForm):
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You are added as a facilitator of a partnership you create."),
    )

    class Meta:
        model = Partnership
        fields = ["title", "purpose", "start_date", "end_date", "shared_notes", "internal_notes"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "shared_notes": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = User.objects.filter(groups__name=FACILITATOR, is_active=True).order_by(
            "username"
        )
        if self.instance.pk:
            self.initial["facilitators"] = list(self.instance.facilitators.all())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: object, partnership: Partnership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS.get(partnership.status, set())
        self.fields["status"].choices = [
            (value, label) for value, label in Partnership._meta.get_field("status").choices if value in allowed
        ]


class MemberForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role in the partnership"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args: object, partnership: Partnership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.active().exclude(
            partnership_memberships__partnership=partnership
        )


class GoalForm(forms.ModelForm):
    class Meta:
        model = SharedGoal
        fields = [
            "statement",
            "success_indicator",
            "baseline",
            "target",
            "unit",
            "start_date",
            "target_date",
            "status_override",
            "shared_notes",
            "internal_notes",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "target_date": DATE_INPUT,
            "shared_notes": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, members: list[PartnershipMember], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        benefits = {b.member_id: b.benefit for b in self.instance.benefits.all()} if self.instance.pk else {}
        for member in members:
            self.fields[f"benefit_{member.pk}"] = forms.CharField(
                label=_("What %(name)s gains") % {"name": member.organization.name},
                required=False,
                max_length=1000,
                initial=benefits.get(member.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("target_date")
        if start and end and end < start:
            self.add_error("target_date", _("The target date cannot be before the start."))
        if cleaned.get("target") is not None and cleaned.get("target") == cleaned.get("baseline"):
            self.add_error("target", _("The target must differ from the baseline."))
        return cleaned

    def changed_fields(self) -> list[str]:
        fields = [name for name in self.changed_data if not name.startswith("benefit_")]
        return fields + (["benefits"] if len(fields) < len(self.changed_data) else [])

    def benefits(self) -> dict[PartnershipMember, str]:
        return {member: self.cleaned_data.get(f"benefit_{member.pk}", "") for member in self.members}


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["value", "measured_on", "note"]
        widgets = {"measured_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}

    def clean_measured_on(self):
        measured_on = self.cleaned_data["measured_on"]
        if measured_on > timezone.localdate():
            raise forms.ValidationError(_("Progress cannot be measured in the future."))
        return measured_on


class GoalStatusForm(forms.Form):
    status_override = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("As suggested")), *GoalStatus.choices]
    )


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "goal", "description", "due_date", "status", "shared_notes", "internal_notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE_INPUT,
            "shared_notes": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: object, partnership: Partnership, members: list[PartnershipMember], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["goal"].queryset = SharedGoal.objects.filter(partnership=partnership)
        current = {r.member_id: r.role for r in self.instance.roles.all()} if self.instance.pk else {}
        for member in members:
            self.fields[f"role_{member.pk}"] = forms.ChoiceField(
                label=_("Role of %(name)s") % {"name": member.organization.name},
                choices=ROLE_CHOICES,
                required=False,
                initial=current.get(member.pk, ""),
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.members and [self.cleaned_data.get(f"role_{m.pk}") for m in self.members].count(Raci.ACCOUNTABLE) != 1:
            raise forms.ValidationError(_("Choose exactly one accountable (A) member organization."))
        return cleaned

    def changed_fields(self) -> list[str]:
        fields = [name for name in self.changed_data if not name.startswith("role_")]
        return fields + (["roles"] if len(fields) < len(self.changed_data) else [])

    def roles(self) -> dict[PartnershipMember, str]:
        return {member: self.cleaned_data.get(f"role_{member.pk}", "") for member in self.members}

    def role_fields(self):
        return [self[f"role_{member.pk}"] for member in self.members]


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)


class RoleCellForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)


class AgreeForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of what was agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Who agreed, where, and what changed from the last version."),
    )


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), required=False, max_length=120, help_text=_("For example: the WhatsApp group.")
    )
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE_INPUT)
    shows_working_plan = forms.BooleanField(
        label=_("Show the working plan instead of the last agreed revision"),
        required=False,
        help_text=_("Leave this off to show partners only what was agreed."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + timezone.timedelta(days=30)


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

    def __init__(self, *, zone: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.zone = zoneinfo.ZoneInfo(zone)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.zone)
        return value

    def to_python(self, value: object) -> datetime.datetime | None:
        with timezone.override(self.zone):
            return super().to_python(value)


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
        widgets = {
            "contacts": forms.CheckboxSelectMultiple,
            "participants": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "shared_notes": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, partnership: Partnership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        zone = zone_of(partnership)
        self.fields["held_at"] = ZonedDateTimeField(
            zone=zone,
            label=_("Date and time"),
            help_text=_("In the partnership's time zone: %(zone)s.") % {"zone": localtime.zone_choice_label(zone)},
        )
        self.fields["contacts"].queryset = Contact.objects.filter(
            organization__partnership_memberships__partnership=partnership, erased_at__isnull=True
        ).select_related("organization")
        self.fields["contacts"].label_from_instance = lambda c: f"{c.name} ({c.organization.name})"
        self.fields["participants"].queryset = User.objects.filter(groups__name=FACILITATOR, is_active=True).order_by(
            "username"
        )
        if not self.instance.pk:
            # The blank instance's values would win over field.initial.
            self.initial["held_at"] = timezone.now().replace(second=0, microsecond=0)
            schedule = getattr(partnership, "schedule", None)
            if schedule is not None:
                self.initial["channel"] = schedule.channel

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        if held_at > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("A check-in that was held cannot be in the future."))
        return held_at
