"""Reads of the two-sided health check: the rounds, a person's answers, a round's results, the latest per partnership.

Every read here costs a fixed number of queries whatever the number of
rounds, respondents or partnerships. The results keep anonymity within a
side (``domain.health_checks.may_show``): a side with fewer than three
respondents shows that it answered, and nothing that could be traced to one
of them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.domain import health_checks as rules
from engagements.models import HealthCheckAnswer, HealthCheckRound, Partnership
from partners.models import Organization

FACILITATORS = "facilitators"
PARTNERS = "partners"  # every partner group together


# --- For the health score -------------------------------------------------------


@dataclass(frozen=True)
class LatestResult:
    round_id: int
    closed_or_opened_on: datetime.date
    overall: float | None  # the mean of every answer, on 0..1
    gap: float | None  # the largest difference between two sides' averages, 0..4
    respondents: int


def latest_results(partnership_ids: list[int]) -> dict[int, LatestResult]:
    """The latest round of each partnership, in two queries however many; partnerships without a round are absent."""
    if not partnership_ids:
        return {}
    latest = HealthCheckRound.objects.filter(partnership=OuterRef("partnership")).order_by("-opened_on", "-pk")
    rounds = list(
        HealthCheckRound.objects.filter(partnership_id__in=partnership_ids, pk=Subquery(latest.values("pk")[:1]))
    )
    sides: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row in _side_totals(HealthCheckAnswer.objects.filter(round__in=[found.pk for found in rounds])):
        sides[row["round_id"]].append((row["total"], row["count"], row["people"]))
    results = {}
    for found in rounds:
        totals = sides.get(found.pk, [])
        total, count = sum(t for t, _c, _p in totals), sum(c for _t, c, _p in totals)
        averages = [total_ / count_ for total_, count_, _p in totals if count_]
        results[found.partnership_id] = LatestResult(
            round_id=found.pk,
            closed_or_opened_on=found.ended_on,
            overall=rules.to_unit(rules.mean(total, count)),
            gap=rules.gap(averages),
            respondents=sum(people for _t, _c, people in totals),
        )
    return results


def _side_totals(answers: QuerySet[HealthCheckAnswer]) -> QuerySet:
    # A person answers for one side only, so the people of the sides add up to the round's respondents.
    return (
        answers.values("round_id", "organization_id")
        .annotate(total=Sum("score"), count=Count("pk"), people=Count("respondent", distinct=True))
        .order_by()
    )


# --- Lists and forms ------------------------------------------------------------


def rounds_of(partnership: Partnership) -> list[HealthCheckRound]:
    """Every round, the latest first, each with how many people answered."""
    return list(
        HealthCheckRound.objects.filter(partnership=partnership).annotate(
            respondents=Count("answers__respondent", distinct=True)
        )
    )


def open_round_of(partnership: Partnership) -> HealthCheckRound | None:
    today = timezone.localdate()
    return HealthCheckRound.objects.filter(
        partnership=partnership, closed_at__isnull=True, closes_on__gte=today
    ).first()


def answers_of(found: HealthCheckRound, user: User) -> dict[str, HealthCheckAnswer]:
    """This person's answers to the round, by statement: to fill the form again."""
    return {answer.statement: answer for answer in HealthCheckAnswer.objects.filter(round=found, respondent=user)}


def next_due_on(rounds: list[HealthCheckRound]) -> datetime.date | None:
    """When the next round is due: the rhythm of the latest round, counted from the day it opened."""
    if not rounds:
        return None
    return rules.months_after(rounds[0].opened_on, rounds[0].rhythm_months)


@dataclass(frozen=True)
class Panel:
    open_round: HealthCheckRound | None
    answered: bool
    latest: HealthCheckRound | None


def panel_of(partnership: Partnership, user: User) -> Panel:
    """For the partnership page, in one query: the round open now, whether this person answered it, the latest."""
    mine = HealthCheckAnswer.objects.filter(round=OuterRef("pk"), respondent=user)
    rounds = list(HealthCheckRound.objects.filter(partnership=partnership).annotate(answered=Exists(mine))[:1])
    latest = rounds[0] if rounds else None
    open_round = latest if latest is not None and latest.is_open else None
    return Panel(open_round=open_round, answered=bool(open_round and open_round.answered), latest=latest)


# --- Results --------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    key: str  # FACILITATORS, an organization's id, or PARTNERS
    label: str
    respondents: int
    shown: bool


@dataclass(frozen=True)
class Cell:
    side: Side
    average: float | None  # None: nobody answered, or too few to show
    answers: int


@dataclass(frozen=True)
class Line:
    """One person's answer to a statement, without their name: shown only for a side of three or more."""

    side: Side
    score: int
    comment: str


@dataclass
class StatementResult:
    statement: rules.Statement
    cells: list[Cell]
    difference: float | None = None
    highest: Cell | None = None
    lowest: Cell | None = None
    highlighted: bool = False
    lines: list[Line] = field(default_factory=list)

    @property
    def disagrees(self) -> bool:
        return rules.disagrees(self.difference)


@dataclass(frozen=True)
class TrendRow:
    round: HealthCheckRound
    cells: list[Cell]


@dataclass
class Results:
    round: HealthCheckRound
    sides: list[Side]
    statements: list[StatementResult]
    disagreements: list[StatementResult]
    respondents: int
    trend: list[TrendRow]

    @property
    def highlighted(self) -> list[StatementResult]:
        return [found for found in self.disagreements if found.highlighted]


def _sides(people: dict[str, int], organizations: list[Organization], *, with_partners: bool = True) -> list[Side]:
    sides = [
        Side(FACILITATORS, _("Facilitators"), people.get(FACILITATORS, 0), rules.may_show(people.get(FACILITATORS, 0)))
    ]
    for organization in organizations:
        count = people.get(str(organization.pk), 0)
        sides.append(Side(str(organization.pk), organization.name, count, rules.may_show(count)))
    if with_partners:
        groups = sides[1:]
        together = sum(side.respondents for side in groups)
        hidden = sum(side.respondents for side in groups if not side.shown)
        sides.append(Side(PARTNERS, _("All partner groups"), together, rules.combined_may_show(together, hidden)))
    return sides


def _key(organization_id: int | None) -> str:
    return FACILITATORS if organization_id is None else str(organization_id)


def _organizations(partnership: Partnership, answered: set[int]) -> list[Organization]:
    """The member organizations, in the partnership's order, and any that answered and has left since."""
    organizations = [member.organization for member in partnership.members.select_related("organization")]
    missing = answered - {organization.pk for organization in organizations}
    if missing:
        organizations += list(Organization.objects.filter(pk__in=missing).order_by("name"))
    return organizations


def results_of(found: HealthCheckRound) -> Results:
    """A round's results side by side, the disagreements first, and the trend of the last rounds (5 queries)."""
    answers = list(
        HealthCheckAnswer.objects.filter(round=found).values_list(
            "statement", "organization_id", "respondent_id", "score", "comment"
        )
    )
    respondents: dict[str, set[int]] = defaultdict(set)
    totals: dict[tuple[str, str], list[int]] = defaultdict(list)
    for slug, organization_id, respondent_id, score, _comment in answers:
        respondents[_key(organization_id)].add(respondent_id)
        totals[(slug, _key(organization_id))].append(score)
    people = {key: len(ids) for key, ids in respondents.items()}
    answered = {organization_id for _s, organization_id, _r, _sc, _c in answers if organization_id is not None}
    organizations = _organizations(found.partnership, answered)
    sides = _sides(people, organizations)
    by_key = {side.key: side for side in sides}
    group_keys = [side.key for side in sides if side.key not in (FACILITATORS, PARTNERS)]

    statements = []
    for statement in rules.STATEMENTS:
        cells = []
        for side in sides:
            keys = group_keys if side.key == PARTNERS else [side.key]
            scores = [score for key in keys for score in totals.get((statement.slug, key), [])]
            average = rules.mean(sum(scores), len(scores)) if side.shown else None
            cells.append(Cell(side, average, len(scores)))
        result = StatementResult(statement, cells)
        compared = [cell for cell in cells if cell.side.key != PARTNERS and cell.average is not None]
        result.difference = rules.gap([cell.average for cell in compared if cell.average is not None])
        if result.difference is not None:
            result.highest = max(compared, key=lambda cell: cell.average or 0)
            result.lowest = min(compared, key=lambda cell: cell.average or 0)
        statements.append(result)

    by_slug = {result.statement.slug: result for result in statements}
    # Not in the order people answered, which could tell who wrote what: by score, then by text.
    for slug, organization_id, _respondent, score, comment in sorted(answers, key=lambda a: (a[3], a[4])):
        side = by_key[_key(organization_id)]
        if side.shown and slug in by_slug:
            by_slug[slug].lines.append(Line(side, score, comment))

    disagreements = sorted(
        (result for result in statements if result.disagrees), key=lambda result: -(result.difference or 0)
    )
    for result in disagreements[: rules.HIGHLIGHTED]:
        result.highlighted = True
    return Results(
        round=found,
        sides=sides,
        statements=statements,
        disagreements=disagreements,
        respondents=sum(people.values()),
        trend=_trend(found, organizations),
    )


def _trend(found: HealthCheckRound, organizations: list[Organization]) -> list[TrendRow]:
    """Each of the last rounds up to this one: the overall average per side, with the same anonymity rule."""
    rounds = list(
        HealthCheckRound.objects.filter(partnership_id=found.partnership_id, opened_on__lte=found.opened_on).exclude(
            opened_on=found.opened_on, pk__gt=found.pk
        )[: rules.TREND_ROUNDS]
    )
    totals: dict[int, dict[str, tuple[int, int, int]]] = defaultdict(dict)
    for row in _side_totals(HealthCheckAnswer.objects.filter(round__in=[each.pk for each in rounds])):
        totals[row["round_id"]][_key(row["organization_id"])] = (row["total"], row["count"], row["people"])
    trend = []
    for each in rounds:
        of_round = totals.get(each.pk, {})
        sides = _sides({key: people for key, (_t, _c, people) in of_round.items()}, organizations)
        cells = []
        for side in sides:
            keys = [key for key in of_round if key != FACILITATORS] if side.key == PARTNERS else [side.key]
            total = sum(of_round[key][0] for key in keys if key in of_round)
            count = sum(of_round[key][1] for key in keys if key in of_round)
            cells.append(Cell(side, rules.mean(total, count) if side.shown else None, count))
        trend.append(TrendRow(each, cells))
    return trend
