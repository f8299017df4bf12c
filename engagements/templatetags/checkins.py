"""{% checkin_badge partnership %}: the check-in state, wherever a partnership appears."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

from engagements import schedules
from engagements.models import Partnership

register = template.Library()


@register.inclusion_tag("engagements/_checkin_badge.html")
def checkin_badge(partnership: Partnership) -> dict[str, object]:
    """Reads partnership.schedule: select it with the partnership to avoid a query."""
    try:
        schedule = partnership.schedule
    except ObjectDoesNotExist:
        schedule = None
    state = schedules.state_of(schedule)
    return {"state": state, "label": schedules.STATE_LABELS.get(state), "schedule": schedule}
