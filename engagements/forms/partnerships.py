"""Forms about partnerships and their member organizations."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import FACILITATOR
from engagements.models import (
    MemberRole,
    Partnership,
    PartnershipStatus,
)
from engagements.services.partnerships import ALLOWED_TRANSITIONS
from partners.models import Organization
from partners.text import NameField, VisibleTextField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        field_classes = {"title": NameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["facilitators"]).queryset = User.objects.filter(
            groups__name=FACILITATOR, is_active=True
        ).order_by("username")
        if self.instance.pk:
            self.initial["facilitators"] = list(self.instance.facilitators.all())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = VisibleTextField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS.get(partnership.status, set())
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, label) for value, label in PartnershipStatus.choices if value in allowed
        ]


class MemberForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role in the partnership"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = Organization.objects.active().exclude(
            partnership_memberships__partnership=partnership
        )
