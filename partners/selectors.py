"""Reads that search, join or depend on the viewer, at a fixed query cost."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from partners.access import organizations_visible_to
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


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, " ".join(a.lower().split()), " ".join(b.lower().split())).ratio()


def possible_duplicates(*, name: str, regency: str, exclude_pk: int | None = None) -> list[Organization]:
    """Organizations in the same regency whose name is very close to this one."""
    if not name.strip() or not regency.strip():
        return []
    candidates = Organization.objects.filter(regency__iexact=regency.strip()).exclude(pk=exclude_pk).only("pk", "name")
    return [org for org in candidates if _similar(org.name, name) >= DUPLICATE_SIMILARITY]
