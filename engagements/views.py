from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import facilitator_required, partner_member_required
from partners.access import organizations_visible_to


@require_GET
@facilitator_required
def today(request: HttpRequest) -> HttpResponse:
    """The facilitator's start page: what needs attention today."""
    return render(request, "engagements/today.html")


@require_GET
@partner_member_required
def our_partnerships(request: HttpRequest) -> HttpResponse:
    """The partner member's start page: the partnerships of their group."""
    organizations = organizations_visible_to(request.user).order_by("name")
    return render(request, "engagements/our_partnerships.html", {"organizations": organizations})
