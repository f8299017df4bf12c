"""The learning log as the pages read it: scoped to the viewer, searched, a fixed number of queries.

Search finds every word typed, as the start of a word of the title, the tags
or the body ("pupu" finds "pupuk"). On PostgreSQL that is full-text search
with the 'simple' configuration (no stemming: the texts are Indonesian and
English) on the stored ``Lesson.search_vector``, answered by its GIN index
and ranked from it (title and tags above the body). On SQLite each word must
appear somewhere in the three columns (LIKE), newest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from accounts.models import User
from engagements.access import lessons_visible_to
from engagements.domain.learning import most_used_tags, normalise_tag, search_terms
from engagements.models import Activity, Lesson, Partnership, PartnershipMember, SharedGoal
from engagements.models.learning import TAG_SEPARATOR
from partners.models import Organization
from partners.search import ranked_matches

NEWEST_FIRST = ("-happened_on", "-pk")
# The tag chips above a list are read from this many of its newest lessons.
TAGS_READ_FROM = 500


@dataclass(frozen=True)
class LessonQuery:
    """What a list or the search page was asked for; every field comes from the URL."""

    text: str = ""
    kind: str = ""
    tag: str = ""


def _has_tag(tag: str) -> Q:
    """The tag exactly, wherever it stands in the comma-separated column."""
    sep = TAG_SEPARATOR
    return (
        Q(tags=tag)
        | Q(tags__startswith=f"{tag}{sep}")
        | Q(tags__endswith=f"{sep}{tag}")
        | Q(tags__contains=f"{sep}{tag}{sep}")
    )


def _text_search(lessons: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    terms = search_terms(text)
    if not terms:
        return lessons.order_by(*NEWEST_FIRST)
    if connection.vendor == "postgresql":
        return ranked_matches(lessons, terms).order_by("-rank", *NEWEST_FIRST)
    for term in terms:
        lessons = lessons.filter(Q(title__icontains=term) | Q(tags__icontains=term) | Q(body__icontains=term))
    return lessons.order_by(*NEWEST_FIRST)


def _filtered(lessons: QuerySet[Lesson], query: LessonQuery) -> QuerySet[Lesson]:
    if query.kind:
        lessons = lessons.filter(kind=query.kind)
    tag = normalise_tag(query.tag)
    if tag:
        lessons = lessons.filter(_has_tag(tag))
    return _text_search(lessons, query.text)


def lessons_of(*, user: User, partnership: Partnership, query: LessonQuery | None = None) -> QuerySet[Lesson]:
    """One partnership's lessons this user may read (a partner member: the shared ones), filtered, newest first."""
    lessons = lessons_visible_to(user).filter(partnership=partnership).select_related("created_by")
    return _filtered(lessons, query or LessonQuery())


def lesson_search(*, user: User, query: LessonQuery) -> QuerySet[Lesson]:
    """Every lesson this user may read, across partnerships, that matches; the best match first on PostgreSQL."""
    lessons = lessons_visible_to(user).select_related("partnership", "created_by")
    return _filtered(lessons, query)


def tags_in_use(*, user: User, partnership: Partnership | None = None, limit: int = 20) -> list[str]:
    """The most used tags among the newest lessons this user may read, of one partnership or all (one query)."""
    lessons = lessons_visible_to(user).exclude(tags="")
    if partnership is not None:
        lessons = lessons.filter(partnership=partnership)
    newest = lessons.order_by(*NEWEST_FIRST).values_list("tags", flat=True)[:TAGS_READ_FROM]
    return most_used_tags(newest, limit=limit)


@dataclass(frozen=True)
class LessonLinks:
    organizations: list[Organization]
    goals: list[SharedGoal]
    activities: list[Activity]

    def __bool__(self) -> bool:
        return bool(self.organizations or self.goals or self.activities)


def lesson_links(lesson: Lesson) -> LessonLinks:
    """The organizations, goals and activities a lesson names (three queries)."""
    return LessonLinks(
        organizations=list(lesson.organizations.order_by("name", "pk")),
        goals=list(lesson.goals.order_by("position", "pk")),
        activities=list(lesson.activities.order_by("position", "pk")),
    )


def latest_lessons(*, user: User, partnership: Partnership, limit: int = 3) -> list[Lesson]:
    """The newest lessons of a partnership this user may read, for the panel of its page."""
    return list(lessons_of(user=user, partnership=partnership)[:limit])


def lessons_for_organization(user: User, organization: Organization, limit: int = 5) -> list[Lesson]:
    """What was learned with this group: the lessons this user may read that name it or come from its partnerships.

    For the organization's profile, newest first, one query.
    """
    named = Lesson.organizations.through.objects.filter(organization=organization).values("lesson_id")
    partnerships = PartnershipMember.objects.filter(organization=organization).values("partnership_id")
    return list(
        lessons_visible_to(user)
        .filter(Q(pk__in=named) | Q(partnership_id__in=partnerships))
        .select_related("partnership")
        .order_by(*NEWEST_FIRST)[:limit]
    )
