"""Forms of the risk register: a risk (new, edited, or prefilled from a flag) and a flag's acknowledgement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.forms.partnerships import DATE_INPUT
from engagements.models import Partnership, Risk, RiskCategory, RiskOwnerSide, RiskStatus
from partners.models import Organization
from partners.text import NameField, VisibleTextField

# The form's sections, for the template: each a fieldset with its legend.
SECTIONS = (
    (_("The risk"), ("category", "title", "description")),
    (_("How serious"), ("likelihood", "impact")),
    (_("What is done about it"), ("owner_side", "owner_organization", "mitigation", "status", "review_on")),
    (_("For facilitators only"), ("internal_notes",)),
)


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "category",
            "title",
            "description",
            "likelihood",
            "impact",
            "owner_side",
            "owner_organization",
            "mitigation",
            "status",
            "review_on",
            "internal_notes",
        ]
        widgets = {
            "category": forms.RadioSelect,
            "owner_side": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "review_on": DATE_INPUT,
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"title": NameField, "description": VisibleTextField, "mitigation": VisibleTextField}
        help_texts = {
            "description": _("What makes it a risk, as the members of the partnership would say it. They read it."),
            "likelihood": _("How likely it is to happen in the coming months."),
            "impact": _("How much it would hurt the partnership if it happened."),
            "owner_organization": _("When a member organization looks after it."),
            "mitigation": _("What is done, or will be done, to make it less likely or less harmful."),
            "review_on": _("When to look at it again."),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            partnership_memberships__partnership=partnership
        ).order_by("name")
        # Radio buttons: no "choose one" button among the kinds.
        self.fields["category"].choices = RiskCategory.choices  # type: ignore[attr-defined]
        # Closing has its own button, which asks to confirm; a closed risk may be reopened here.
        statuses = [RiskStatus.OPEN, RiskStatus.MITIGATING]
        if self.instance.pk is not None and self.instance.status == RiskStatus.CLOSED:
            statuses.append(RiskStatus.CLOSED)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        side, organization = cleaned.get("owner_side"), cleaned.get("owner_organization")
        if side == RiskOwnerSide.MEMBER and organization is None:
            self.add_error("owner_organization", _("Choose the member organization that looks after this risk."))
        if side == RiskOwnerSide.FACILITATORS:
            cleaned["owner_organization"] = None
            self.instance.owner_organization = None
        return cleaned

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in SECTIONS]


class AcknowledgeForm(forms.Form):
    note = VisibleTextField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you make of it, or what you will do about it. Facilitators only."),
    )
