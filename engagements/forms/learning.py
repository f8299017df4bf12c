"""Forms of the learning log: a lesson, the list's filters and the search across partnerships."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from engagements.domain.learning import MAX_QUERY_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, parse_tags, tags_text
from engagements.forms.partnerships import DATE_INPUT
from engagements.models import Activity, Lesson, LessonKind, Partnership, SharedGoal
from engagements.selectors.learning import LessonQuery
from partners.models import Organization
from partners.text import NameField, VisibleTextField, clean_names_list

MAX_BODY_LENGTH = 10_000


class TagsField(forms.CharField):
    """Tags typed as one text, 'Air bersih, pertanian': kept normalised, 'air bersih,pertanian'."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        tags = parse_tags(clean_names_list(text))
        if len(tags) > MAX_TAGS:
            raise ValidationError(
                _("At most %(count)d tags: keep the ones people will look for."), params={"count": MAX_TAGS}
            )
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise ValidationError(
                _("A tag is a word or two: at most %(count)d characters each."), params={"count": MAX_TAG_LENGTH}
            )
        return tags_text(tags)

    def prepare_value(self, value: Any) -> Any:
        # Shown back as typed in a form: "air bersih, pertanian".
        return ", ".join(part.strip() for part in value.split(",")) if isinstance(value, str) else value


class LessonForm(forms.ModelForm):
    body = VisibleTextField(
        label=capfirst(Lesson._meta.get_field("body").verbose_name),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, what it taught, what to do next time."),
    )

    class Meta:
        model = Lesson
        fields = [
            "kind",
            "title",
            "body",
            "happened_on",
            "tags",
            "organizations",
            "goals",
            "activities",
            "shared_with_partners",
        ]
        field_classes = {"title": NameField, "tags": TagsField}
        widgets = {
            "kind": forms.RadioSelect,
            "happened_on": DATE_INPUT,
            "organizations": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "activities": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "kind": _(
                "The field guide's opportunities: a lesson learned or knowledge exchanged (mutual learning), "
                "an innovation, or a story of lasting impact."
            ),
            "organizations": _("Optional: the member organizations it is about."),
            "goals": _("Optional: the shared goals it is about."),
            "activities": _("Optional: the activities of the plan it is about."),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "organizations": Organization.objects.filter(partnership_memberships__partnership=partnership).order_by(
                "name", "pk"
            ),
            "goals": SharedGoal.objects.filter(partnership=partnership).order_by("position", "pk"),
            "activities": Activity.objects.filter(partnership=partnership).order_by("position", "pk"),
        }
        for name, queryset in choices.items():
            if queryset.exists():
                cast(forms.ModelMultipleChoiceField, self.fields[name]).queryset = queryset
            else:  # nothing to name: no empty list of choices on the page
                del self.fields[name]

    def links(self) -> dict[str, Any]:
        """What the lesson names, for ``services.learning.lesson_save`` (after ``is_valid``)."""
        return {name: self.cleaned_data.get(name, []) for name in ("organizations", "goals", "activities")}


KIND_FILTERS = [("", _("Any kind")), *LessonKind.choices]


class LessonFilterForm(forms.Form):
    """The kind and tag filters of a list; a bad value filters nothing, never a 500."""

    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_FILTERS, required=False)
    tag = forms.CharField(label=_("Tag"), required=False, widget=forms.TextInput(attrs={"maxlength": MAX_TAG_LENGTH}))

    def lesson_query(self) -> LessonQuery:
        if not self.is_valid():
            return LessonQuery()
        return LessonQuery(
            text=self.cleaned_data.get("q", "")[:MAX_QUERY_LENGTH],
            kind=self.cleaned_data["kind"],
            tag=self.cleaned_data["tag"][: MAX_TAG_LENGTH * 2],
        )


class LessonSearchForm(LessonFilterForm):
    """The search across partnerships: words, then the same filters."""

    q = forms.CharField(
        label=_("Words in the title, text or tags"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"}),
    )

    field_order = ["q", "kind", "tag"]
