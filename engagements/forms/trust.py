"""Forms of the trust log: an entry added by hand, and a correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.domain.schedules import zone_of
from engagements.forms.checkins import ZonedDateTimeField
from engagements.models import Partnership
from engagements.services.trust import HAND_KINDS
from partners.text import VisibleTextField

SHARED_HELP = _("The partner members of this partnership read it.")
INTERNAL_HELP = _("Facilitators only: never on partner pages, share pages, exports or emails.")


class _TextsForm(forms.Form):
    shared_text = VisibleTextField(
        label=_("Shared text"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=SHARED_HELP
    )
    internal_text = VisibleTextField(
        label=_("Internal text"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=INTERNAL_HELP
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("shared_text", "").strip() and not cleaned.get("internal_text", "").strip():
            raise forms.ValidationError(_("Write a shared text, an internal text, or both."))
        return cleaned


class TrustEntryForm(_TextsForm):
    field_order = ["kind", "happened_at", "shared_text", "internal_text"]

    kind = forms.ChoiceField(label=_("What happened"), choices=[(kind.value, kind.label) for kind in HAND_KINDS])

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_at"] = ZonedDateTimeField(
            zone=zone_of(partnership), label=_("When it happened"), initial=timezone.now
        )
        self.order_fields(self.field_order)


class CorrectionForm(_TextsForm):
    pass
