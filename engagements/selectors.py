"""Reads for partnership pages: fixed query cost, scoped to the viewer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from engagements import schedules
from engagements.access import partnerships_visible_to
from engagements.models import (
    PARTNERSHIP_TIME_ZONES,
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckIn,
    CheckInSchedule,
    GoalBenefit,
    GoalStatus,
    MemberRole,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    PlanRevision,
    ProgressUpdate,
    SharedGoal,
)
from engagements.plans import ActivityChange, plan_changes, plan_snapshot

# A goal is "at risk" when its progress lags the time elapsed by more than this.
AT_RISK_MARGIN = Decimal("0.15")


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    return (
        partnerships_visible_to(user)
        .select_related("schedule")
        .prefetch_related(Prefetch("members", queryset=PartnershipMember.objects.select_related("organization")))
    )


ROLE_ORDER = Case(
    *[When(role=role, then=Value(rank)) for rank, role in enumerate(MemberRole.values)], output_field=IntegerField()
)


def members_of(partnership: Partnership) -> list[PartnershipMember]:
    """Lead first, then co-leads, members and supporters."""
    return list(partnership.members.select_related("organization").order_by(ROLE_ORDER, "organization__name"))


def goals_of(partnership: Partnership) -> list[SharedGoal]:
    """Goals with their progress and benefits (three queries); each gets .status."""
    goals = list(
        SharedGoal.objects.filter(partnership=partnership).prefetch_related(
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("measured_on", "pk")),
            Prefetch("benefits", queryset=GoalBenefit.objects.select_related("member__organization")),
        )
    )
    for goal in goals:
        describe_goal(goal)
    return goals


def describe_goal(goal: SharedGoal, *, today: datetime.date | None = None) -> SharedGoal:
    """Attach latest value, percentage, suggested and shown status (from prefetched updates)."""
    updates = list(goal.progress_updates.all())
    goal.latest_value = updates[-1].value if updates else goal.baseline
    goal.percent = progress_percent(goal.baseline, goal.target, goal.latest_value)
    goal.suggested_status = suggest_goal_status(goal, goal.latest_value, today=today)
    goal.suggested_status_label = GoalStatus(goal.suggested_status).label
    goal.shown_status = goal.status_override or goal.suggested_status
    goal.shown_status_label = GoalStatus(goal.shown_status).label
    goal.chart = progress_chart(goal, updates)
    return goal


def progress_percent(baseline: Decimal, target: Decimal, value: Decimal) -> int:
    span = target - baseline
    if span == 0:
        return 100
    return max(0, min(100, int((value - baseline) * 100 / span)))


def suggest_goal_status(goal: SharedGoal, value: Decimal, *, today: datetime.date | None = None) -> str:
    """On track or at risk from progress against time elapsed; achieved at target."""
    today = today or timezone.localdate()
    span = goal.target - goal.baseline
    done = Decimal(1) if span == 0 else (value - goal.baseline) / span
    if done >= 1:
        return GoalStatus.ACHIEVED
    total_days = (goal.target_date - goal.start_date).days
    if total_days <= 0 or today >= goal.target_date:
        return GoalStatus.AT_RISK
    elapsed = Decimal(max(0, (today - goal.start_date).days)) / Decimal(total_days)
    return GoalStatus.AT_RISK if done + AT_RISK_MARGIN < elapsed else GoalStatus.ON_TRACK


@dataclass(frozen=True)
class Chart:
    """A small line chart in SVG coordinates (width 300, height 100)."""

    points: str
    target_y: float
    dots: list[tuple[float, float]]
    empty: bool


CHART_W, CHART_H, PAD = 300, 100, 8


def progress_chart(goal: SharedGoal, updates: list[ProgressUpdate]) -> Chart:
    values = [goal.baseline, *[u.value for u in updates]]
    dates = [goal.start_date, *[u.measured_on for u in updates]]
    low = min([*values, goal.baseline, goal.target])
    high = max([*values, goal.baseline, goal.target])
    first, last = goal.start_date, max([goal.target_date, *dates])
    days = max(1, (last - first).days)
    span = (high - low) or Decimal(1)

    def x(day: datetime.date) -> float:
        return round(PAD + (CHART_W - 2 * PAD) * max(0, (day - first).days) / days, 1)

    def y(value: Decimal) -> float:
        return round(CHART_H - PAD - float((value - low) / span) * (CHART_H - 2 * PAD), 1)

    dots = [(x(day), y(value)) for day, value in zip(dates, values, strict=True)]
    return Chart(
        points=" ".join(f"{px},{py}" for px, py in dots), target_y=y(goal.target), dots=dots, empty=not updates
    )


@dataclass
class MatrixRow:
    activity: Activity
    cells: list[tuple[PartnershipMember, ActivityRole | None]]


def plan_activities(partnership: Partnership) -> list[Activity]:
    """Activities with their goal and roles (two queries)."""
    return list(
        Activity.objects.filter(partnership=partnership)
        .select_related("goal")
        .prefetch_related(
            Prefetch("roles", queryset=ActivityRole.objects.select_related("member__organization", "contact"))
        )
    )


def roles_matrix(activities: list[Activity], members: list[PartnershipMember]) -> list[MatrixRow]:
    rows = []
    for activity in activities:
        by_member = {role.member_id: role for role in activity.roles.all()}
        rows.append(MatrixRow(activity, [(member, by_member.get(member.pk)) for member in members]))
    return rows


def activities_for_member(activities: list[Activity], member: PartnershipMember) -> list[tuple[Activity, str]]:
    """The activities where this member has a role, with that role."""
    result = []
    for activity in activities:
        for role in activity.roles.all():
            if role.member_id == member.pk:
                result.append((activity, role.role))
    return result


def latest_revision(partnership: Partnership) -> PlanRevision | None:
    return PlanRevision.objects.filter(partnership=partnership).select_related("agreed_by").first()


def changes_since_agreed(partnership: Partnership, revision: PlanRevision | None) -> list[ActivityChange]:
    if revision is None:
        return []
    return plan_changes(revision.snapshot, plan_snapshot(partnership))


def organizations_of_user(user: User) -> set[int]:
    return set(user.organization_memberships.values_list("organization_id", flat=True))


def responsibilities_first(activities: list[Activity], organization_ids: set[int]) -> tuple[list, list]:
    """Split into (ours: R or A for one of our organizations, the others)."""
    ours, others = [], []
    for activity in activities:
        mine = [r for r in activity.roles.all() if r.member.organization_id in organization_ids and r.role in "RA"]
        (ours if mine else others).append(activity)
    return ours, others


def upcoming(activities: list[Activity], *, today: datetime.date | None = None, limit: int = 5) -> list[Activity]:
    today = today or timezone.localdate()
    open_ = [a for a in activities if a.due_date and a.due_date >= today and a.status != ActivityStatus.DONE]
    return sorted(open_, key=lambda a: a.due_date)[:limit]


TODAY_WINDOW_DAYS = 7


def activities_needing_attention(*, user: User, today: datetime.date | None = None, limit: int = 30) -> list[Activity]:
    """Open activities of the user's partnerships that are late or due within a week."""
    today = today or timezone.localdate()
    return list(
        Activity.objects.filter(
            partnership__facilitators=user,
            due_date__lte=today + datetime.timedelta(days=TODAY_WINDOW_DAYS),
            status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS],
        )
        .select_related("partnership__schedule")
        .order_by("due_date", "pk")[:limit]
    )


def check_ins_needing_attention(*, user: User) -> list[CheckInSchedule]:
    """Schedules of the user's partnerships whose check-in is due soon, late or dormant."""
    todays = {zone: schedules.local_today(zone) for zone, _label in PARTNERSHIP_TIME_ZONES}
    due = Q()
    for zone, today in todays.items():
        due |= Q(time_zone=zone, remind_from__lte=today)
    found = CheckInSchedule.objects.filter(due, partnership__facilitators=user, paused=False).exclude(
        partnership__status=PartnershipStatus.CLOSED
    )
    return list(found.select_related("partnership").order_by("due_on", "pk"))


def recent_check_ins(partnership: Partnership, *, limit: int = 5) -> list[CheckIn]:
    return list(partnership.check_ins.select_related("recorded_by")[:limit])
