"""Each role's start page: Today for facilitators, their partnerships for partner members."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import facilitator_required, partner_member_required
from accounts.http import AuthenticatedHttpRequest
from engagements import selectors
from partners.selectors import organization_list


@require_GET
@facilitator_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The facilitator's start page: what needs attention today."""
    context = {
        "activities": selectors.dashboard.activities_needing_attention(user=request.user),
        "check_ins": selectors.dashboard.check_ins_needing_attention(user=request.user),
        "commitments": selectors.dashboard.commitments_needing_attention(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "engagements/dashboard/today.html", context)


@require_GET
@partner_member_required
def our_partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The partner member's start page: the partnerships of their group."""
    context = {
        "partnerships": selectors.partnerships.partnership_list(user=request.user),
        "organizations": organization_list(user=request.user),
    }
    return render(request, "engagements/dashboard/our_partnerships.html", context)
