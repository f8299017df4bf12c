"""Forms of the collaborative plan."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.forms.partnerships import DATE_INPUT
from engagements.models import (
    Activity,
    ActivityStatus,
    Partnership,
    PartnershipMember,
    Raci,
    SharedGoal,
)
from partners.text import NameField, VisibleTextField

ROLE_CHOICES = [("", "—"), *Raci.choices]


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
        field_classes = {"title": NameField}

    def __init__(self, *args: Any, partnership: Partnership, members: list[PartnershipMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = SharedGoal.objects.filter(partnership=partnership)
        current = {r.member_id: r.role for r in self.instance.roles.all()} if self.instance.pk else {}
        for member in members:
            self.fields[f"role_{member.pk}"] = forms.ChoiceField(
                label=_("Role of %(name)s") % {"name": member.organization.name},
                choices=ROLE_CHOICES,
                required=False,
                initial=current.get(member.pk, ""),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.members and [self.cleaned_data.get(f"role_{m.pk}") for m in self.members].count(Raci.ACCOUNTABLE) != 1:
            raise forms.ValidationError(_("Choose exactly one accountable (A) member organization."))
        return cleaned

    def changed_fields(self) -> list[str]:
        fields = [name for name in self.changed_data if not name.startswith("role_")]
        return fields + (["roles"] if len(fields) < len(self.changed_data) else [])

    def roles(self) -> dict[PartnershipMember, str]:
        return {member: self.cleaned_data.get(f"role_{member.pk}", "") for member in self.members}

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"role_{member.pk}"] for member in self.members]


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)


class RoleCellForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)


class AgreeForm(forms.Form):
    summary = VisibleTextField(
        label=_("Summary of what was agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Who agreed, where, and what changed from the last version."),
    )
