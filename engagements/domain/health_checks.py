"""The two-sided health check: its fixed questionnaire, and the rules that read the answers.

Pure rules, no queries: ``selectors.health_checks`` reads the answers and
asks here. The statements are keyed by a stable slug, which the answers
store: reword a statement freely, but never reuse a slug for another idea.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Statement:
    slug: str
    theme: Promise
    text: Promise


GOALS = _("Shared goals")
ROLES = _("Roles and responsibilities")
COMMUNICATION = _("Communication")
TRUST = _("Trust")
BENEFIT = _("Benefit")

# Two statements for each of the five things the field guide says a partnership needs.
STATEMENTS: tuple[Statement, ...] = (
    Statement("goals-clear", GOALS, _("The goals of this partnership are clear to me.")),
    Statement("goals-shared", GOALS, _("The goals of this partnership are also the goals of my group.")),
    Statement("roles-clear", ROLES, _("I know what my side is responsible for in this partnership.")),
    Statement("roles-fair", ROLES, _("The work of the partnership is shared fairly between the sides.")),
    Statement("communication-regular", COMMUNICATION, _("We meet or talk often enough to stay informed.")),
    Statement("communication-heard", COMMUNICATION, _("When my side speaks, the other side listens.")),
    Statement("trust-commitments", TRUST, _("The other side keeps its commitments.")),
    Statement("trust-open", TRUST, _("The other side is open about money, decisions and problems.")),
    Statement("benefit-community", BENEFIT, _("The partnership brings real benefit to our community.")),
    Statement("benefit-worth", BENEFIT, _("What my group gains is worth the time we give.")),
)
SLUGS = tuple(statement.slug for statement in STATEMENTS)

SCORES = (
    (1, _("1 · Strongly disagree")),
    (2, _("2 · Disagree")),
    (3, _("3 · Neither agree nor disagree")),
    (4, _("4 · Agree")),
    (5, _("5 · Strongly agree")),
)
LOWEST, HIGHEST = 1, 5

# Anonymity within a side: with fewer than three people answering, an average
# or a comment could be traced back to one of them (say, the only facilitator).
MIN_RESPONDENTS_TO_SHOW = 3
# A whole point on a five-point scale: one side agrees where the other hesitates.
DISAGREEMENT_FROM = 1.0
HIGHLIGHTED = 3
TREND_ROUNDS = 8
DAYS_OPEN = 14


def mean(total: int, count: int) -> float | None:
    return total / count if count else None


def to_unit(average: float | None) -> float | None:
    """An average of 1-5 scores on 0..1: strongly disagree is 0, strongly agree 1."""
    return None if average is None else (average - LOWEST) / (HIGHEST - LOWEST)


def may_show(respondents: int) -> bool:
    return respondents >= MIN_RESPONDENTS_TO_SHOW


def combined_may_show(respondents: int, hidden_respondents: int) -> bool:
    """The partner groups together: enough people, and no small hidden group left to find by subtraction.

    A group shown on its own, taken from the combined average, would leave
    the hidden groups' average; that is safe only when they are three or more
    people together (or none).
    """
    return may_show(respondents) and (hidden_respondents == 0 or may_show(hidden_respondents))


def gap(averages: list[float]) -> float | None:
    """The largest difference between the sides' averages, 0..4; None with fewer than two sides."""
    if len(averages) < 2:
        return None
    return max(averages) - min(averages)


def disagrees(difference: float | None) -> bool:
    return difference is not None and difference >= DISAGREEMENT_FROM


# A partnership's health check rhythm until a round says otherwise.
DEFAULT_RHYTHM_MONTHS = 3


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the last day of a shorter month (31 January + 1: end of February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
