"""The plan as pages and exports read it: activities, roles, revisions, what changed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from engagements.domain.plans import WORK_ROLES, ActivityChange, PlanSnapshot, plan_changes
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    Partnership,
    PartnershipMember,
    PlanRevision,
)


@dataclass
class MatrixRow:
    activity: Activity
    cells: list[tuple[PartnershipMember, ActivityRole | None]]


OPEN_ACTIVITY_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)


# Rows of the roles matrix a page shows: each row holds a form per member, and
# a phone must lay out and wire up what the page holds.
PLAN_PAGE_SIZE = 50

# The most of a member's activities "Activities by member" lists.
MEMBER_ACTIVITIES_SHOWN = 50


def _plan_activities_query(partnership: Partnership) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(partnership=partnership)
        .select_related("goal", "source_check_in")
        .prefetch_related(
            Prefetch("roles", queryset=ActivityRole.objects.select_related("member__organization", "contact"))
        )
    )


def _mark_late(activities: list[Activity], today: datetime.date | None) -> list[Activity]:
    today = today or timezone.localdate()
    for activity in activities:
        activity.is_late = bool(
            activity.due_date and activity.due_date < today and activity.status in OPEN_ACTIVITY_STATUSES
        )
    return activities


def plan_activities(partnership: Partnership, *, today: datetime.date | None = None) -> list[Activity]:
    """Activities by due date (undated last) with goal, source and roles (two queries); each gets .is_late."""
    return _mark_late(list(_plan_activities_query(partnership)), today)


def plan_page(partnership: Partnership, number: str | None, *, today: datetime.date | None = None) -> Page:
    """One page of ``plan_activities`` (a count and two queries), for the roles matrix."""
    page = Paginator(_plan_activities_query(partnership), PLAN_PAGE_SIZE).get_page(number)
    page.object_list = _mark_late(list(page.object_list), today)
    return page


def roles_matrix(activities: list[Activity], members: list[PartnershipMember]) -> list[MatrixRow]:
    rows = []
    for activity in activities:
        by_member = {role.member_id: role for role in activity.roles.all()}
        rows.append(MatrixRow(activity, [(member, by_member.get(member.pk)) for member in members]))
    return rows


def role_of(activity: Activity, member: PartnershipMember) -> ActivityRole | None:
    """The member's role in one activity, or None: one cell of the roles matrix."""
    return activity.roles.filter(member=member).first()


def activities_for_member(member: PartnershipMember) -> tuple[list[tuple[Activity, str]], int]:
    """The first activities (in plan order) where this member has a role, with that role; and how many there are."""
    roles = ActivityRole.objects.filter(member=member).select_related("activity")
    shown = roles.order_by(F("activity__due_date").asc(nulls_last=True), "activity__position", "activity__pk")[
        :MEMBER_ACTIVITIES_SHOWN
    ]
    return [(role.activity, role.role) for role in shown], roles.count()


def latest_revision(partnership: Partnership) -> PlanRevision | None:
    return PlanRevision.objects.filter(partnership=partnership).select_related("agreed_by").first()


def changes_since_agreed(partnership: Partnership, revision: PlanRevision | None) -> list[ActivityChange]:
    if revision is None:
        return []
    return plan_changes(revision.snapshot, plan_snapshot(partnership))


# The most of each of the portal's two activity lists: the plan page has the rest.
PORTAL_ACTIVITIES_SHOWN = 20


@dataclass
class Bounded:
    """The first items of a list, and how many there are in all."""

    items: list[Activity]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _bounded(activities: QuerySet[Activity], limit: int, today: datetime.date | None) -> Bounded:
    return Bounded(_mark_late(list(activities[:limit]), today), activities.count())


def responsibilities_first(
    partnership: Partnership,
    organization_ids: set[int],
    *,
    limit: int = PORTAL_ACTIVITIES_SHOWN,
    today: datetime.date | None = None,
) -> tuple[Bounded, Bounded]:
    """(ours: R or A for one of our organizations, the others), each its first ``limit`` in plan order.

    Six queries whatever the size of the plan: rows, roles and count of each.
    """
    ours_ids = Activity.objects.filter(
        partnership=partnership, roles__member__organization_id__in=organization_ids, roles__role__in=WORK_ROLES
    ).values("pk")
    activities = _plan_activities_query(partnership)
    return (
        _bounded(activities.filter(pk__in=ours_ids), limit, today),
        _bounded(activities.exclude(pk__in=ours_ids), limit, today),
    )


def upcoming(
    partnership: Partnership, *, limit: int = 5, today: datetime.date | None = None
) -> tuple[list[Activity], int]:
    """Open activities, late ones first, then by due date, undated last; with the count left out (two queries)."""
    today = today or timezone.localdate()
    open_ = Activity.objects.filter(partnership=partnership, status__in=OPEN_ACTIVITY_STATUSES)
    first = open_.alias(
        late_first=Case(When(due_date__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("late_first", F("due_date").asc(nulls_last=True), "pk")[:limit]
    shown = _mark_late(list(first), today)
    return shown, max(0, open_.count() - len(shown))


def plan_snapshot(partnership: Partnership) -> PlanSnapshot:
    """Three queries whatever the size of the plan."""
    activities = (
        Activity.objects.filter(partnership=partnership)
        .select_related("goal")
        .prefetch_related(Prefetch("roles", queryset=ActivityRole.objects.select_related("member__organization")))
    )
    return {
        "activities": [
            {
                "id": activity.pk,
                "title": activity.title,
                "goal": activity.goal.statement if activity.goal else "",
                "due_date": activity.due_date.isoformat() if activity.due_date else "",
                "status": activity.status,
                "roles": {role.member.organization.name: role.role for role in activity.roles.all()},
            }
            for activity in activities
        ]
    }
