"""Shared goals with their progress, status and chart, read for a page."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from engagements.domain import goals
from engagements.models import (
    GoalBenefit,
    GoalStatus,
    Partnership,
    ProgressUpdate,
    SharedGoal,
)


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
