"""{% health_check_panel partnership %}: the partnership page's and the portal's word on the health check."""

from __future__ import annotations

from typing import Any

from django import template

from engagements.access import health_check_side_for
from engagements.models import Partnership
from engagements.selectors import health_checks as selectors

register = template.Library()


@register.inclusion_tag("engagements/health_checks/_panel_section.html", takes_context=True)
def health_check_panel(context: template.Context, partnership: Partnership) -> dict[str, Any]:
    """The open round and whether the viewer answered it ("answer now" if not), else the latest: one or two queries."""
    user = context["request"].user
    panel = selectors.panel_of(partnership, user)
    # Whose side the viewer is on matters only for a round they have still to answer.
    may_answer = panel.open_round is not None and not panel.answered
    return {
        "partnership": partnership,
        "is_facilitator": bool(context.get("is_facilitator")),
        "panel": panel,
        "may_answer": may_answer and health_check_side_for(user, partnership) is not None,
    }
