"""Forms of the health check: opening a round, and one person's answers to the ten statements."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.domain import health_checks as rules
from engagements.forms.partnerships import DATE_INPUT
from engagements.models import HealthCheckAnswer
from partners.text import VisibleTextField


class OpenRoundForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Open for answers until"),
        widget=DATE_INPUT,
        help_text=_("Everyone can answer, and change their answers, until this day."),
    )
    rhythm_months = forms.TypedChoiceField(
        label=_("Next health check in"),
        coerce=int,
        choices=[(months, _("%(months)d months") % {"months": months}) for months in (1, 2, 3, 4, 6, 12)],
        initial=3,
        help_text=_("How often this partnership holds a health check; the list of rounds says when the next is due."),
    )

    def __init__(self, *args: Any, rhythm_months: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = timezone.localdate() + datetime.timedelta(days=rules.DAYS_OPEN)
        self.fields["rhythm_months"].initial = rhythm_months

    def clean_closes_on(self) -> datetime.date:
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return closes_on


class AnswerForm(forms.Form):
    """A score (radio buttons 1-5) and an optional comment for each statement, in the questionnaire's order."""

    def __init__(self, *args: Any, answers: dict[str, HealthCheckAnswer] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = answers or {}
        for statement in rules.STATEMENTS:
            given = answers.get(statement.slug)
            self.fields[f"score_{statement.slug}"] = forms.TypedChoiceField(
                label=str(statement.text),  # the form is built per request, in its language
                coerce=int,
                choices=rules.SCORES,
                widget=forms.RadioSelect,
                initial=given.score if given else None,
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            self.fields[f"comment_{statement.slug}"] = VisibleTextField(
                label=_("Comment (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=given.comment if given else "",
            )

    def statements(self) -> list[tuple[rules.Statement, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"score_{s.slug}"], self[f"comment_{s.slug}"]) for s in rules.STATEMENTS]

    def scores(self) -> dict[str, int]:
        return {s.slug: self.cleaned_data[f"score_{s.slug}"] for s in rules.STATEMENTS}

    def comments(self) -> dict[str, str]:
        return {s.slug: self.cleaned_data.get(f"comment_{s.slug}", "") for s in rules.STATEMENTS}
