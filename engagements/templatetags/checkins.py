"""{% checkin_badge partnership %}: the check-in state, wherever a partnership appears."""

from __future__ import annotations

import datetime

from django import template
from django.core.exceptions import ObjectDoesNotExist

from accounts import localtime
from engagements.domain import schedules
from engagements.models import Partnership, PartnershipStatus

register = template.Library()


@register.inclusion_tag("engagements/checkins/_badge.html")
def checkin_badge(partnership: Partnership) -> dict[str, object]:
    """Reads partnership.schedule: select it with the partnership to avoid a query."""
    try:
        schedule = partnership.schedule
    except ObjectDoesNotExist:
        schedule = None
    if partnership.status in (PartnershipStatus.PAUSED, PartnershipStatus.CLOSED):
        # The partnership's own status badge already says it; no reminder goes out.
        return {"state": None}
    state = schedules.state_of(schedule)
    text = schedules.describe(schedule, state) if schedule is not None and state else ""
    return {"state": state, "text": text}


@register.filter
def partnership_time(moment: datetime.datetime | None, partnership: Partnership) -> str:
    """A moment in the partnership's zone, labelled (WIT...) when that is not the viewer's zone."""
    return localtime.readable_datetime(moment, schedules.zone_of(partnership))
