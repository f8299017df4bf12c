"""When the next check-in is due, on the partnership's own calendar.

Pure date arithmetic: a schedule plus the day of the last check-in give the
planned day; a weekend or an Indonesian public holiday moves it to the next
working day; lead time, grace period and cadence give the days on which the
state changes (due soon, late, dormant).
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass
from functools import cache

import holidays
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.localtime import readable_date
from engagements.models import PARTNERSHIP_TIME_ZONES, Cadence, CheckInSchedule, Partnership


class State:
    PAUSED = "paused"
    ON_SCHEDULE = "on_schedule"
    DUE_SOON = "due_soon"
    # Past the due day, inside the grace period: late, but not yet chased.
    GRACE = "grace"
    LATE = "late"
    DORMANT = "dormant"


STATE_LABELS = {
    State.PAUSED: translation.gettext_lazy("Check-ins paused"),
    State.ON_SCHEDULE: translation.gettext_lazy("On schedule"),
    State.DUE_SOON: translation.gettext_lazy("Check-in due soon"),
    State.GRACE: translation.gettext_lazy("Check-in late, in grace"),
    State.LATE: translation.gettext_lazy("Check-in late"),
    State.DORMANT: translation.gettext_lazy("Dormant"),
}


# A monthly check-in held early or late still leaves about a month to the next
# one: the rule day that comes at least this long after it.
MONTHLY_MINIMUM_GAP = datetime.timedelta(days=23)


@cache
def _holiday_calendar(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, language=language)


def holiday_name(day: datetime.date) -> str | None:
    language = "id" if translation.get_language() == "id" else "en_US"
    return _holiday_calendar(day.year, language).get(day)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def nth_weekday_after(after: datetime.date, week: int, weekday: int) -> datetime.date:
    """The first "week-th weekday of a month" strictly after ``after`` (week -1: the last)."""
    year, month = after.year, after.month
    while True:
        candidate = _nth_weekday(year, month, week, weekday)
        if candidate > after:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _nth_weekday(year: int, month: int, week: int, weekday: int) -> datetime.date:
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[-1] if week == -1 else days[min(week, len(days)) - 1]


def planned_after(schedule: CheckInSchedule, last: datetime.date) -> datetime.date:
    if schedule.cadence == Cadence.DAYS:
        return last + datetime.timedelta(days=schedule.interval)
    if schedule.cadence == Cadence.WEEKS:
        return last + datetime.timedelta(weeks=schedule.interval)
    return nth_weekday_after(last + MONTHLY_MINIMUM_GAP, schedule.month_week, schedule.month_weekday)


@dataclass(frozen=True)
class Dates:
    planned_on: datetime.date
    due_on: datetime.date
    remind_from: datetime.date
    late_from: datetime.date
    dormant_from: datetime.date


def derive(schedule: CheckInSchedule, last_held_on: datetime.date | None) -> Dates:
    """The next check-in: one cadence after the last one held (or the start)."""
    last = last_held_on or schedule.starts_on
    planned = planned_after(schedule, last)
    due = next_working_day(planned)
    # Dormant: a second cadence has passed without a check-in.
    dormant = max(planned_after(schedule, planned), due + datetime.timedelta(days=schedule.grace_days + 1))
    return Dates(
        planned_on=planned,
        due_on=due,
        remind_from=due - datetime.timedelta(days=schedule.lead_days),
        late_from=due + datetime.timedelta(days=schedule.grace_days + 1),
        dormant_from=dormant,
    )


def late_reminder_number(schedule: CheckInSchedule, today: datetime.date) -> int | None:
    """Which late reminder today falls in (0, 1, ...: one every repeat_every_days), or None before late_from."""
    late_from = schedule.late_from
    if late_from is None or today < late_from:
        return None
    return (today - late_from).days // schedule.repeat_every_days


def next_reminder_day(schedule: CheckInSchedule, today: datetime.date) -> datetime.date | None:
    """After the sweep wrote today's reminders: the day the next one (late, or late again) starts."""
    late_from = schedule.late_from
    if late_from is None:
        return None
    number = late_reminder_number(schedule, today)
    if number is None:
        return late_from
    return late_from + datetime.timedelta(days=(number + 1) * schedule.repeat_every_days)


def zone_of(partnership: Partnership) -> str:
    """The partnership's time zone: its schedule's, else the site's (reads partnership.schedule)."""
    try:
        return partnership.schedule.time_zone
    except CheckInSchedule.DoesNotExist:
        return settings.TIME_ZONE


def local_today(time_zone: str) -> datetime.date:
    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(time_zone)).date()


def todays_by_zone() -> dict[str, datetime.date]:
    """Today's date in each zone a partnership can keep its check-ins in."""
    return {zone: local_today(zone) for zone, _label in PARTNERSHIP_TIME_ZONES}


def state_of(schedule: CheckInSchedule | None, *, today: datetime.date | None = None) -> str | None:
    """From the stored dates: no query."""
    if schedule is None or schedule.due_on is None:
        return None
    if schedule.paused:
        return State.PAUSED
    remind_from, late_from, dormant_from = schedule.remind_from, schedule.late_from, schedule.dormant_from
    # schedule_refresh writes every derived date together with due_on.
    assert remind_from is not None and late_from is not None and dormant_from is not None
    today = today or local_today(schedule.time_zone)
    if today >= dormant_from:
        return State.DORMANT
    if today >= late_from:
        return State.LATE
    if today > schedule.due_on:
        return State.GRACE
    if today >= remind_from:
        return State.DUE_SOON
    return State.ON_SCHEDULE


def grace_ends_on(schedule: CheckInSchedule) -> datetime.date:
    """The last day of the grace period (the due day itself when there is none)."""
    assert schedule.late_from is not None, "only a schedule with a state has a grace period, and its dates are derived"
    return schedule.late_from - datetime.timedelta(days=1)


def describe(schedule: CheckInSchedule, state: str, *, today: datetime.date | None = None) -> str:
    """What the badge says: the state with the day that makes it true."""
    assert schedule.due_on is not None, "a schedule has a state (see state_of) only once its dates are derived"
    today = today or local_today(schedule.time_zone)
    day = badge_date(schedule.due_on)
    if state == State.PAUSED:
        return str(STATE_LABELS[state])
    if state == State.ON_SCHEDULE:
        return _("On schedule · due %(date)s") % {"date": day}
    if state == State.DUE_SOON:
        if schedule.due_on == today:
            return _("Check-in due today, %(date)s") % {"date": day}
        return _("Check-in due on %(date)s") % {"date": day}
    if state == State.GRACE:
        return _("Late since %(date)s · in grace until %(end)s") % {
            "date": day,
            "end": badge_date(grace_ends_on(schedule)),
        }
    if state == State.LATE:
        return _("Check-in late since %(date)s") % {"date": day}
    return _("Dormant: late since %(date)s") % {"date": day}


def badge_date(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")


def why_moved(schedule: CheckInSchedule) -> list[str]:
    """Why the due day is later than planned: each skipped day, named."""
    if schedule.planned_on is None or schedule.due_on is None or schedule.planned_on == schedule.due_on:
        return []
    reasons, day = [], schedule.planned_on
    while day < schedule.due_on:
        name = holiday_name(day)
        reasons.append(
            _("%(day)s is a public holiday (%(name)s)") % {"day": readable_date(day), "name": name}
            if name
            else _("%(day)s is a weekend day") % {"day": readable_date(day)}
        )
        day += datetime.timedelta(days=1)
    return reasons
