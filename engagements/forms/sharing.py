"""The share link form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.forms.partnerships import DATE_INPUT
from partners.text import NameField


class ShareLinkForm(forms.Form):
    label = NameField(label=_("Label"), required=False, max_length=120, help_text=_("For example: the WhatsApp group."))
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE_INPUT)
    shows_working_plan = forms.BooleanField(
        label=_("Show the working plan instead of the last agreed revision"),
        required=False,
        help_text=_("Leave this off to show partners only what was agreed."),
    )
    include_commitments = forms.BooleanField(
        label=_("Include commitments"),
        required=False,
        help_text=_(
            "Lists what each organization promised, by when, and whether it was kept. Never internal notes, "
            "never a person's name."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=30)
