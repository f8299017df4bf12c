"""Reads that search, join or depend on the viewer, at a fixed query cost."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from partners.access import organizations_visible_to
from partners.history import Entry, history_for
from partners.models import Contact, Interaction, LeadershipTerm, Organization, StageChange

SORTS = {
    "name": ("name", "pk"),
    "updated": ("-updated_at", "pk"),
    "stage": ("stage", "name", "pk"),
    "founded": ("founded_year", "name", "pk"),
}
# A leader who took over this recently still gets a "leadership changed"
# notice on the profile.
LEADERSHIP_NOTICE_DAYS = 180
DUPLICATE_SIMILARITY = 0.85
# Partnership statuses that count as "has an active partnership".
ACTIVE_PARTNERSHIP_STATUSES = ("agreed", "active", "transitioning")


@dataclass(frozen=True)
class DirectoryQuery:
    """What the directory was asked for; every field comes from the URL."""

    text: str = ""
    kind: str = ""
    province: str = ""
    stage: str = ""
    funding_stability: str = ""
    in_active_partnership: bool = False
    archived: bool = False
    sort: str = "name"


def organization_list(*, user: User) -> QuerySet[Organization]:
    """The organizations this user may see, by name: a partner member's own groups."""
    return organizations_visible_to(user).order_by("name", "pk")


def _search_terms(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:8]


def _text_search(queryset: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    terms = _search_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # Prefix matching, so that "samp" finds "sampah" while one types.
        query = SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple")
        vector = SearchVector("search_document", config="simple")
        return queryset.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query)
    # SQLite: every term must appear somewhere in name, mission or focus areas.
    for term in terms:
        queryset = queryset.filter(search_document__icontains=term)
    return queryset


def organization_directory(*, user: User, query: DirectoryQuery) -> QuerySet[Organization]:
    organizations = organizations_visible_to(user)
    organizations = organizations.filter(archived_at__isnull=not query.archived)
    exact = {"kind": query.kind, "province": query.province, "stage": query.stage}
    exact["funding_stability"] = query.funding_stability
    organizations = organizations.filter(**{name: value for name, value in exact.items() if value})
    if query.in_active_partnership:
        # Read through the reverse relation that engagements declares on
        # Organization: partners still imports nothing from engagements.
        active = organizations.filter(partnership_memberships__partnership__status__in=ACTIVE_PARTNERSHIP_STATUSES)
        organizations = organizations.filter(pk__in=active.values("pk"))
    organizations = _text_search(organizations, query.text)
    ordering = SORTS.get(query.sort, SORTS["name"])
    if query.sort == "relevance" and query.text and connection.vendor == "postgresql":
        ordering = ("-rank", "name", "pk")
    return organizations.order_by(*ordering).prefetch_related("focus_areas")


def organization_profile(*, user: User, organization: Organization) -> Organization:
    """The organization with everything its profile shows, in a fixed number of queries."""
    return (
        Organization.objects.filter(pk=organization.pk)
        .select_related("created_by")
        .prefetch_related(
            "focus_areas",
            "channels",
            Prefetch("contacts", queryset=Contact.objects.order_by("erased_at", "name", "pk")),
            Prefetch("leadership_terms", queryset=LeadershipTerm.objects.select_related("leader")),
        )
        .get()
    )


def organization_history(organization: Organization) -> list[Entry]:
    """The recorded changes of the organization and its people together (contacts from organization_profile)."""
    return history_for(organization, *organization.contacts.all())


def current_leadership_term(organization: Organization) -> LeadershipTerm | None:
    """From the prefetched terms (newest first)."""
    return next((term for term in organization.leadership_terms.all() if term.ended_on is None), None)


def leadership_changed_on(organization: Organization, *, today: datetime.date | None = None) -> datetime.date | None:
    """The date a new leader took over, if that is recent and someone led before."""
    terms = list(organization.leadership_terms.all())
    if len(terms) < 2:
        return None
    today = today or timezone.localdate()
    latest = terms[0]
    if latest.ended_on is None and (today - latest.started_on).days <= LEADERSHIP_NOTICE_DAYS:
        return latest.started_on
    return None


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date
    kind: str  # "interaction", "stage", "leadership"
    item: object


def organization_timeline(organization: Organization) -> list[TimelineEntry]:
    """Interactions, stage changes and leadership changes, newest first (three queries)."""
    entries = [
        TimelineEntry(i.occurred_on, "interaction", i)
        for i in Interaction.objects.filter(organization=organization).prefetch_related("contacts", "participants")
    ]
    entries += [
        TimelineEntry(timezone.localtime(change.changed_at).date(), "stage", change)
        for change in StageChange.objects.filter(organization=organization).select_related("changed_by")
    ]
    entries += [TimelineEntry(term.started_on, "leadership", term) for term in organization.leadership_terms.all()]
    order = {"stage": 0, "leadership": 1, "interaction": 2}
    return sorted(entries, key=lambda entry: (entry.when, -order[entry.kind]), reverse=True)


# The duplicate rule, shared by the "Add an organization" form and the CSV
# import: two groups may be one when they are in the same regency (case
# ignored) and difflib rates their names, case and spacing ignored, at least
# DUPLICATE_SIMILARITY alike. A name or regency left blank matches nothing.


def _duplicate_key(name: str, regency: str) -> tuple[str, str] | None:
    if not name.strip() or not regency.strip():
        return None
    return " ".join(name.lower().split()), regency.strip().lower()


class _LookAlikeNames[Item]:
    """Names of one regency, searched by the duplicate rule.

    An import checks up to 2000 rows against each other and the directory, so
    two upper bounds of difflib's ratio (the shorter length, the characters in
    common) skip the pairs that cannot reach the threshold before difflib
    runs; the answer is the same as rating every pair.
    """

    def __init__(self) -> None:
        self._names: list[tuple[str, frozenset[tuple[str, int]], Item]] = []

    @staticmethod
    def _characters(name: str) -> frozenset[tuple[str, int]]:
        # A multiset as a set: the second "a" of a name is ("a", 1).
        seen: dict[str, int] = {}
        characters = []
        for character in name:
            seen[character] = seen.get(character, -1) + 1
            characters.append((character, seen[character]))
        return frozenset(characters)

    def add(self, name: str, item: Item) -> None:
        self._names.append((name, self._characters(name), item))

    def matches(self, name: str) -> Iterator[Item]:
        """The items whose name this one may duplicate, in the order they were added."""
        matcher = SequenceMatcher(None)
        matcher.set_seq2(name)  # difflib caches what it learns about the second sequence
        characters = self._characters(name)
        for other, other_characters, item in self._names:
            total = len(other) + len(name)
            # Written as difflib writes its ratio, so that rounding never skips a match.
            if 2.0 * min(len(other), len(name)) / total < DUPLICATE_SIMILARITY:
                continue
            if 2.0 * len(characters & other_characters) / total < DUPLICATE_SIMILARITY:
                continue
            matcher.set_seq1(other)
            if matcher.ratio() >= DUPLICATE_SIMILARITY:
                yield item


def possible_duplicates_of_many(
    *, entries: Sequence[tuple[str, str]], exclude_pk: int | None = None
) -> list[list[Organization]]:
    """For each (name, regency), the organizations it may duplicate (one query whatever the number)."""
    keys = [_duplicate_key(name, regency) for name, regency in entries]
    regencies = {key[1] for key in keys if key}
    if not regencies:
        return [[] for _key in keys]
    candidates = (
        Organization.objects.annotate(regency_key=Lower("regency"))
        .filter(regency_key__in=regencies)
        .only("pk", "name", "regency")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    by_regency: dict[str, _LookAlikeNames[Organization]] = {}
    for organization in candidates:
        key = _duplicate_key(organization.name, organization.regency_key)
        if key:
            by_regency.setdefault(key[1], _LookAlikeNames()).add(key[0], organization)
    return [list(by_regency[key[1]].matches(key[0])) if key and key[1] in by_regency else [] for key in keys]


def possible_duplicates(*, name: str, regency: str, exclude_pk: int | None = None) -> list[Organization]:
    """Organizations in the same regency whose name is very close to this one."""
    return possible_duplicates_of_many(entries=[(name, regency)], exclude_pk=exclude_pk)[0]


def possible_duplicates_within(*, entries: Sequence[tuple[str, str]]) -> list[int | None]:
    """For each (name, regency), the index of the first earlier entry it may duplicate, or None."""
    earlier: dict[str, _LookAlikeNames[int]] = {}
    found: list[int | None] = []
    for index, (name, regency) in enumerate(entries):
        key = _duplicate_key(name, regency)
        if key is None:
            found.append(None)
            continue
        names = earlier.setdefault(key[1], _LookAlikeNames())
        found.append(next(names.matches(key[0]), None))
        names.add(key[0], index)
    return found
