"""Pure rules about shared goals: direction, progress, suggested status, chart geometry.

No ORM here: every function takes plain values and dates, so the rules can be
tested without a database and read by any selector.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from engagements.models import GoalStatus

# A goal is "at risk" when its progress lags the time elapsed by more than this.
AT_RISK_MARGIN = Decimal("0.15")


class Direction(StrEnum):
    """Whether a goal wants its number to grow (trees planted) or shrink (dumping sites)."""

    UP = "up"
    DOWN = "down"


def direction_of(baseline: Decimal, target: Decimal) -> Direction:
    return Direction.DOWN if target < baseline else Direction.UP


def movement_of(baseline: Decimal, value: Decimal) -> Direction | None:
    """Which way the number actually moved since the baseline (None: not at all), whatever the goal wants."""
    if value == baseline:
        return None
    return Direction.UP if value > baseline else Direction.DOWN


def progress_done(baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """Share of the way from baseline to target, in the goal's direction: negative when it went the wrong way."""
    gained = value - baseline if direction_of(baseline, target) is Direction.UP else baseline - value
    needed = abs(target - baseline)
    if needed == 0:
        return Decimal(1)
    return gained / needed


def progress_percent(baseline: Decimal, target: Decimal, value: Decimal) -> int:
    """0 to 100; a goal that moved away from its target is at 0, one past it at 100."""
    return max(0, min(100, int(progress_done(baseline, target, value) * 100)))


def target_reached(baseline: Decimal, target: Decimal, value: Decimal) -> bool:
    if direction_of(baseline, target) is Direction.UP:
        return value >= target
    return value <= target


def suggest_status(
    *,
    baseline: Decimal,
    target: Decimal,
    value: Decimal,
    start_date: datetime.date,
    target_date: datetime.date,
    today: datetime.date,
) -> GoalStatus:
    """Achieved at (or past) the target; otherwise on track or at risk from progress against time elapsed."""
    if target_reached(baseline, target, value):
        return GoalStatus.ACHIEVED
    total_days = (target_date - start_date).days
    if total_days <= 0 or today >= target_date:
        return GoalStatus.AT_RISK
    elapsed = Decimal(max(0, (today - start_date).days)) / Decimal(total_days)
    done = progress_done(baseline, target, value)
    return GoalStatus.AT_RISK if done + AT_RISK_MARGIN < elapsed else GoalStatus.ON_TRACK


CHART_W, CHART_H, PAD = 300, 100, 8


def svg_number(number: float) -> str:
    """An SVG coordinate: always a dot, never a thousands separator, whatever the active language."""
    text = f"{number:.1f}"
    return "0.0" if text == "-0.0" else text


@dataclass(frozen=True)
class Chart:
    """A small line chart in SVG coordinates (viewBox 0 0 300 100), every number already a string.

    The strings are written straight into SVG attributes: rendering floats in
    the template would localise them ("8,0" in Bahasa Indonesia).
    """

    points: str
    target_y: str
    dots: list[tuple[str, str]]
    empty: bool
    view_box: str = f"0 0 {CHART_W} {CHART_H}"
    left: str = svg_number(PAD)
    right: str = svg_number(CHART_W - PAD)


def progress_chart(
    *,
    baseline: Decimal,
    target: Decimal,
    start_date: datetime.date,
    target_date: datetime.date,
    measurements: list[tuple[datetime.date, Decimal]],
) -> Chart:
    """The baseline at the start date, then each (date, value) measured; higher values are drawn higher."""
    dates = [start_date, *[day for day, _ in measurements]]
    values = [baseline, *[value for _, value in measurements]]
    low = min([*values, target])
    high = max([*values, target])
    first, last = start_date, max([target_date, *dates])
    days = max(1, (last - first).days)
    span = (high - low) or Decimal(1)

    def x(day: datetime.date) -> float:
        return PAD + (CHART_W - 2 * PAD) * max(0, (day - first).days) / days

    def y(value: Decimal) -> float:
        return CHART_H - PAD - float((value - low) / span) * (CHART_H - 2 * PAD)

    dots = [(svg_number(x(day)), svg_number(y(value))) for day, value in zip(dates, values, strict=True)]
    return Chart(
        points=" ".join(f"{px},{py}" for px, py in dots),
        target_y=svg_number(y(target)),
        dots=dots,
        empty=not measurements,
    )
