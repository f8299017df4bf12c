"""{% health_panel partnership %}: the partnership page's health score, its parts and its 90-day sparkline."""

from __future__ import annotations

from typing import Any

from django import template

from engagements.models import Partnership
from engagements.selectors import health as selectors

register = template.Library()


@register.inclusion_tag("engagements/health/_panel_section.html", takes_context=True)
def health_panel(context: template.Context, partnership: Partnership) -> dict[str, Any]:
    """The score and its parts (the facts' fixed queries) and the snapshots of the last 90 days (one query)."""
    history = selectors.history_of(partnership)
    return {
        "partnership": partnership,
        "health": selectors.health_for(partnership),
        "sparkline": selectors.sparkline_of(history),
    }
