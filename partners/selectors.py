"""Reads that search, join or depend on the viewer, at a fixed query cost."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils import timezone

from accounts.models import User
from partners.access import organizations_visible_to
from partners.history import Entry, history_for
from partners.models import Contact, Interaction, LeadershipTerm, Organization, StageChange
from partners.search import prefix_terms, ranked_matches

SORTS = {
    "name": ("name", "pk"),
    "updated": ("-updated_at", "pk"),
    "stage": ("stage", "name", "pk"),
    "founded": ("founded_year", "name", "pk"),
}
# Every list a profile shows is bounded; the rest is on a page of its own.
CONTACTS_SHOWN = 20
LEADERS_SHOWN = 10
TIMELINE_SHOWN = 20
TIMELINE_PAGE_SIZE = 50
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
    sort: str = "relevance"  # the best match first when searching (PostgreSQL), else by name


def organization_list(*, user: User) -> QuerySet[Organization]:
    """The organizations this user may see, by name: a partner member's own groups."""
    return organizations_visible_to(user).order_by("name", "pk")


def _text_search(queryset: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    """Every word typed, as the start of a word of the name, place, focus areas or mission (partners.search)."""
    terms = prefix_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        return ranked_matches(queryset, terms)
    # SQLite: every term must appear somewhere in the same columns.
    for term in terms:
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(regency__icontains=term)
            | Q(search_document__icontains=term)
            | Q(mission__icontains=term)
        )
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
    if query.sort == "relevance" and prefix_terms(query.text) and connection.vendor == "postgresql":
        ordering = ("-rank", "name", "pk")
    return organizations.order_by(*ordering).prefetch_related("focus_areas")


def organization_profile(*, user: User, organization: Organization) -> Organization:
    """The organization with everything its profile shows, in a fixed number of queries.

    The lists are bounded whatever the size of the group: ``shown_contacts``
    holds the first CONTACTS_SHOWN contacts (``contact_count`` says how many
    there are; the rest are on the contact list) and ``latest_terms`` the
    latest LEADERS_SHOWN leadership terms, newest first
    (``leadership_term_count``; every term is also in the timeline).
    """
    return (
        Organization.objects.filter(pk=organization.pk)
        .select_related("created_by")
        .annotate(
            contact_count=_count_of(Contact),
            leadership_term_count=_count_of(LeadershipTerm),
        )
        .prefetch_related(
            "focus_areas",
            "channels",
            # Sliced: one query whatever the number (a window function per organization).
            Prefetch("contacts", queryset=contacts_in_order()[:CONTACTS_SHOWN], to_attr="shown_contacts"),
            Prefetch(
                "leadership_terms",
                queryset=LeadershipTerm.objects.select_related("leader")[:LEADERS_SHOWN],
                to_attr="latest_terms",
            ),
        )
        .get()
    )


def _count_of(model: type[Contact] | type[LeadershipTerm]) -> Coalesce:
    rows = model.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
    return Coalesce(Subquery(rows.annotate(count=Count("pk")).values("count")), 0)


def contacts_in_order() -> QuerySet[Contact]:
    """People first, by name; erased contacts last (NULLs first on every database: SQLite and PostgreSQL differ)."""
    return Contact.objects.order_by(F("erased_at").asc(nulls_first=True), "name", "pk")


def organization_contacts(*, organization: Organization) -> QuerySet[Contact]:
    """Every contact of an organization already checked for the viewer, in the profile's order (to paginate)."""
    return contacts_in_order().filter(organization=organization)


def organization_history(organization: Organization) -> list[Entry]:
    """The latest recorded changes of the organization and its parts (contacts, leaders, channels) together."""
    return history_for(organization)


def _latest_terms(organization: Organization) -> list[LeadershipTerm]:
    """The terms organization_profile read, newest first (its prefetch sets the attribute)."""
    terms: list[LeadershipTerm] = organization.latest_terms  # type: ignore[attr-defined]
    return terms


def current_leadership_term(organization: Organization) -> LeadershipTerm | None:
    """From the latest terms organization_profile read (newest first): the current one is the newest."""
    return next((term for term in _latest_terms(organization) if term.ended_on is None), None)


def leadership_changed_on(organization: Organization, *, today: datetime.date | None = None) -> datetime.date | None:
    """The date a new leader took over, if that is recent and someone led before."""
    terms = _latest_terms(organization)
    if len(terms) < 2:
        return None
    today = today or timezone.localdate()
    latest = terms[0]
    if latest.ended_on is None and (today - latest.started_on).days <= LEADERSHIP_NOTICE_DAYS:
        return latest.started_on
    return None


# The timeline: interactions, stage changes and new leaders, newest first; on
# the same day a stage change, then a new leader, then the interactions.
TIMELINE_KINDS = ("stage", "leadership", "interaction")


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date
    kind: str  # "interaction", "stage", "leadership"
    item: object


@dataclass(frozen=True)
class Timeline:
    """The latest entries of an organization's timeline, and how many there are in all."""

    entries: list[TimelineEntry]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


@dataclass(frozen=True)
class TimelinePage:
    page: Page[tuple[datetime.date, int, int]]
    entries: list[TimelineEntry]


def _timeline_rows(organization: Organization) -> QuerySet[Any]:
    """(date, kind, pk) of every entry, in order, as one UNION ALL: a page of it is read with LIMIT and OFFSET."""

    def rows(queryset: QuerySet[Any], when: Any, kind: str) -> QuerySet[Any]:
        return (
            queryset.filter(organization=organization)
            .order_by()
            .annotate(when=when, kind_order=Value(TIMELINE_KINDS.index(kind)), item=F("pk"))
            .values_list("when", "kind_order", "item")
        )

    # A stage change is dated in the reader's time zone, as the page shows it.
    changed_on = TruncDate("changed_at", tzinfo=timezone.get_current_timezone())
    return (
        rows(Interaction.objects.all(), F("occurred_on"), "interaction")
        .union(
            rows(StageChange.objects.all(), changed_on, "stage"),
            rows(LeadershipTerm.objects.all(), F("started_on"), "leadership"),
            all=True,
        )
        .order_by("-when", "kind_order", "-item")
    )


def _timeline_entries(rows: Sequence[tuple[datetime.date, int, int]]) -> list[TimelineEntry]:
    """The records behind some timeline rows, in their order: one query per kind (three for interactions)."""
    wanted: dict[str, list[int]] = {kind: [] for kind in TIMELINE_KINDS}
    for _when, kind_order, pk in rows:
        wanted[TIMELINE_KINDS[kind_order]].append(pk)
    found: dict[str, dict[int, Any]] = {
        "interaction": Interaction.objects.prefetch_related("contacts", "participants").in_bulk(wanted["interaction"]),
        "stage": StageChange.objects.select_related("changed_by").in_bulk(wanted["stage"]),
        "leadership": LeadershipTerm.objects.select_related("leader").in_bulk(wanted["leadership"]),
    }
    entries = []
    for when, kind_order, pk in rows:
        kind = TIMELINE_KINDS[kind_order]
        if pk in found[kind]:  # deleted between the two queries
            entries.append(TimelineEntry(when, kind, found[kind][pk]))
    return entries


def timeline_latest(organization: Organization, *, limit: int = TIMELINE_SHOWN) -> Timeline:
    """The latest ``limit`` entries and the count of all (the profile): a fixed number of queries at any length."""
    rows = _timeline_rows(organization)
    return Timeline(entries=_timeline_entries(list(rows[:limit])), total=rows.count())


def timeline_page(organization: Organization, *, number: str | None) -> TimelinePage:
    """One page of the whole timeline (a bad page number reads as the nearest page, as the directory does)."""
    page = Paginator(_timeline_rows(organization), TIMELINE_PAGE_SIZE).get_page(number)
    return TimelinePage(page=page, entries=_timeline_entries(list(page.object_list)))


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


def interaction_submitted(organization: Organization, key: str) -> bool:
    """Whether a form with this submission key logged an interaction with the group already (one query)."""
    return bool(key) and organization.interactions.filter(submission_key=key).exists()
