"""Saving a plan as a template and starting a plan from one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from engagements.models import PlanTemplate
from partners.text import NameField


class PlanTemplateSaveForm(forms.Form):
    name = NameField(label=_("Template name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When this plan is a good start. Other facilitators see it."),
    )


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanTemplate) -> str:
        count = len(obj.activities) if isinstance(obj.activities, list) else 0
        return ngettext("%(name)s (%(count)s activity)", "%(name)s (%(count)s activities)", count) % {
            "name": obj.name,
            "count": count,
        }


class PlanTemplateApplyForm(forms.Form):
    template = TemplateChoiceField(
        label=_("Template"),
        queryset=PlanTemplate.objects.order_by("name", "pk"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
