"""A user's calendar: upcoming check-ins and activity due dates, as iCalendar (RFC 5545).

The `icalendar` library writes the feed: it escapes TEXT values, folds long lines
at 75 octets and writes the VTIMEZONE components, so nothing anyone typed can end
a content line early and start a property of its own.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import cast
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.access import partnerships_visible_to
from engagements.models import PARTNERSHIP_TIME_ZONES, Activity, ActivityStatus, CheckInSchedule, PartnershipStatus

HORIZON_DAYS = 120


CHECK_IN_HOUR = 9

# The range the VTIMEZONE components describe: wider than any date the feed holds.
TIME_ZONE_FIRST_DATE = datetime.date(1970, 1, 1)
TIME_ZONE_LAST_DATE = datetime.date(2100, 1, 1)


@functools.cache
def _time_zone_ical(zone: str) -> bytes:
    """One VTIMEZONE, worked out from zoneinfo once per process (it takes a while)."""
    component = icalendar.Timezone.from_tzid(zone, first_date=TIME_ZONE_FIRST_DATE, last_date=TIME_ZONE_LAST_DATE)
    return component.to_ical()


def _time_zone(zone: str) -> icalendar.Timezone:
    # A fresh component for each feed: one calendar's changes never reach another's. Parsing a
    # VTIMEZONE gives a Timezone; from_ical is typed for any component.
    return cast(icalendar.Timezone, icalendar.Timezone.from_ical(_time_zone_ical(zone)))


# Every character some reader takes for the end of a line: CRLF, CR, LF, and those that
# str.splitlines() and Unicode-aware parsers also break at (VT, FF, FS, GS, RS, NEL, LS, PS).
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters, which RFC 5545 does not allow in TEXT (HTAB aside).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def ical_text(value: str) -> icalendar.vText:
    """What people typed, as TEXT.

    RFC 5545 has one line break in TEXT, the escaped newline ``\\n``, and no
    escape for a carriage return on its own. Every kind of line break becomes
    a newline, which icalendar escapes; other control characters go, so that
    the only line ends in the feed are the CRLFs icalendar writes and folds.
    """
    return icalendar.vText(_CONTROLS.sub("", _LINE_BREAKS.sub("\n", value)))


def _due_summary(activity: Activity) -> str:
    return _("Due: %(title)s (%(partnership)s)") % {"title": activity.title, "partnership": activity.partnership.title}


def feed_for(user: User) -> bytes:
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    visible = partnerships_visible_to(user).exclude(status=PartnershipStatus.CLOSED)
    schedules = CheckInSchedule.objects.filter(
        partnership__in=visible, paused=False, due_on__isnull=False, due_on__lte=horizon
    ).select_related("partnership")
    activities = Activity.objects.filter(
        partnership__in=visible,
        status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS],
        due_date__gte=today - datetime.timedelta(days=30),
        due_date__lte=horizon,
    ).select_related("partnership")
    host = settings.SITE_URL.split("://", 1)[1]
    language = user.language or settings.LANGUAGE_CODE
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rekan//Check-ins and activities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with translation.override(language):
        calendar.calendar_name = _("Rekan: check-ins and activities")
        for zone, _label in PARTNERSHIP_TIME_ZONES:
            calendar.add_component(_time_zone(zone))
        for schedule in schedules:
            assert schedule.due_on is not None, "selected with due_on__isnull=False"
            start = datetime.datetime.combine(
                schedule.due_on, datetime.time(CHECK_IN_HOUR), tzinfo=ZoneInfo(schedule.time_zone)
            )
            url = settings.SITE_URL + reverse("engagements:partnership_detail", args=[schedule.partnership_id])
            event = icalendar.Event()
            event.add("uid", f"checkin-{schedule.pk}-{schedule.due_on:%Y%m%d}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(hours=1))
            event.add("summary", ical_text(_("Check-in: %(title)s") % {"title": schedule.partnership.title}))
            event.add("url", url)
            calendar.add_component(event)
        for activity in activities:
            assert activity.due_date is not None, "selected by a range of due dates"
            url = settings.SITE_URL + reverse("engagements:plan", args=[activity.partnership_id])
            event = icalendar.Event()
            event.add("uid", f"activity-{activity.pk}-{activity.due_date:%Y%m%d}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", activity.due_date)  # a date: an all-day event
            event.add("dtend", activity.due_date + datetime.timedelta(days=1))
            event.add("summary", ical_text(_due_summary(activity)))
            event.add("url", url)
            calendar.add_component(event)
    calendar.add_missing_timezones(first_date=TIME_ZONE_FIRST_DATE, last_date=TIME_ZONE_LAST_DATE)
    return calendar.to_ical()
