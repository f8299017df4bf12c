"""The health score of a partnership: 0 to 100, from six parts, each in plain words.

Pure rules, no queries: ``selectors.health`` gathers the facts for many
partnerships at once into a ``HealthFacts`` and asks here.

The parts and their default weights (out of 100):

- **Commitments kept on time** (25): of the commitments due in the last 180
  days (withdrawn and renegotiated ones left out, overdue open ones counted
  as not kept), the share kept on time.
- **Check-in regularity** (20): check-ins held in the last 180 days against
  the number the schedule's cadence expects over the same days (counted from
  the schedule's start when it is younger), at most 100%. No schedule, a
  paused one, or less than one cadence counted: no data.
- **Goal progress against time** (15): for each goal not dropped, the share
  of the way to its target divided by the share of its time elapsed (a goal
  reached counts in full, a goal whose time has not started is left out),
  averaged over the goals.
- **Open risks** (15): full points with no open risk; each open risk costs a
  share of the part by its band (high 50%, medium 20%, low 5%), never below 0.
- **Contact with each member group** (15): for each group, the days since the
  last visit, call, meeting or message (or check-in, or joining): full points
  up to 30 days, none from 90 (the "quiet group" flag), in between in
  proportion; averaged over the groups.
- **Latest two-sided health check** (10): the overall result of the latest
  health check the partners and facilitators answered.

A part with no data is left out and the weights of the others are rescaled
to 100. With fewer than ``MINIMUM_PARTS`` parts with data the score is
``None``: not enough data yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from engagements.domain import goals as goal_rules
from engagements.domain import risks as risk_rules
from engagements.domain.goals import svg_number

WINDOW_DAYS = 180
MINIMUM_PARTS = 3


class Key:
    COMMITMENTS = "commitments"
    CHECK_INS = "check_ins"
    GOALS = "goals"
    RISKS = "risks"
    CONTACT = "contact"
    HEALTH_CHECK = "health_check"


WEIGHTS: dict[str, int] = {
    Key.COMMITMENTS: 25,
    Key.CHECK_INS: 20,
    Key.GOALS: 15,
    Key.RISKS: 15,
    Key.CONTACT: 15,
    Key.HEALTH_CHECK: 10,
}

LABELS: dict[str, Promise] = {
    Key.COMMITMENTS: gettext_lazy("Commitments kept on time"),
    Key.CHECK_INS: gettext_lazy("Regular check-ins"),
    Key.GOALS: gettext_lazy("Progress on the shared goals"),
    Key.RISKS: gettext_lazy("Open risks"),
    Key.CONTACT: gettext_lazy("Contact with each member group"),
    Key.HEALTH_CHECK: gettext_lazy("Latest health check"),
}

# What one open risk costs, as a share of the risks part.
RISK_COST = {risk_rules.Band.HIGH: 0.5, risk_rules.Band.MEDIUM: 0.2, risk_rules.Band.LOW: 0.05}
# Contact: full points up to this many days since the last one, none from the quiet-group threshold.
CONTACT_FRESH_DAYS = 30
CONTACT_QUIET_DAYS = risk_rules.QUIET_GROUP_DAYS
# An average month, for the monthly cadence.
MONTH_DAYS = 30.44


@dataclass(frozen=True)
class GoalFacts:
    baseline: Decimal
    target: Decimal
    value: Decimal
    start_date: datetime.date
    target_date: datetime.date
    dropped: bool = False


@dataclass(frozen=True)
class GroupContact:
    name: str
    last_contact: datetime.date


@dataclass(frozen=True)
class HealthFacts:
    """What the score is computed from, for one partnership, on ``today``."""

    partnership_id: int
    today: datetime.date
    commitments_due: int = 0
    commitments_on_time: int = 0
    # The schedule's cadence in days (None: no schedule, or paused) and the days of the window it covered.
    cadence_days: float | None = None
    schedule_days: int = 0
    check_ins_held: int = 0
    goals: list[GoalFacts] = field(default_factory=list)
    risk_severities: list[int] = field(default_factory=list)
    contacts: list[GroupContact] = field(default_factory=list)
    health_check_overall: float | None = None
    health_check_respondents: int = 0


@dataclass(frozen=True)
class Part:
    key: str
    earned: float  # points, out of ``weight``
    weight: int
    explanation: str
    link_name: str
    link_args: tuple[int, ...]
    link_anchor: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    @property
    def points(self) -> int:
        return round(self.earned)

    @property
    def url(self) -> str:
        url = reverse(self.link_name, args=self.link_args)
        return f"{url}#{self.link_anchor}" if self.link_anchor else url


@dataclass(frozen=True)
class HealthScore:
    value: int | None  # None: not enough data yet
    parts: list[Part]
    missing: list[str]  # keys of the parts with no data

    @property
    def missing_labels(self) -> list[str]:
        return [str(LABELS[key]) for key in self.missing]


def _part(facts: HealthFacts, key: str, ratio: float, explanation: str, link: str, anchor: str = "") -> Part:
    ratio = max(0.0, min(1.0, ratio))
    return Part(key, WEIGHTS[key] * ratio, WEIGHTS[key], explanation, link, (facts.partnership_id,), anchor)


def commitments_part(facts: HealthFacts) -> Part | None:
    if facts.commitments_due <= 0:
        return None
    explanation = ngettext(
        "%(kept)d of %(due)d commitment kept on time in the last %(days)d days.",
        "%(kept)d of %(due)d commitments kept on time in the last %(days)d days.",
        facts.commitments_due,
    ) % {"kept": facts.commitments_on_time, "due": facts.commitments_due, "days": WINDOW_DAYS}
    ratio = facts.commitments_on_time / facts.commitments_due
    return _part(facts, Key.COMMITMENTS, ratio, explanation, "engagements:commitment_list")


def expected_check_ins(cadence_days: float, schedule_days: int) -> float:
    return schedule_days / cadence_days


def check_ins_part(facts: HealthFacts) -> Part | None:
    if facts.cadence_days is None or facts.schedule_days < facts.cadence_days:
        return None
    expected = expected_check_ins(facts.cadence_days, facts.schedule_days)
    shown = max(1, round(expected))
    explanation = ngettext(
        "%(held)d check-in held of about %(expected)d expected in the last %(days)d days.",
        "%(held)d check-ins held of about %(expected)d expected in the last %(days)d days.",
        facts.check_ins_held,
    ) % {"held": facts.check_ins_held, "expected": shown, "days": facts.schedule_days}
    ratio = facts.check_ins_held / expected
    return _part(facts, Key.CHECK_INS, ratio, explanation, "engagements:partnership_detail", "checkins-heading")


def goal_ratio(goal: GoalFacts, today: datetime.date) -> float | None:
    """Progress over time elapsed, 0 to 1; None for a goal whose time has not started (or was dropped)."""
    if goal.dropped:
        return None
    if goal_rules.target_reached(goal.baseline, goal.target, goal.value):
        return 1.0
    total = (goal.target_date - goal.start_date).days
    elapsed = 1.0 if total <= 0 else min(1.0, (today - goal.start_date).days / total)
    if elapsed <= 0:
        return None
    done = max(0.0, min(1.0, float(goal_rules.progress_done(goal.baseline, goal.target, goal.value))))
    return min(1.0, done / elapsed)


def goals_part(facts: HealthFacts) -> Part | None:
    counted = [(goal, ratio) for goal in facts.goals if (ratio := goal_ratio(goal, facts.today)) is not None]
    if not counted:
        return None
    ratio = sum(r for _goal, r in counted) / len(counted)
    done = sum(
        max(0.0, min(1.0, float(goal_rules.progress_done(g.baseline, g.target, g.value)))) for g, _r in counted
    ) / len(counted)
    elapsed = sum(_elapsed(g, facts.today) for g, _r in counted) / len(counted)
    explanation = ngettext(
        "%(count)d goal, on average %(done)d%% of the way with %(elapsed)d%% of its time gone.",
        "%(count)d goals, on average %(done)d%% of the way with %(elapsed)d%% of their time gone.",
        len(counted),
    ) % {"count": len(counted), "done": round(done * 100), "elapsed": round(elapsed * 100)}
    return _part(facts, Key.GOALS, ratio, explanation, "engagements:partnership_detail", "goals-heading")


def _elapsed(goal: GoalFacts, today: datetime.date) -> float:
    total = (goal.target_date - goal.start_date).days
    return 1.0 if total <= 0 else max(0.0, min(1.0, (today - goal.start_date).days / total))


def risks_part(facts: HealthFacts) -> Part:
    """Always has data: a register with nothing open is a fact too."""
    bands = [risk_rules.band_of(severity) for severity in facts.risk_severities]
    counts = {band: bands.count(band) for band in RISK_COST}
    cost = sum(RISK_COST[band] * count for band, count in counts.items())
    if not bands:
        explanation = _("No open risk in the register.")
    else:
        explanation = _("Open risks: %(high)d high, %(medium)d medium, %(low)d low.") % {
            "high": counts[risk_rules.Band.HIGH],
            "medium": counts[risk_rules.Band.MEDIUM],
            "low": counts[risk_rules.Band.LOW],
        }
    return _part(facts, Key.RISKS, 1 - cost, explanation, "engagements:risk_list")


def contact_ratio(days: int) -> float:
    if days <= CONTACT_FRESH_DAYS:
        return 1.0
    if days >= CONTACT_QUIET_DAYS:
        return 0.0
    return (CONTACT_QUIET_DAYS - days) / (CONTACT_QUIET_DAYS - CONTACT_FRESH_DAYS)


def contact_part(facts: HealthFacts) -> Part | None:
    if not facts.contacts:
        return None
    waits = [(max(0, (facts.today - c.last_contact).days), c.name) for c in facts.contacts]
    ratio = sum(contact_ratio(days) for days, _name in waits) / len(waits)
    fresh = sum(1 for days, _name in waits if days <= CONTACT_FRESH_DAYS)
    longest, name = max(waits)
    explanation = ngettext(
        "%(fresh)d of %(count)d member group was in contact in the last %(days)d days; "
        "the longest wait is %(longest)d days (%(group)s).",
        "%(fresh)d of %(count)d member groups were in contact in the last %(days)d days; "
        "the longest wait is %(longest)d days (%(group)s).",
        len(waits),
    ) % {"fresh": fresh, "count": len(waits), "days": CONTACT_FRESH_DAYS, "longest": longest, "group": name}
    return _part(facts, Key.CONTACT, ratio, explanation, "engagements:partnership_detail", "members-heading")


def health_check_part(facts: HealthFacts) -> Part | None:
    if facts.health_check_overall is None:
        return None
    explanation = ngettext(
        "The latest health check, answered by %(count)d person, rates the partnership %(result)d of 100.",
        "The latest health check, answered by %(count)d people, rates the partnership %(result)d of 100.",
        facts.health_check_respondents,
    ) % {"count": facts.health_check_respondents, "result": round(facts.health_check_overall * 100)}
    return _part(facts, Key.HEALTH_CHECK, facts.health_check_overall, explanation, "engagements:health_detail")


PARTS = {
    Key.COMMITMENTS: commitments_part,
    Key.CHECK_INS: check_ins_part,
    Key.GOALS: goals_part,
    Key.RISKS: risks_part,
    Key.CONTACT: contact_part,
    Key.HEALTH_CHECK: health_check_part,
}


def score(facts: HealthFacts) -> HealthScore:
    """The parts with data, and their points rescaled to 100 (None with fewer than MINIMUM_PARTS)."""
    parts: list[Part] = []
    missing: list[str] = []
    for key, compute in PARTS.items():
        part = compute(facts)
        if part is None:
            missing.append(key)
        else:
            parts.append(part)
    if len(parts) < MINIMUM_PARTS:
        return HealthScore(None, parts, missing)
    weights = sum(part.weight for part in parts)
    value = round(100 * sum(part.earned for part in parts) / weights)
    return HealthScore(max(0, min(100, value)), parts, missing)


# --- The sparkline ----------------------------------------------------------------

SPARK_W, SPARK_H, SPARK_PAD = 180, 40, 2


@dataclass(frozen=True)
class Sparkline:
    """A line of the daily scores in SVG coordinates, every number already a '.'-decimal string."""

    points: str
    description: str
    empty: bool
    view_box: str = f"0 0 {SPARK_W} {SPARK_H}"
    width: str = str(SPARK_W)
    height: str = str(SPARK_H)


def sparkline(history: list[tuple[datetime.date, int | None]], *, today: datetime.date, days: int = 90) -> Sparkline:
    """``history``: (day, score) oldest first; days without a score are left out of the line."""
    first = today - datetime.timedelta(days=days - 1)
    scored = [(day, value) for day, value in history if value is not None and first <= day <= today]
    if not scored:
        return Sparkline("", _("No health score recorded in the last %(days)d days.") % {"days": days}, True)
    step = (SPARK_W - 2 * SPARK_PAD) / max(1, days - 1)
    usable = SPARK_H - 2 * SPARK_PAD
    points = " ".join(
        f"{svg_number(SPARK_PAD + (day - first).days * step)},{svg_number(SPARK_PAD + usable * (100 - value) / 100)}"
        for day, value in scored
    )
    start, end = scored[0][1], scored[-1][1]
    facts = {"days": days, "start": start, "end": end, "change": abs(end - start)}
    if end > start:
        description = _("Health score over the last %(days)d days: up %(change)d, from %(start)d to %(end)d.") % facts
    elif end < start:
        description = _("Health score over the last %(days)d days: down %(change)d, from %(start)d to %(end)d.") % facts
    else:
        description = _("Health score over the last %(days)d days: steady at %(end)d.") % facts
    return Sparkline(points, description, False)
