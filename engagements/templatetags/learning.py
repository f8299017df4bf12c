"""{% latest_lessons partnership as lessons %}: the learning-log panel of a partnership's page.

The panel is included by the facilitators' page and the partners' portal
alike; it reads its own lessons, scoped to the viewer (a partner member: the
shared ones), in one query.
"""

from __future__ import annotations

from typing import Any

from django import template

from engagements import selectors
from engagements.models import Lesson, Partnership

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_lessons(context: dict[str, Any], partnership: Partnership, limit: int = 3) -> list[Lesson]:
    return selectors.learning.latest_lessons(user=context["request"].user, partnership=partnership, limit=limit)
