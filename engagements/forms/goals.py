"""Forms about shared goals and their progress."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.forms.partnerships import DATE_INPUT
from engagements.models import (
    GoalStatus,
    PartnershipMember,
    ProgressUpdate,
    SharedGoal,
)
from partners.text import NameField, VisibleTextField


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
        field_classes = {"statement": NameField}

    def __init__(self, *args: Any, members: list[PartnershipMember], **kwargs: Any) -> None:
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
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
        field_classes = {"note": VisibleTextField}

    def clean_measured_on(self) -> datetime.date:
        measured_on = self.cleaned_data["measured_on"]
        if measured_on > timezone.localdate():
            raise forms.ValidationError(_("Progress cannot be measured in the future."))
        return measured_on


class GoalStatusForm(forms.Form):
    status_override = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("As suggested")), *GoalStatus.choices]
    )
