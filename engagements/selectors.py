"""Reads for partnership pages: fixed query cost, scoped to the viewer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from engagements import goals, schedules
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
    Raci,
    SharedGoal,
)
from engagements.plans import ActivityChange, plan_changes, plan_snapshot


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
    shared_goals = list(
        SharedGoal.objects.filter(partnership=partnership).prefetch_related(
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("measured_on", "pk")),
            Prefetch("benefits", queryset=GoalBenefit.objects.select_related("member__organization")),
        )
    )
    for goal in shared_goals:
        describe_goal(goal)
    return shared_goals


def describe_goal(goal: SharedGoal, *, today: datetime.date | None = None) -> SharedGoal:
    """Attach what the goal pages show: direction, latest value, percent, statuses, chart (from prefetched updates)."""
    today = today or timezone.localdate()
    updates = list(goal.progress_updates.all())
    goal.latest_value = updates[-1].value if updates else goal.baseline
    goal.direction = goals.direction_of(goal.baseline, goal.target)
    goal.moved = goals.movement_of(goal.baseline, goal.latest_value)
    goal.percent = goals.progress_percent(goal.baseline, goal.target, goal.latest_value)
    goal.suggested_status = goals.suggest_status(
        baseline=goal.baseline,
        target=goal.target,
        value=goal.latest_value,
        start_date=goal.start_date,
        target_date=goal.target_date,
        today=today,
    )
    goal.suggested_status_label = GoalStatus(goal.suggested_status).label
    goal.shown_status = goal.status_override or goal.suggested_status
    goal.shown_status_label = GoalStatus(goal.shown_status).label
    goal.chart = goals.progress_chart(
        baseline=goal.baseline,
        target=goal.target,
        start_date=goal.start_date,
        target_date=goal.target_date,
        measurements=[(update.measured_on, update.value) for update in updates],
    )
    return goal


@dataclass
class MatrixRow:
    activity: Activity
    cells: list[tuple[PartnershipMember, ActivityRole | None]]


OPEN_ACTIVITY_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)


def plan_activities(partnership: Partnership, *, today: datetime.date | None = None) -> list[Activity]:
    """Activities by due date (undated last) with goal, source and roles (two queries); each gets .is_late."""
    today = today or timezone.localdate()
    activities = list(
        Activity.objects.filter(partnership=partnership)
        .select_related("goal", "source_check_in")
        .prefetch_related(
            Prefetch("roles", queryset=ActivityRole.objects.select_related("member__organization", "contact"))
        )
    )
    for activity in activities:
        activity.is_late = bool(
            activity.due_date and activity.due_date < today and activity.status in OPEN_ACTIVITY_STATUSES
        )
    return activities


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


@dataclass(frozen=True)
class SharedPlanRow:
    """One activity as a share page shows it: agreed (from a snapshot) or as it is now."""

    title: str
    goal: str
    due_date: datetime.date | None
    status_label: str
    shared_notes: str
    roles: list[tuple[str, str]]  # (role letter or "", its label), one per column


@dataclass(frozen=True)
class SharedPlan:
    columns: list[str]  # member organization names
    rows: list[SharedPlanRow]
    revision: PlanRevision | None
    is_working_plan: bool
    changed_since_agreed: bool


def shared_plan(partnership: Partnership, *, working_plan: bool) -> SharedPlan:
    """What a share link shows: the last agreed revision, or the working plan if the link says so.

    A partner group reads what was agreed, not edits made since; the page says
    when the working plan has moved on.
    """
    revision = latest_revision(partnership)
    members = members_of(partnership)
    current = plan_snapshot(partnership)
    changed = revision is not None and bool(plan_changes(revision.snapshot, current))
    snapshot = current if working_plan else (revision.snapshot if revision else {"activities": []})
    columns = [member.organization.name for member in members]
    for item in snapshot["activities"]:
        columns += [name for name in item["roles"] if name not in columns]
    # Notes are not part of what was agreed: the current shared notes of each activity.
    notes = dict(Activity.objects.filter(partnership=partnership).values_list("pk", "shared_notes"))
    rows = [
        SharedPlanRow(
            title=item["title"],
            goal=item["goal"],
            due_date=datetime.date.fromisoformat(item["due_date"]) if item["due_date"] else None,
            status_label=str(ActivityStatus(item["status"]).label),
            shared_notes=notes.get(item["id"], ""),
            roles=[(item["roles"].get(name, ""), _raci_label(item["roles"].get(name, ""))) for name in columns],
        )
        for item in snapshot["activities"]
    ]
    rows.sort(key=lambda row: (row.due_date is None, row.due_date or datetime.date.min))
    return SharedPlan(columns, rows, revision, working_plan, changed)


def _raci_label(letter: str) -> str:
    return str(Raci(letter).label) if letter else ""


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


def upcoming(activities: list[Activity], *, limit: int = 5) -> tuple[list[Activity], int]:
    """Open activities, late ones first, then by due date, undated last; with the count left out.

    Reads .is_late set by plan_activities.
    """
    open_ = [a for a in activities if a.status in OPEN_ACTIVITY_STATUSES]
    open_.sort(key=lambda a: (not a.is_late, a.due_date is None, a.due_date or datetime.date.min, a.pk))
    return open_[:limit], max(0, len(open_) - limit)


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
        partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED]
    )
    return list(found.select_related("partnership").order_by("due_on", "pk"))


@dataclass(frozen=True)
class NextStep:
    number: int
    text: str
    activity: Activity | None


def next_steps_of(check_in: CheckIn) -> list[NextStep]:
    """Each next step with the activity it became, if any (one query)."""
    made = {a.source_step: a for a in Activity.objects.filter(source_check_in=check_in)}
    return [NextStep(n, text, made.get(n)) for n, text in enumerate(check_in.next_step_lines())]


def recent_check_ins(partnership: Partnership, *, limit: int = 5) -> list[CheckIn]:
    return list(partnership.check_ins.select_related("recorded_by")[:limit])
