"""The health score as the pages read it: the facts of many partnerships at once, then the formula.

``health_of`` reads the commitments, check-ins, goals, open risks, member
groups and the latest health check of any number of partnerships in a fixed
number of queries, and ``engagements.domain.health`` turns each one's facts
into a score with its parts in plain words.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_facilitator
from engagements.access import partnerships_visible_to
from engagements.domain import health as rules
from engagements.models import (
    Cadence,
    CheckIn,
    CheckInSchedule,
    Commitment,
    CommitmentState,
    GoalStatus,
    HealthSnapshot,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    ProgressUpdate,
    Risk,
    SharedGoal,
)
from engagements.models.risks import OPEN_STATUSES
from partners.models import Interaction

HISTORY_DAYS = 90
# Neither kept nor broken: they say nothing about keeping promises.
NOT_COUNTED = (CommitmentState.WITHDRAWN, CommitmentState.RENEGOTIATED)


def _cadence_days(schedule: CheckInSchedule | None, partnership: Partnership) -> float | None:
    if schedule is None or schedule.paused or partnership.status == PartnershipStatus.PAUSED:
        return None
    if schedule.cadence == Cadence.DAYS:
        return float(schedule.interval)
    if schedule.cadence == Cadence.WEEKS:
        return 7.0 * schedule.interval
    return rules.MONTH_DAYS


def _latest_health_checks(ids: list[int]) -> dict[int, object]:
    """The latest two-sided health check of each partnership, when that module is there (else no data)."""
    try:
        from engagements.selectors.health_checks import latest_results
    except ImportError:
        return {}
    return dict(latest_results(ids))


def facts_of(
    partnerships: Iterable[Partnership], *, today: datetime.date | None = None
) -> dict[int, rules.HealthFacts]:
    """The facts of each partnership (by pk): six queries, plus the health checks', whatever the number."""
    partnerships = list(partnerships)
    if not partnerships:
        return {}
    today = today or timezone.localdate()
    ids = [partnership.pk for partnership in partnerships]
    since = today - datetime.timedelta(days=rules.WINDOW_DAYS)
    since_moment = timezone.now() - datetime.timedelta(days=rules.WINDOW_DAYS)

    schedules = {s.partnership_id: s for s in CheckInSchedule.objects.filter(partnership_id__in=ids)}
    check_ins: dict[int, dict[str, Any]] = {
        row["partnership_id"]: dict(row)
        for row in CheckIn.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(held=Count("pk", filter=Q(held_at__gte=since_moment)), last=Max("held_at"))
        .order_by()
    }
    commitments: dict[int, dict[str, Any]] = {
        row["partnership_id"]: dict(row)
        for row in Commitment.objects.filter(partnership_id__in=ids, due_on__gte=since, due_on__lte=today)
        .exclude(state__in=NOT_COUNTED)
        .exclude(state=CommitmentState.OPEN, due_on=today)  # due today: not late yet
        .values("partnership_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(state=CommitmentState.KEPT)))
        .order_by()
    }
    latest_value = (
        ProgressUpdate.objects.filter(goal_id=OuterRef("pk")).order_by("-measured_on", "-pk").values("value")[:1]
    )
    goals: dict[int, list[rules.GoalFacts]] = {pk: [] for pk in ids}
    for goal in SharedGoal.objects.filter(partnership_id__in=ids).annotate(latest=Subquery(latest_value)):
        goals[goal.partnership_id].append(
            rules.GoalFacts(
                baseline=goal.baseline,
                target=goal.target,
                value=goal.latest if goal.latest is not None else goal.baseline,
                start_date=goal.start_date,
                target_date=goal.target_date,
                dropped=goal.status_override == GoalStatus.DROPPED,
            )
        )
    severities: dict[int, list[int]] = {pk: [] for pk in ids}
    for row in (
        Risk.objects.filter(partnership_id__in=ids, status__in=OPEN_STATUSES)
        .annotate(score=F("likelihood") * F("impact"))
        .values_list("partnership_id", "score")
    ):
        severities[row[0]].append(row[1])
    last_interaction = (
        Interaction.objects.filter(organization_id=OuterRef("organization_id"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    contacts: dict[int, list[tuple[str, datetime.date]]] = {pk: [] for pk in ids}
    for member in (
        PartnershipMember.objects.filter(partnership_id__in=ids)
        .annotate(last_interaction=Subquery(last_interaction), name=F("organization__name"))
        .values_list("partnership_id", "name", "joined_on", "last_interaction")
        .order_by("partnership_id", "name")
    ):
        contacts[member[0]].append((member[1], member[3] or member[2]))
    health_checks = _latest_health_checks(ids)

    found: dict[int, rules.HealthFacts] = {}
    for partnership in partnerships:
        pk = partnership.pk
        schedule = schedules.get(pk)
        held = check_ins.get(pk, {})
        last_check_in = timezone.localdate(held["last"]) if held.get("last") else None
        counted = commitments.get(pk, {})
        result = health_checks.get(pk)
        overall = getattr(result, "overall", None)
        found[pk] = rules.HealthFacts(
            partnership_id=pk,
            today=today,
            commitments_due=counted.get("due", 0),
            commitments_on_time=counted.get("on_time", 0),
            cadence_days=_cadence_days(schedule, partnership),
            schedule_days=min(rules.WINDOW_DAYS, (today - schedule.starts_on).days) if schedule else 0,
            check_ins_held=held.get("held", 0),
            goals=goals[pk],
            risk_severities=severities[pk],
            # A check-in is contact with every member group, a visit or call with one.
            contacts=[
                rules.GroupContact(name, max(day, last_check_in) if last_check_in else day)
                for name, day in contacts[pk]
            ],
            health_check_overall=float(overall) if overall is not None else None,
            health_check_respondents=getattr(result, "respondents", 0) or 0,
        )
    return found


def health_of(
    partnerships: Iterable[Partnership], *, today: datetime.date | None = None
) -> dict[int, rules.HealthScore]:
    """Each partnership's health score (by pk), in a fixed number of queries."""
    return {pk: rules.score(facts) for pk, facts in facts_of(partnerships, today=today).items()}


def health_for(partnership: Partnership, *, today: datetime.date | None = None) -> rules.HealthScore:
    return health_of([partnership], today=today)[partnership.pk]


def history_of(
    partnership: Partnership, *, days: int = HISTORY_DAYS, today: datetime.date | None = None
) -> list[HealthSnapshot]:
    """The daily snapshots of the last ``days`` days, oldest first (one query)."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    return list(HealthSnapshot.objects.filter(partnership=partnership, day__gte=first, day__lte=today).order_by("day"))


def sparkline_of(history: list[HealthSnapshot], *, today: datetime.date | None = None) -> rules.Sparkline:
    today = today or timezone.localdate()
    return rules.sparkline([(s.day, s.score) for s in history], today=today, days=HISTORY_DAYS)


@dataclass(frozen=True)
class Drop:
    partnership: Partnership
    before: int
    now: int

    @property
    def fell_by(self) -> int:
        return self.before - self.now


def biggest_drops(user: User, days: int = 30, limit: int = 5, *, today: datetime.date | None = None) -> list[Drop]:
    """The user's partnerships whose score fell most over ``days`` days, the biggest fall first (one query).

    Facilitators: the partnerships they facilitate; partner members: their
    own. Compared: the latest snapshot up to today and the latest one up to
    ``days`` days ago; a partnership without both is left out.
    """
    today = today or timezone.localdate()
    then = today - datetime.timedelta(days=days)
    scored = HealthSnapshot.objects.filter(partnership_id=OuterRef("pk"), score__isnull=False).order_by("-day")
    mine = partnerships_visible_to(user)
    if is_facilitator(user):
        mine = mine.filter(facilitators=user)
    found = (
        mine.annotate(
            score_now=Subquery(scored.filter(day__lte=today, day__gt=then).values("score")[:1]),
            score_then=Subquery(scored.filter(day__lte=then).values("score")[:1]),
        )
        .filter(score_now__isnull=False, score_then__isnull=False, score_then__gt=F("score_now"))
        .annotate(fell=F("score_then") - F("score_now"))
        .order_by("-fell", "pk")[:limit]
    )
    return [Drop(p, p.score_then, p.score_now) for p in found]
