"""Each role's start page: Today for facilitators, their partnerships for partner members."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import facilitator_required, partner_member_required
from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page, cached_response
from engagements import selectors
from engagements.services.standing import standing_refresh_stale
from engagements.services.today import today_visit_record
from partners.selectors import organization_list


@require_GET
@facilitator_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The facilitator's morning page: what needs them today, why, and who must act."""
    # A GET that writes: opening Today is the visit that "since your last visit" counts from.
    since, first_visit = selectors.dashboard.since_from(today_visit_record(user=request.user))
    return cached_response(request, lambda: _today_page(request, since, first_visit), vary=_visit(since, first_visit))


def _visit(since: datetime.datetime, first_visit: bool) -> tuple[str]:
    """The visit a kept Today page or list belongs to, for its cache key: its "since" (on a first visit, a
    number of days before now, which the key's date stands for)."""
    return ("first" if first_visit else since.isoformat(),)


def _today_page(request: AuthenticatedHttpRequest, since: datetime.datetime, first_visit: bool) -> HttpResponse:
    # Flags and health are counted from stored standings: fill in the missing or stale ones first (bounded).
    # A kept page skips this too: nothing was written since it was built, and it is minutes old at most.
    standing_refresh_stale(partnerships=selectors.dashboard.watched(request.user))
    page = selectors.dashboard.today_page(user=request.user, since=since, first_visit=first_visit)
    context = {
        "page": page,
        # The first items of the three oldest kinds, by the names earlier pages and tests know.
        "check_ins": [item.record for item in page.by_kind["check-ins"].items],
        "commitments": [item.record for item in page.by_kind["commitments"].items],
        "activities": [item.record for item in page.by_kind["activities"].items],
    }
    return render(request, "engagements/dashboard/today.html", context)


@require_GET
@facilitator_required
def today_list(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Everything of one kind behind a count on Today, a page at a time."""
    if kind not in selectors.dashboard.KINDS:
        raise Http404
    since, first_visit = selectors.dashboard.since_last_visit(request.user)
    if kind in (selectors.dashboard.Kind.FLAGS, selectors.dashboard.Kind.HEALTH):
        standing_refresh_stale(partnerships=selectors.dashboard.watched(request.user))

    def build() -> HttpResponse:
        found = selectors.dashboard.today_list(user=request.user, kind=kind, page=request.GET.get("page"), since=since)
        context = {"list": found, "since": since, "first_visit": first_visit}
        return render(request, "engagements/dashboard/today_list.html", context)

    return cached_response(request, build, vary=_visit(since, first_visit))


@require_GET
@partner_member_required
@cached_page
def our_partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The partner member's start page: the partnerships of their group."""
    context = {
        "partnerships": selectors.partnerships.partnership_list(user=request.user),
        "organizations": organization_list(user=request.user),
    }
    return render(request, "engagements/dashboard/our_partnerships.html", context)
