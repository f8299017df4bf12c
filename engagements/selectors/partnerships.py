"""Reads about partnerships and their members: fixed query cost, scoped to the viewer."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest, Lower, TruncDate
from django.utils import timezone

from accounts.models import User
from engagements.access import partnerships_visible_to
from engagements.domain.health import HealthScore
from engagements.domain.partnerships import member_order
from engagements.domain.portfolio import Column, Criteria
from engagements.domain.schedules import local_today, todays_by_zone
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckIn,
    Commitment,
    CommitmentState,
    HealthSnapshot,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    PlanRevision,
    SharedGoal,
    StatusChange,
    TrustEntry,
)
from engagements.selectors.commitments import counts_of, for_print, today_of
from engagements.selectors.goals import goals_of
from engagements.selectors.health import health_for
from engagements.selectors.plans import OPEN_ACTIVITY_STATUSES
from engagements.selectors.trust import latest_shared_entries
from partners.models import Interaction


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    return (
        partnerships_visible_to(user)
        .select_related("schedule")
        .prefetch_related(Prefetch("members", queryset=PartnershipMember.objects.select_related("organization")))
    )


def members_of(partnership: Partnership) -> list[PartnershipMember]:
    """Lead first, then co-leads, members and supporters."""
    return sorted(partnership.members.select_related("organization"), key=member_order)


def has_members(partnership: Partnership) -> bool:
    return partnership.members.exists()


def facilitators_of(partnership: Partnership) -> QuerySet[User]:
    return partnership.facilitators.order_by("username")


def status_changes_of(partnership: Partnership, *, limit: int = 10) -> list[StatusChange]:
    """The latest status changes, newest first, with who made them."""
    return list(partnership.status_changes.select_related("changed_by")[:limit])


def organizations_of_user(user: User) -> set[int]:
    return set(user.organization_memberships.values_list("organization_id", flat=True))


PROFILE_PARTNERSHIPS_SHOWN = 20


def memberships_of_organization(
    *, user: User, organization_id: int, limit: int = PROFILE_PARTNERSHIPS_SHOWN
) -> tuple[list[PartnershipMember], int]:
    """The organization's partnerships the user may see (the latest first, at most ``limit``), and how many in all.

    Two queries whatever the number: for the organization profile's panel.
    """
    memberships = PartnershipMember.objects.filter(
        organization_id=organization_id, partnership__in=partnerships_visible_to(user)
    )
    shown = list(
        memberships.select_related("partnership__schedule").order_by("-partnership__created_at", "-pk")[:limit]
    )
    return shown, memberships.count()


# The portfolio: every partnership the user may see, one row each, with the
# numbers a facilitator sorts by. What each column is and why it costs what it
# costs (measured at 2,000 partnerships, 1,667 flags, whole requests, on a
# shared development machine; see tests/engagements/portfolio/builders.py):
#
# - Health is the latest daily snapshot (``HealthSnapshot``, written every
#   morning by ``services.health.health_snapshot_all``), not the live score: a
#   subquery on the (partnership, day) index, sorted and filtered in SQL. The
#   live score of 2,000 partnerships is 7 queries but 0.35-0.45 s of Python on
#   every page, and could only be sorted in Python. The partnership's own page
#   and the summary show the live score.
# - Last contact, open and overdue commitments are subqueries: SQL again. A
#   page sorted by any of these columns: 0.1-0.3 s (SQLite, PostgreSQL).
# - Flags are the unanswered ones of the stored standing (``models.standing``):
#   a count in SQL, sorted and filtered there like the others. It was live
#   once (``flags_for`` on every row kept: 1.6-1.8 s at 2,000 on PostgreSQL
#   for a sort by flags). The standing is worked out again at once when a
#   flag is answered, marked stale by any write of the facts behind it
#   (``standing_watch``) and refreshed by the page that finds it stale, and
#   by beat every ten minutes for what changes with the date alone.

PORTFOLIO_PAGE_SIZE = 50
# Rows the CSV reads (and prefetches the members of) at a time: memory stays flat at any size.
EXPORT_CHUNK = 500


def measured_partnerships(user: User) -> QuerySet[Partnership]:
    """The portfolio's partnerships whose flags and health are still worked out: all but the closed ones."""
    return partnerships_visible_to(user).exclude(status=PartnershipStatus.CLOSED)


def _local_today() -> Case:
    """Each partnership's today, in its check-in schedule's zone (the site's without a schedule)."""
    todays = todays_by_zone()
    default = todays.get(settings.TIME_ZONE) or local_today(settings.TIME_ZONE)
    return Case(
        *(When(schedule__time_zone=zone, then=Value(day)) for zone, day in todays.items()),
        default=Value(default),
        output_field=DateField(),
    )


def _portfolio_queryset(user: User, criteria: Criteria) -> QuerySet[Partnership]:
    now, today = timezone.now(), timezone.localdate()
    latest_snapshot = HealthSnapshot.objects.filter(partnership_id=OuterRef("pk"), day__lte=today).order_by("-day")
    last_check_in = (
        CheckIn.objects.filter(partnership_id=OuterRef("pk"), held_at__lte=now).order_by("-held_at").values("held_at")
    )
    # Visits, calls, meetings and messages with any of the partnership's member groups.
    member_groups = PartnershipMember.objects.filter(partnership_id=OuterRef(OuterRef("pk"))).values("organization_id")
    last_interaction = (
        Interaction.objects.filter(organization_id__in=member_groups, occurred_on__lte=today)
        .order_by("-occurred_on")
        .values("occurred_on")
    )
    check_in_day = TruncDate(Subquery(last_check_in[:1]), tzinfo=timezone.get_current_timezone())
    interaction_day = Subquery(last_interaction[:1], output_field=DateField())
    open_ = Commitment.objects.filter(partnership_id=OuterRef("pk"), state=CommitmentState.OPEN)

    def counted(commitments: QuerySet[Commitment]) -> Coalesce:
        return Coalesce(
            Subquery(commitments.values("partnership_id").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        )

    found = (
        partnerships_visible_to(user)
        .select_related("schedule")
        .annotate(
            local_today=_local_today(),
            health=Subquery(latest_snapshot.values("score")[:1]),
            health_day=Subquery(latest_snapshot.values("day")[:1]),
            # GREATEST is NULL on SQLite when either side is: each side stands in for the other.
            last_contact=Greatest(
                Coalesce(check_in_day, interaction_day),
                Coalesce(interaction_day, check_in_day),
                output_field=DateField(),
            ),
            open_commitments=counted(open_),
            overdue_commitments=counted(open_.filter(due_on__lt=OuterRef("local_today"))),
            flag_count=Coalesce(F("standing__active_flags"), Value(0)),
        )
    )
    if criteria.status:
        found = found.filter(status=criteria.status)
    if criteria.mine:
        found = found.filter(pk__in=user.facilitated_partnerships.values("pk"))
    if criteria.overdue:
        found = found.filter(overdue_commitments__gt=0)
    if criteria.flagged:
        found = found.filter(flag_count__gt=0)
    return found.order_by(*_sql_order(criteria))


def _sql_order(criteria: Criteria) -> list[Any]:
    """The ORDER BY of a column; partnerships without a number come last either way, then by title."""
    descending = criteria.descending
    title = [Lower("title").desc() if descending else Lower("title").asc(), "-pk" if descending else "pk"]
    by_title = [Lower("title").asc(), "pk"]
    column = criteria.column
    if column == Column.TITLE:
        return title
    if column == Column.STATUS:
        lifecycle = Case(
            *(When(status=value, then=Value(n)) for n, value in enumerate(PartnershipStatus.values)),
            output_field=IntegerField(),
        )
        return [lifecycle.desc() if descending else lifecycle.asc(), *by_title]
    expression = F("flag_count" if column == Column.FLAGS else column)
    ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return [ordered, *by_title]


def _for_display(partnerships: list[Partnership]) -> list[Partnership]:
    """The rows' member groups (one query), and ``health_is_old`` where the latest snapshot is older than yesterday.

    Closed partnerships are no longer measured, and a snapshot task that did
    not run shows here: the page then says which day the score is from.
    """
    # The list and the CSV name the groups: their names only, not the organization's long text and search columns.
    members = (
        PartnershipMember.objects.select_related("organization")
        .only("partnership_id", "organization__name")
        .order_by("role", "pk")
    )
    prefetch_related_objects(partnerships, Prefetch("members", queryset=members))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for partnership in partnerships:
        day = partnership.health_day  # type: ignore[attr-defined]
        partnership.health_is_old = day is not None and day < yesterday  # type: ignore[attr-defined]
    return partnerships


def portfolio_page(*, user: User, criteria: Criteria, page: str | int | None = 1) -> Page:
    """One page of the portfolio (``PORTFOLIO_PAGE_SIZE`` rows), each with its members and ``flag_count``.

    Three queries whatever the number of partnerships: the count, the page
    and its members. A page number that is not one gives the first page, one
    past the end the last.
    """
    found = Paginator(_portfolio_queryset(user, criteria), PORTFOLIO_PAGE_SIZE).get_page(page)
    found.object_list = _for_display(list(found.object_list))
    return found


def portfolio_rows(*, user: User, criteria: Criteria) -> Iterator[list[Partnership]]:
    """Every row of the portfolio, in its order, with members and ``flag_count``: the CSV, EXPORT_CHUNK at a time.

    One cursor over the rows (server-side on PostgreSQL) and one query for
    each chunk's members: memory holds one chunk, never the whole portfolio.
    """
    rows = _portfolio_queryset(user, criteria).iterator(chunk_size=EXPORT_CHUNK)
    for chunk in itertools.batched(rows, EXPORT_CHUNK):
        yield _for_display(list(chunk))


# The one-page summary: what fits an A4 sheet, shared content only, whoever prints it.
SUMMARY_GOALS = 5
SUMMARY_ACTIVITIES = 3
SUMMARY_OPEN_COMMITMENTS = 5
SUMMARY_CLOSED_COMMITMENTS = 2
SUMMARY_TRUST_ENTRIES = 5


@dataclass
class PlanStatus:
    """Where the collaborative plan stands: its agreed revision, activities by status, the next ones to do."""

    revision: PlanRevision | None
    counts: dict[str, int]
    late: int
    next_activities: Sequence[Activity]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_status(self) -> list[tuple[str, int]]:
        return [(str(label), self.counts[value]) for value, label in ActivityStatus.choices]


@dataclass
class PartnershipSummary:
    members: list[PartnershipMember]
    goals: list[SharedGoal]
    goals_more: int
    plan: PlanStatus
    commitments: list[Commitment]
    commitment_counts: dict[str, int]
    health: HealthScore
    entries: list[TrustEntry]
    today: datetime.date


def plan_status_of(partnership: Partnership, *, today: datetime.date, limit: int = SUMMARY_ACTIVITIES) -> PlanStatus:
    """Three queries: the counts (late ones too), the next open activities with their Accountable, the revision."""
    is_open = Q(status__in=OPEN_ACTIVITY_STATUSES)
    activities = Activity.objects.filter(partnership=partnership)
    counts = activities.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in ActivityStatus.values},
        late=Count("pk", filter=is_open & Q(due_date__lt=today)),
    )
    late = counts.pop("late")
    accountable = Prefetch(
        "roles",
        queryset=ActivityRole.objects.filter(role="A").select_related("member__organization"),
        to_attr="accountable_roles",
    )
    following = list(
        activities.filter(is_open)
        .prefetch_related(accountable)
        .order_by(F("due_date").asc(nulls_last=True), "pk")[:limit]
    )
    for activity in following:
        activity.is_late = bool(activity.due_date and activity.due_date < today)
    revision = PlanRevision.objects.filter(partnership=partnership).order_by("-number").first()
    return PlanStatus(revision=revision, counts=counts, late=late, next_activities=following)


def summary_of(*, user: User, partnership: Partnership) -> PartnershipSummary:
    """Everything the printable summary shows, in a fixed number of queries whatever the partnership holds.

    The same for a facilitator and a partner member: a printed page leaves
    Rekan, so it holds shared content only (no internal notes, no named
    person, trust-log entries with shared text or none).
    """
    today = today_of(partnership)
    goals = goals_of(partnership)
    return PartnershipSummary(
        members=members_of(partnership),
        goals=goals[:SUMMARY_GOALS],
        goals_more=max(0, len(goals) - SUMMARY_GOALS),
        plan=plan_status_of(partnership, today=today),
        commitments=for_print(
            partnership, open_limit=SUMMARY_OPEN_COMMITMENTS, closed_limit=SUMMARY_CLOSED_COMMITMENTS
        ),
        commitment_counts=counts_of(partnership, today=today),
        health=health_for(partnership),
        entries=latest_shared_entries(user=user, partnership=partnership, limit=SUMMARY_TRUST_ENTRIES),
        today=today,
    )
