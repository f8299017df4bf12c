"""A user's calendar: upcoming check-ins and activity due dates, as iCalendar (RFC 5545)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.access import partnerships_visible_to
from engagements.models import PARTNERSHIP_TIME_ZONES, Activity, ActivityStatus, CheckInSchedule, PartnershipStatus

HORIZON_DAYS = 120


CHECK_IN_HOUR = 9


# Indonesia keeps no daylight saving time: one fixed offset per zone.
OFFSETS = {"Asia/Jakarta": ("+0700", "WIB"), "Asia/Makassar": ("+0800", "WITA"), "Asia/Jayapura": ("+0900", "WIT")}


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _timezones() -> list[str]:
    lines = []
    for zone, _label in PARTNERSHIP_TIME_ZONES:
        offset, name = OFFSETS[zone]
        lines += [
            "BEGIN:VTIMEZONE",
            f"TZID:{zone}",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            f"TZNAME:{name}",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    return lines


def _due_summary(activity: Activity) -> str:
    return _("Due: %(title)s (%(partnership)s)") % {"title": activity.title, "partnership": activity.partnership.title}


def feed_for(user: User) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
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
    with translation.override(language):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Rekan//Check-ins and activities//EN",
            "CALSCALE:GREGORIAN",
        ]
        lines += [f"X-WR-CALNAME:{_escape(_('Rekan: check-ins and activities'))}", *_timezones()]
        for schedule in schedules:
            start = datetime.datetime.combine(schedule.due_on, datetime.time(CHECK_IN_HOUR))
            url = settings.SITE_URL + reverse("engagements:partnership_detail", args=[schedule.partnership_id])
            lines += [
                "BEGIN:VEVENT",
                f"UID:checkin-{schedule.pk}-{schedule.due_on:%Y%m%d}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;TZID={schedule.time_zone}:{start:%Y%m%dT%H%M%S}",
                f"DTEND;TZID={schedule.time_zone}:{start + datetime.timedelta(hours=1):%Y%m%dT%H%M%S}",
                f"SUMMARY:{_escape(_('Check-in: %(title)s') % {'title': schedule.partnership.title})}",
                f"URL:{url}",
                "END:VEVENT",
            ]
        for activity in activities:
            url = settings.SITE_URL + reverse("engagements:plan", args=[activity.partnership_id])
            lines += [
                "BEGIN:VEVENT",
                f"UID:activity-{activity.pk}-{activity.due_date:%Y%m%d}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{activity.due_date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{activity.due_date + datetime.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_escape(_due_summary(activity))}",
                f"URL:{url}",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
