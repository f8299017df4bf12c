"""{% risk_panel partnership %}: the partnership page's summary of its risk register and flags."""

from __future__ import annotations

from typing import Any

from django import template

from engagements.models import Partnership
from engagements.selectors import risks as selectors

register = template.Library()


@register.inclusion_tag("engagements/risks/_panel_section.html", takes_context=True)
def risk_panel(context: template.Context, partnership: Partnership) -> dict[str, Any]:
    """Open risks by band for everyone; the flags still to answer for facilitators (a fixed number of queries)."""
    facilitator = bool(context.get("is_facilitator"))
    flags = selectors.flags_of(partnership) if facilitator else []
    return {
        "partnership": partnership,
        "is_facilitator": facilitator,
        "summary": selectors.summary_of(partnership),
        "active_flags": sum(1 for flag in flags if flag.is_active),
        "flag_count": len(flags),
    }
