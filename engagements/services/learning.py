"""The learning log: writing a lesson down, correcting it, removing it (facilitators, or the admin)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.domain.learning import MAX_TAG_LENGTH, MAX_TAGS, parse_tags, tags_text
from engagements.domain.schedules import local_today, zone_of
from engagements.errors import EngagementRuleError
from engagements.models import Activity, Lesson, SharedGoal
from partners.history import attribute_to
from partners.models import Organization


def _check_tags(lesson: Lesson) -> None:
    tags = parse_tags(lesson.tags)
    if len(tags) > MAX_TAGS:
        raise EngagementRuleError(
            _("At most %(count)d tags: keep the ones people will look for.") % {"count": MAX_TAGS}
        )
    if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        raise EngagementRuleError(
            _("A tag is a word or two: at most %(count)d characters each.") % {"count": MAX_TAG_LENGTH}
        )
    lesson.tags = tags_text(tags)


def _check_links(
    lesson: Lesson, organizations: list[Organization], goals: list[SharedGoal], activities: list[Activity]
) -> None:
    members = set(lesson.partnership.members.values_list("organization_id", flat=True))
    if any(organization.pk not in members for organization in organizations):
        raise EngagementRuleError(_("Only member organizations of the partnership can be named in its lessons."))
    if any(goal.partnership_id != lesson.partnership_id for goal in goals):
        raise EngagementRuleError(_("The goal belongs to another partnership."))
    if any(activity.partnership_id != lesson.partnership_id for activity in activities):
        raise EngagementRuleError(_("The activity belongs to another partnership."))


@transaction.atomic
def lesson_save(
    *,
    user: User | None,
    lesson: Lesson,
    organizations: Iterable[Organization] = (),
    goals: Iterable[SharedGoal] = (),
    activities: Iterable[Activity] = (),
) -> Lesson:
    """Record a new lesson, or save an edited one with what it names; a new one is written down by ``user``."""
    organizations, goals, activities = list(organizations), list(goals), list(activities)
    lesson.title = lesson.title.strip()
    lesson.body = lesson.body.strip()
    _check_tags(lesson)
    if lesson.happened_on > local_today(zone_of(lesson.partnership)):
        raise EngagementRuleError(_("A lesson is about something that happened: the date cannot be in the future."))
    _check_links(lesson, organizations, goals, activities)
    if lesson.pk is None:
        lesson.created_by = user
    lesson.full_clean()
    attribute_to(user, lesson)
    lesson.save()
    lesson.organizations.set(organizations)
    lesson.goals.set(goals)
    lesson.activities.set(activities)
    return lesson


@transaction.atomic
def lesson_delete(*, user: User | None, lesson: Lesson) -> None:
    """Remove a lesson (written by mistake); its history keeps what it said."""
    attribute_to(user, lesson)
    lesson.delete()
