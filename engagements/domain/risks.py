"""Risks: how severe a risk is, and when a fact about a partnership becomes an automatic flag.

Pure rules, no queries: ``selectors.risks`` reads the facts and asks here.
"""

from __future__ import annotations

import datetime

from engagements.models import FlagKind, RiskCategory
from partners.models import FundingStability


class Band:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# Severity is likelihood x impact, 1 to 25, on the usual 5 x 5 matrix. Up to 4
# (say "unlikely and minor") is watched; from 12 ("possible and major",
# "likely and moderate") it needs a mitigation now; in between, medium.
LOW_UP_TO = 4
HIGH_FROM = 12


def severity(likelihood: int, impact: int) -> int:
    return likelihood * impact


def band_of(score: int) -> str:
    if score >= HIGH_FROM:
        return Band.HIGH
    if score > LOW_UP_TO:
        return Band.MEDIUM
    return Band.LOW


# --- When a fact becomes a flag ------------------------------------------------

# A new leader shifts the partnership for about a quarter: long enough to meet
# them and go over the shared goals again, short enough that the flag is news.
LEADER_CHANGE_DAYS = 90
# Both say the group may not be able to carry what it promised.
UNSTABLE_FUNDING = (FundingStability.IRREGULAR, FundingStability.NONE)
# Three months without a visit, call, meeting or message: the relationship is
# going quiet, whatever the partnership's own check-ins say.
QUIET_GROUP_DAYS = 90
# Half a year of commitments shows a pattern; a few closed ones do not (one
# broken out of two is bad luck, not a risk), hence the minimum.
BROKEN_WINDOW_DAYS = 180
BROKEN_MINIMUM_CLOSED = 3
BROKEN_PERCENT = 30  # more than this share of the closed ones broken raises the flag


def leader_change_is_recent(started_on: datetime.date, today: datetime.date) -> bool:
    """A term started in the last LEADER_CHANGE_DAYS (or recorded ahead, starting soon)."""
    return started_on >= today - datetime.timedelta(days=LEADER_CHANGE_DAYS)


def funding_is_unstable(stability: str) -> bool:
    return stability in UNSTABLE_FUNDING


def group_is_quiet(last_contact: datetime.date, today: datetime.date) -> bool:
    """No interaction for QUIET_GROUP_DAYS or more since ``last_contact`` (the last one, or joining)."""
    return (today - last_contact).days >= QUIET_GROUP_DAYS


def too_many_broken(closed: int, broken: int) -> bool:
    """More than BROKEN_PERCENT of at least BROKEN_MINIMUM_CLOSED closed commitments were broken."""
    return closed >= BROKEN_MINIMUM_CLOSED and broken * 100 > closed * BROKEN_PERCENT


# --- Keys: one per occurrence -------------------------------------------------
#
# A key names the occurrence, not only the condition: a second new leader, a
# funding that became unstable again, a new dormant spell or a new broken
# commitment makes a new key, which is flagged again even when the last one
# was acknowledged. Keys are slugs, so that they fit in a URL.


def flag_key(kind: str, *parts: object) -> str:
    return "-".join([kind, *(_part(part) for part in parts)])


def _part(part: object) -> str:
    if isinstance(part, datetime.datetime):
        return part.strftime("%Y%m%d%H%M%S%f")
    if isinstance(part, datetime.date):
        return part.strftime("%Y%m%d")
    return str(part)


def kind_of_key(key: str) -> str:
    return key.split("-", 1)[0]


# What a flag becomes in the register.
CATEGORY_OF_FLAG = {
    FlagKind.LEADER_CHANGE: RiskCategory.LEADERSHIP,
    FlagKind.UNSTABLE_FUNDING: RiskCategory.FUNDING,
    FlagKind.NO_CHECK_IN: RiskCategory.COORDINATION,
    FlagKind.BROKEN_COMMITMENTS: RiskCategory.COORDINATION,
    FlagKind.QUIET_GROUP: RiskCategory.COORDINATION,
}
