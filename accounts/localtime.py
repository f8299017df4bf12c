"""Time zones and dates as people read them.

Times are stored in UTC and shown in a named zone: the viewer's (chosen in
preferences, activated on every request) or the partnership's (where its
check-ins happen). A time shown in a zone other than the viewer's carries
the zone's name, so "14:00" in Jayapura is never read as 14:00 in Jakarta.
Dates in sentences are written in the active language, never as ISO text.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import cache

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# Indonesia's three zones by the names people use for them.
INDONESIAN_ZONES = {
    "Asia/Jakarta": _("WIB"),
    "Asia/Makassar": _("WITA"),
    "Asia/Jayapura": _("WIT"),
}
DATE_IN_SENTENCE = "j F Y"
DATETIME_IN_SENTENCE = "j F Y H:i"


@cache
def all_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_known_zone(name: str) -> bool:
    return name in all_zone_names()


def zone_label(name: str) -> str:
    """WIB, WITA, WIT, else the zone's own abbreviation (CET), else its IANA name."""
    if name in INDONESIAN_ZONES:
        return str(INDONESIAN_ZONES[name])
    abbreviation = timezone.now().astimezone(zoneinfo.ZoneInfo(name)).tzname() or ""
    return abbreviation if abbreviation[:1].isalpha() else name.replace("_", " ")


def zone_choice_label(name: str) -> str:
    return f"{INDONESIAN_ZONES[name]} ({name})" if name in INDONESIAN_ZONES else name.replace("_", " ")


def readable_date(day: datetime.date | None) -> str:
    """A date for a sentence, in the active language: "3 Desember 2026"."""
    return formats.date_format(day, DATE_IN_SENTENCE) if day else ""


def readable_datetime(moment: datetime.datetime | None, zone: str | None = None, *, label: str = "auto") -> str:
    """A moment in ``zone`` (default: the viewer's), labelled when that is not the viewer's zone.

    ``label``: "auto" (when the zones differ), "always" or "never".
    """
    if moment is None:
        return ""
    viewer_zone = timezone.get_current_timezone_name()
    zone = zone or viewer_zone
    text = formats.date_format(timezone.localtime(moment, zoneinfo.ZoneInfo(zone)), DATETIME_IN_SENTENCE)
    if label == "always" or (label == "auto" and zone != viewer_zone):
        text = f"{text} {zone_label(zone)}"
    return text
