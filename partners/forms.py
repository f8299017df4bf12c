from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import submission_keys
from accounts.models import User
from accounts.roles import FACILITATOR
from partners.models import (
    PROFILE_FIELDS_WITHOUT_FOCUS_AREAS,
    Channel,
    Contact,
    FundingStability,
    Interaction,
    Kind,
    Organization,
    Stage,
)
from partners.phones import normalise_phone
from partners.regions import PROVINCES
from partners.selectors import SORTS, DirectoryQuery, possible_duplicates
from partners.services import parse_focus_areas
from partners.text import NameField, VisibleTextField, clean_names_list

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DirectoryForm(forms.Form):
    """The directory's search, filters and sort; always valid-or-ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    province = forms.ChoiceField(label=_("Province"), required=False, choices=[("", _("All provinces")), *PROVINCES])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    funding = forms.ChoiceField(
        label=_("Funding"), required=False, choices=[("", _("Any funding")), *FundingStability.choices]
    )
    active = forms.BooleanField(label=_("Only groups in an active partnership"), required=False)
    archived = forms.BooleanField(label=_("Show archived organizations"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        # Best match first, so that a search is ranked unless asked otherwise; with nothing typed it is by name.
        choices=[
            ("relevance", _("Best match")),
            ("name", _("Name")),
            ("updated", _("Recently updated")),
            ("stage", _("Stage")),
            ("founded", _("Founding year")),
        ],
    )

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"]
        return sort if sort in {*SORTS, "relevance"} else "relevance"

    def directory_query(self) -> DirectoryQuery:
        """What the URL asks for; a URL with a bad value shows everything, never a 500."""
        if not self.is_valid():
            return DirectoryQuery()
        data = self.cleaned_data
        return DirectoryQuery(
            text=data["q"],
            kind=data["kind"],
            province=data["province"],
            stage=data["stage"],
            funding_stability=data["funding"],
            in_active_partnership=data["active"],
            archived=data["archived"],
            sort=data["sort"],
        )


class OrganizationForm(forms.ModelForm):
    focus_areas_text = forms.CharField(
        label=_("Focus areas"),
        required=False,
        max_length=500,
        help_text=_("Separate them with commas, for example: waste, fisheries, digital literacy."),
    )
    confirm_not_duplicate = forms.BooleanField(label=_("This is a different group: create it anyway"), required=False)

    class Meta:
        model = Organization
        fields = ["name", *PROFILE_FIELDS_WITHOUT_FOCUS_AREAS, "internal_notes"]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "values": forms.Textarea(attrs={"rows": 2}),
            "own_goals": forms.Textarea(attrs={"rows": 3}),
            "funding_sources": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"name": NameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["focus_areas_text"] = ", ".join(a.name for a in self.instance.focus_areas.all())
        cast(forms.ChoiceField, self.fields["province"]).choices = [("", _("Choose a province")), *PROVINCES]
        for name in ("founded_year", "approx_members", "approx_reach"):
            self.fields[name].widget.attrs["min"] = 0
        self.fields["founded_year"].widget.attrs["max"] = timezone.localdate().year

    def clean_focus_areas_text(self) -> list[str]:
        return parse_focus_areas(clean_names_list(self.cleaned_data["focus_areas_text"]))

    def duplicates_to_confirm(self) -> list[Organization]:
        """Of a valid form for a new organization: the groups it may duplicate, to show before creating it.

        Empty once the user ticked "this is a different group", and for an
        organization already in the directory (an edit never asks).
        """
        if self.instance.pk or self.cleaned_data["confirm_not_duplicate"]:
            return []
        return possible_duplicates(name=self.cleaned_data["name"], regency=self.cleaned_data["regency"])

    def changed_profile_fields(self) -> list[str]:
        """The profile fields that changed, as the history records them ("focus_areas", not the text box)."""
        return [name.replace("_text", "") for name in self.changed_data if name != "confirm_not_duplicate"]

    def clean_founded_year(self) -> int | None:
        year = self.cleaned_data["founded_year"]
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The founding year cannot be in the future."))
        return year


ChannelFormSet = inlineformset_factory(
    Organization, Channel, fields=["kind", "address"], extra=2, can_delete=True, max_num=12
)
# What ChannelFormSet makes, for annotations (a class made by a factory is no type to mypy).
type ChannelForms = BaseInlineFormSet[Channel, Organization, forms.ModelForm[Channel]]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = VisibleTextField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What happened that moves the relationship to this stage?"),
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "role_in_group",
            "phone",
            "email",
            "preferred_channel",
            "preferred_language",
            "consent_to_contact",
            "consent_recorded_on",
            "whatsapp_reminders",
        ]
        widgets = {"consent_recorded_on": DATE_INPUT}
        field_classes = {"name": NameField, "role_in_group": NameField}
        help_texts = {
            "phone": _("Indonesian numbers in any usual form: 0812 3456 7890, +62 812..."),
            "consent_recorded_on": _("Left empty, today's date is used when consent is given."),
        }

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        recorded_on = cleaned.get("consent_recorded_on")
        if recorded_on and recorded_on > timezone.localdate():
            self.add_error("consent_recorded_on", _("Consent cannot be recorded in the future."))
        if cleaned.get("whatsapp_reminders"):
            if not cleaned.get("phone") and "phone" not in self.errors:
                self.add_error("whatsapp_reminders", _("WhatsApp reminders need a phone number."))
            if not cleaned.get("consent_to_contact"):
                self.add_error("whatsapp_reminders", _("WhatsApp reminders need the person's consent to be contacted."))
        return cleaned


class LeaderForm(forms.Form):
    leader = forms.ModelChoiceField(
        label=_("An existing contact"), queryset=Contact.objects.none(), required=False, empty_label=_("Choose…")
    )
    new_leader_name = NameField(label=_("Or the name of someone new"), required=False, max_length=150)
    title = NameField(label=_("Title"), required=False, max_length=80, help_text=_("For example: ketua, koordinator."))
    started_on = forms.DateField(label=_("Leads the group from"), widget=DATE_INPUT)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["leader"]).queryset = organization.contacts.filter(
            erased_at__isnull=True
        )
        self.fields["started_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen, typed = bool(cleaned.get("leader")), bool(cleaned.get("new_leader_name", "").strip())
        if chosen and typed:
            raise forms.ValidationError(_("Choose an existing contact or type the name of someone new, not both."))
        if not chosen and not typed:
            raise forms.ValidationError(
                _("Who is the new leader? Choose an existing contact or type the name of someone new.")
            )
        return cleaned


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "occurred_on", "summary", "follow_up", "contacts", "participants"]
        widgets = {
            "occurred_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "contacts": forms.CheckboxSelectMultiple,
            "participants": forms.CheckboxSelectMultiple,
        }
        labels = {"contacts": _("Who took part from the group"), "participants": _("Who took part from our team")}
        field_classes = {"summary": VisibleTextField, "follow_up": VisibleTextField}

    # Opened with a fresh random key, sent back with the entry: see accounts.submission_keys.
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", submission_keys.new_key())
        cast(forms.ModelMultipleChoiceField, self.fields["contacts"]).queryset = organization.contacts.filter(
            erased_at__isnull=True
        )
        cast(forms.ModelMultipleChoiceField, self.fields["participants"]).queryset = User.objects.filter(
            groups__name=FACILITATOR, is_active=True
        ).order_by("username")
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_occurred_on(self) -> datetime.date:
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(_("An interaction that already happened cannot be in the future."))
        return occurred_on
