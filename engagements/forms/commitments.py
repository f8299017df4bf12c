"""Forms of commitments: making one, the lifecycle steps that need words, and the list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.forms.partnerships import DATE_INPUT
from engagements.models import Commitment, CommitmentState, Partnership
from partners.models import Contact, Organization
from partners.text import VisibleTextField


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = [
            "promised_by_side",
            "promised_by",
            "promised_by_contact",
            "text",
            "promised_to_side",
            "promised_to",
            "due_on",
            "origin",
            "internal_notes",
        ]
        widgets = {
            "promised_by_side": forms.RadioSelect,
            "promised_to_side": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_on": DATE_INPUT,
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"text": VisibleTextField}
        help_texts = {
            "promised_by": _("When a member organization promised."),
            "promised_by_contact": _("Optional: the person of that organization who promised."),
            "text": _("As it was said. The members read it."),
            "promised_to": _("When the promise was made to one member organization."),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.filter(partnership_memberships__partnership=partnership).order_by("name")
        self.fields["promised_by"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["promised_to"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["promised_by_contact"].queryset = (  # type: ignore[attr-defined]
            Contact.objects.filter(organization__in=organizations, erased_at__isnull=True)
            .select_related("organization")
            .order_by("organization__name", "name")
        )
        self.fields["promised_by_contact"].label_from_instance = (  # type: ignore[attr-defined]
            lambda contact: f"{contact.name} ({contact.organization.name})"
        )


class ReasonForm(forms.Form):
    reason = VisibleTextField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DisputeForm(forms.Form):
    note = VisibleTextField(
        label=_("Why it does not look kept"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RenegotiateForm(forms.Form):
    due_on = forms.DateField(label=_("New date"), widget=DATE_INPUT)
    text = VisibleTextField(
        label=_("What is promised now"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave as it is when only the date changes."),
    )
    reason = VisibleTextField(
        label=_("Why it is renegotiated"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


STATE_FILTERS = [("", _("Any state")), ("awaiting", _("Kept, to confirm")), *CommitmentState.choices]
DUE_FILTERS = [
    ("", _("Any date")),
    ("overdue", _("Overdue")),
    ("soon", _("Due within a week")),
    ("later", _("Due later")),
]


class CommitmentFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=STATE_FILTERS, required=False)
    due = forms.ChoiceField(label=_("Due"), choices=DUE_FILTERS, required=False)
    organization = forms.ModelChoiceField(
        label=_("Promised by"), queryset=Organization.objects.none(), required=False, empty_label=_("Anyone")
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            partnership_memberships__partnership=partnership
        ).order_by("name")

    def criteria(self) -> dict[str, Any]:
        """What to filter by, for ``selectors.commitments.commitments_of``; a bad value filters nothing."""
        if not self.is_valid():
            return {}
        organization = self.cleaned_data["organization"]
        return {
            "state": self.cleaned_data["state"],
            "due": self.cleaned_data["due"],
            "organization": organization.pk if organization else None,
        }
