"""The learning log: lessons learned, innovations, knowledge exchanged and impact stories of a partnership.

The field guide names three opportunities of working with informal groups:
innovation, mutual learning and lasting social impact. Each entry of the log
is one of them, written down while it is fresh, so that the next partnership
starts from what this one found out.

A lesson stays with the facilitators unless it is marked shared: then the
partner members of that partnership read it on their portal. Tags are kept
in the row itself, normalised and comma-separated ("air bersih,pertanian"),
so a list reads them without a join and full-text search reads them with the
title and the body (``selectors.learning``). On PostgreSQL ``search_vector``
is a stored generated column over those three, as the directory's
(``partners.search``), with a GIN index that the migration makes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.goals import SharedGoal
from engagements.models.partnerships import Partnership
from engagements.models.plans import Activity
from partners.models import Organization
from partners.search import TsVectorField, WeightedDocument

TAG_SEPARATOR = ","
# (column, weight) of the search document: title and tags above the body.
LESSON_SEARCH_WEIGHTS = (("title", "A"), ("tags", "A"), ("body", "B"))


class LessonKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learned")
    INNOVATION = "innovation", _("Innovation")
    EXCHANGE = "exchange", _("Knowledge exchanged")
    IMPACT = "impact", _("Impact story")


class Lesson(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LessonKind.choices, default=LessonKind.LESSON)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what happened and what it teaches"))
    tags = models.CharField(
        _("tags"), max_length=500, blank=True, help_text=_("Separate tags with commas, for example: water, savings.")
    )
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="lessons", verbose_name=_("organizations involved")
    )
    goals = models.ManyToManyField(SharedGoal, blank=True, related_name="lessons", verbose_name=_("shared goals"))
    activities = models.ManyToManyField(Activity, blank=True, related_name="lessons", verbose_name=_("activities"))
    shared_with_partners = models.BooleanField(
        _("shared with the partner members"),
        default=False,
        help_text=_("The partner members of this partnership read it on their page. Otherwise facilitators only."),
    )
    happened_on = models.DateField(_("happened on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Written by PostgreSQL on every INSERT and UPDATE, whoever writes the row,
    # and stored, so ranking a search reads it instead of parsing every
    # matching lesson's text twice (the check and the rank), as the expression
    # index it replaces did: 37 ms for a word found in 1,000 lessons (migration 0023).
    search_vector = models.GeneratedField(
        expression=WeightedDocument(*LESSON_SEARCH_WEIGHTS), output_field=TsVectorField(), db_persist=True
    )

    # The search vector is the database's, derived from fields the history keeps.
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["partnership", "-happened_on"], name="lesson_partnership_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(TAG_SEPARATOR) if tag]
