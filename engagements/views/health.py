"""The health page of a partnership: the score, each part in plain words, the formula and 90 days of history."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from engagements import selectors
from engagements.access import get_partnership_for_user
from engagements.domain.health import MINIMUM_PARTS, WEIGHTS, WINDOW_DAYS


@require_GET
@cached_page
def health_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Facilitators and the partnership's own partner members; anyone else, 404."""
    partnership = get_partnership_for_user(request.user, pk)
    history = selectors.health.history_of(partnership)
    context = {
        "partnership": partnership,
        "health": selectors.health.health_for(partnership),
        "sparkline": selectors.health.sparkline_of(history),
        "history": list(reversed(history)),
        "weights": WEIGHTS,
        "window_days": WINDOW_DAYS,
        "minimum_parts": MINIMUM_PARTS,
    }
    return render(request, "engagements/health/health_detail.html", context)
