"""{{ moment|in_zone:zone }} and {{ day|sentence_date }}: times and dates as people read them."""

from __future__ import annotations

import datetime

from django import template

from accounts import localtime

register = template.Library()


@register.filter
def in_zone(moment: datetime.datetime | None, zone: str | None = None) -> str:
    """The moment in ``zone`` (or the viewer's zone), with the zone's name when it is not the viewer's."""
    return localtime.readable_datetime(moment, zone)


@register.filter
def in_zone_labelled(moment: datetime.datetime | None, zone: str | None = None) -> str:
    return localtime.readable_datetime(moment, zone, label="always")


@register.filter
def sentence_date(day: datetime.date | None) -> str:
    return localtime.readable_date(day)
