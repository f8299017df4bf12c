"""The health formula on plain facts: each part, the rescaling, and "not enough data yet"."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from engagements.domain import health
from engagements.domain.health import GoalFacts, GroupContact, HealthFacts, Key

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The explanations are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def facts(**fields: object) -> HealthFacts:
    return HealthFacts(partnership_id=1, today=TODAY, **fields)  # type: ignore[arg-type]


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


FULL = {
    "commitments_due": 5,
    "commitments_on_time": 4,
    "cadence_days": 14.0,
    "schedule_days": 140,
    "check_ins_held": 5,
    "goals": [GoalFacts(Decimal(0), Decimal(100), Decimal(25), days_ago(100), days_ago(100) + datetime.timedelta(200))],
    "risk_severities": [16, 6],
    "contacts": [GroupContact("Kelompok A", days_ago(10)), GroupContact("Kelompok B", days_ago(60))],
    "health_check_overall": 0.8,
    "health_check_respondents": 6,
}


def parts_of(score: health.HealthScore) -> dict[str, health.Part]:
    return {part.key: part for part in score.parts}


def test_it_scores_every_part_from_its_facts() -> None:
    parts = parts_of(health.score(facts(**FULL)))
    assert parts[Key.COMMITMENTS].earned == pytest.approx(25 * 4 / 5)
    assert parts[Key.CHECK_INS].earned == pytest.approx(20 * 5 / 10)  # 140 days every 14: 10 expected
    assert parts[Key.GOALS].earned == pytest.approx(15 * 0.25 / 0.5)  # a quarter done, half the time gone
    assert parts[Key.RISKS].earned == pytest.approx(15 * (1 - 0.5 - 0.2))  # one high, one medium
    assert parts[Key.CONTACT].earned == pytest.approx(15 * (1 + 0.5) / 2)  # 10 days: full; 60: half
    assert parts[Key.HEALTH_CHECK].earned == pytest.approx(10 * 0.8)


def test_it_adds_the_parts_to_a_score_out_of_100() -> None:
    score = health.score(facts(**FULL))
    assert score.value == round(20 + 10 + 7.5 + 4.5 + 11.25 + 8)
    assert score.missing == []


def test_it_explains_each_part_with_its_facts() -> None:
    parts = parts_of(health.score(facts(**FULL)))
    assert parts[Key.COMMITMENTS].explanation == "4 of 5 commitments kept on time in the last 180 days."
    assert parts[Key.CHECK_INS].explanation == "5 check-ins held of about 10 expected in the last 140 days."
    assert parts[Key.RISKS].explanation == "Open risks: 1 high, 1 medium, 0 low."
    assert "Kelompok B" in parts[Key.CONTACT].explanation and "60 days" in parts[Key.CONTACT].explanation
    assert parts[Key.COMMITMENTS].url == "/partnerships/1/commitments/"
    assert parts[Key.RISKS].url == "/partnerships/1/risks/"
    assert parts[Key.CHECK_INS].url == "/partnerships/1/#checkins-heading"


def test_it_leaves_out_a_part_without_data_and_rescales_the_others() -> None:
    without = dict(FULL, health_check_overall=None, commitments_due=0, commitments_on_time=0)
    score = health.score(facts(**without))
    assert set(score.missing) == {Key.HEALTH_CHECK, Key.COMMITMENTS}
    earned = 10 + 7.5 + 4.5 + 11.25
    assert score.value == round(100 * earned / (20 + 15 + 15 + 15))


def test_it_has_no_score_with_fewer_than_three_parts_with_data() -> None:
    score = health.score(facts(contacts=[GroupContact("Kelompok A", days_ago(3))]))
    assert [part.key for part in score.parts] == [Key.RISKS, Key.CONTACT]
    assert score.value is None


def test_it_gives_full_points_to_a_perfect_partnership() -> None:
    perfect = dict(FULL, commitments_on_time=5, check_ins_held=12, risk_severities=[], health_check_overall=1.0)
    perfect["goals"] = [GoalFacts(Decimal(0), Decimal(10), Decimal(10), days_ago(10), days_ago(-10))]
    perfect["contacts"] = [GroupContact("Kelompok A", TODAY)]
    assert health.score(facts(**perfect)).value == 100


def test_it_costs_a_high_risk_more_than_a_low_one() -> None:
    high = parts_of(health.score(facts(**dict(FULL, risk_severities=[20]))))[Key.RISKS].earned
    low = parts_of(health.score(facts(**dict(FULL, risk_severities=[2]))))[Key.RISKS].earned
    assert high < low < 15
    many = parts_of(health.score(facts(**dict(FULL, risk_severities=[25, 25, 25]))))[Key.RISKS].earned
    assert many == 0


def test_it_needs_one_cadence_counted_before_judging_the_check_ins() -> None:
    young = health.score(facts(**dict(FULL, schedule_days=10)))
    assert Key.CHECK_INS in young.missing
    paused = health.score(facts(**dict(FULL, cadence_days=None)))
    assert Key.CHECK_INS in paused.missing


def test_it_leaves_out_goals_dropped_or_not_started() -> None:
    goals = [
        GoalFacts(Decimal(0), Decimal(10), Decimal(0), days_ago(10), days_ago(-10), dropped=True),
        GoalFacts(Decimal(0), Decimal(10), Decimal(0), days_ago(-5), days_ago(-50)),
    ]
    assert Key.GOALS in health.score(facts(**dict(FULL, goals=goals))).missing


def test_it_counts_a_goal_that_went_the_wrong_way_as_no_progress() -> None:
    goals = [GoalFacts(Decimal(50), Decimal(10), Decimal(60), days_ago(50), days_ago(-50))]
    assert parts_of(health.score(facts(**dict(FULL, goals=goals))))[Key.GOALS].earned == 0


@pytest.mark.parametrize(("days", "ratio"), [(0, 1.0), (30, 1.0), (60, 0.5), (90, 0.0), (400, 0.0)])
def test_it_lowers_the_contact_points_from_30_to_90_days(days: int, ratio: float) -> None:
    assert health.contact_ratio(days) == pytest.approx(ratio)


def test_it_draws_the_sparkline_with_dot_decimals_and_says_the_trend() -> None:
    history = [(days_ago(60), 40), (days_ago(30), None), (TODAY, 79)]
    line = health.sparkline(history, today=TODAY)
    pairs = [pair.split(",") for pair in line.points.split()]
    assert len(pairs) == 2 and all(len(pair) == 2 for pair in pairs)
    assert pairs[-1] == ["178.0", "9.6"]
    assert line.description == "Health score over the last 90 days: up 39, from 40 to 79."


def test_it_says_so_when_there_is_no_snapshot_to_draw() -> None:
    line = health.sparkline([(days_ago(100), 50)], today=TODAY)
    assert line.empty and line.points == ""
