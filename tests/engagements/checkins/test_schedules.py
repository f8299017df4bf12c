"""Due dates on the partnership's own calendar, and the state they give."""

from __future__ import annotations

import datetime

import pytest

from engagements.domain.schedules import State, derive, next_working_day, nth_weekday_after, state_of, why_moved
from engagements.models import CheckInSchedule

D = datetime.date


def schedule(**fields: object) -> CheckInSchedule:
    defaults = {"cadence": "weeks", "interval": 2, "grace_days": 3, "lead_days": 2, "starts_on": D(2026, 1, 5)}
    return CheckInSchedule(**(defaults | fields))


def test_it_is_due_one_cadence_after_the_last_check_in() -> None:
    dates = derive(schedule(), D(2026, 3, 2))  # a Monday
    assert dates.planned_on == dates.due_on == D(2026, 3, 16)
    assert dates.remind_from == D(2026, 3, 14)
    assert dates.late_from == D(2026, 3, 20)
    assert dates.dormant_from == D(2026, 3, 30)


def test_it_counts_from_the_start_until_the_first_check_in() -> None:
    assert derive(schedule(cadence="days", interval=10), None).planned_on == D(2026, 1, 15)


def test_it_moves_a_due_day_on_a_weekend_to_monday_and_says_why() -> None:
    item = schedule(cadence="days", interval=5)
    dates = derive(item, D(2026, 3, 2))  # planned Saturday 7 March
    assert (dates.planned_on, dates.due_on) == (D(2026, 3, 7), D(2026, 3, 9))
    item.planned_on, item.due_on = dates.planned_on, dates.due_on
    assert why_moved(item) == ["7 March 2026 is a weekend day", "8 March 2026 is a weekend day"]


def test_it_moves_a_due_day_on_an_indonesian_public_holiday() -> None:
    # 17 August 2026 (Monday) is Independence Day.
    assert next_working_day(D(2026, 8, 17)) == D(2026, 8, 18)
    item = schedule(cadence="days", interval=7)
    dates = derive(item, D(2026, 8, 10))
    item.planned_on, item.due_on = dates.planned_on, dates.due_on
    assert item.due_on == D(2026, 8, 18)
    assert why_moved(item) == ["17 August 2026 is a public holiday (Independence Day)"]


@pytest.mark.parametrize(
    ("after", "week", "weekday", "expected"),
    [
        (D(2026, 11, 27), 1, 0, D(2026, 12, 7)),  # first Monday of December
        (D(2026, 12, 1), 1, 0, D(2026, 12, 7)),
        (D(2026, 12, 7), 1, 0, D(2027, 1, 4)),  # strictly after
        (D(2026, 11, 27), -1, 4, D(2026, 12, 25)),  # the last Friday (a holiday: see below)
    ],
)
def test_it_finds_the_monthly_rule_day(after, week, weekday, expected) -> None:
    assert nth_weekday_after(after, week, weekday) == expected


def test_it_moves_a_monthly_day_that_falls_on_christmas() -> None:
    dates = derive(schedule(cadence="monthly", month_week=-1, month_weekday=4), D(2026, 11, 30))
    assert (dates.planned_on, dates.due_on) == (D(2026, 12, 25), D(2026, 12, 28))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 13), State.ON_SCHEDULE),
        (D(2026, 3, 14), State.DUE_SOON),
        (D(2026, 3, 16), State.DUE_SOON),  # the due day itself
        (D(2026, 3, 17), State.GRACE),  # past the due day, within the grace period
        (D(2026, 3, 19), State.GRACE),
        (D(2026, 3, 20), State.LATE),
        (D(2026, 3, 30), State.DORMANT),
    ],
)
def test_it_gives_the_state_of_the_switch(today, expected) -> None:
    item = schedule()
    for name, value in vars(derive(item, D(2026, 3, 2))).items():
        setattr(item, name, value)
    assert state_of(item, today=today) == expected
    item.paused = True
    assert state_of(item, today=today) == State.PAUSED
