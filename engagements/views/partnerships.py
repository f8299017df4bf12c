"""Partnership pages. Each view looks its records up through engagements.access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.access import facilitator_required
from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_download, cached_page
from accounts.roles import is_facilitator
from engagements import errors, selectors, services
from engagements.access import get_member_for_user, get_partnership_for_user
from engagements.domain import portfolio, schedules
from engagements.exports_portfolio import portfolio_csv
from engagements.forms.partnerships import MemberForm, PartnershipForm, StatusForm
from engagements.models import Partnership, PartnershipStatus
from partners.history import history_for


@require_GET
@facilitator_required
@cached_page
def partnership_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portfolio: every partnership with its health, last contact, open commitments and flags; sortable."""
    criteria = portfolio.criteria_from(request.GET)
    # The flag column counts from stored standings: fill in the missing or stale ones first (bounded).
    services.standing.standing_refresh_stale(partnerships=selectors.partnerships.measured_partnerships(request.user))
    page = selectors.partnerships.portfolio_page(user=request.user, criteria=criteria, page=request.GET.get("page"))
    context = {
        "page": page,
        "partnerships": page.object_list,
        "criteria": criteria,
        "statuses": PartnershipStatus.choices,
        "headers": portfolio.headers(criteria),
        "query": criteria.query(),
    }
    return render(request, "engagements/partnerships/partnership_list.html", context)


@require_GET
@facilitator_required
@cached_download
def portfolio_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The portfolio as CSV: the list's filters and order, every page of it, streamed."""
    criteria = portfolio.criteria_from(request.GET)
    services.standing.standing_refresh_stale(partnerships=selectors.partnerships.measured_partnerships(request.user))
    rows = selectors.partnerships.portfolio_rows(user=request.user, criteria=criteria)
    response = StreamingHttpResponse(portfolio_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnerships-{timezone.localdate():%Y-%m-%d}.csv"'
    add_never_cache_headers(response)
    return response


@require_GET
def partnership_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One printable A4 page: goals, plan, commitments, health, the latest log; shared content only, for anyone."""
    partnership = get_partnership_for_user(request.user, pk)
    summary = selectors.partnerships.summary_of(user=request.user, partnership=partnership)
    return render(
        request,
        "engagements/partnerships/partnership_summary.html",
        {"partnership": partnership, "summary": summary, "schedule": getattr(partnership, "schedule", None)},
    )


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_page
def partnership_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The change history, internal: the partnership page fetches it (htmx) when it scrolls into view.

    Kept off the partnership page itself: it reads every kind of part's
    history table, which at a programme's size is the page's dearest read.
    """
    partnership = get_partnership_for_user(request.user, pk, write=True)  # internal notes: facilitators only
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "engagements/partnerships/partnership_history.html"
    return render(
        request,
        f"{template}#entries" if fragment else template,
        {"partnership": partnership, "history": history_for(partnership)},
    )


@require_http_methods(["GET", "POST"])
def partnership_form(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    if pk:  # 404 for a partnership the user may not see, 403 where they only read it
        partnership = get_partnership_for_user(request.user, pk, write=True)
    elif is_facilitator(request.user):
        partnership = Partnership()
    else:
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        partnership = services.partnerships.partnership_save(
            user=request.user,
            partnership=form.instance,
            facilitators=form.cleaned_data["facilitators"],
            changed_fields=form.changed_data,
        )
        messages.success(request, _("Partnership saved."))
        return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/partnerships/partnership_form.html", {"form": form, "partnership": partnership})


@require_GET
@cached_page
def partnership_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    schedule = getattr(partnership, "schedule", None)
    context = {
        "partnership": partnership,
        "schedule": schedule,
        "moved_because": schedules.why_moved(schedule) if schedule else [],
        "check_ins": selectors.checkins.recent_check_ins(partnership),
        "members": selectors.partnerships.members_of(partnership),
        "goals": selectors.goals.goals_of(partnership),
        "revision": selectors.plans.latest_revision(partnership),
        "commitment_counts": selectors.commitments.counts_of(partnership),
        # The printable summary (hidden on screen): shared content only, for everyone.
        "print_commitments": selectors.commitments.for_print(partnership),
        "print_entries": selectors.trust.latest_shared_entries(user=request.user, partnership=partnership),
    }
    context["upcoming"], context["upcoming_more"] = selectors.plans.upcoming(partnership)
    if is_facilitator(request.user):
        context["facilitators"] = selectors.partnerships.facilitators_of(partnership)
        context["status_changes"] = selectors.partnerships.status_changes_of(partnership)
        context["share_links"] = selectors.sharing.share_links_of(partnership)
        context["invitations"] = selectors.invitations.invitations_of(partnership)
        context["panel_commitments"] = selectors.commitments.open_first(partnership)
        context["check_in_chats"] = selectors.whatsapp.check_in_chats(partnership, schedule)
        return render(request, "engagements/partnerships/partnership_detail.html", context)
    own = selectors.partnerships.organizations_of_user(request.user)
    ours, others = selectors.plans.responsibilities_first(partnership, own)
    context |= {"our_activities": ours, "other_activities": others}
    context["panel_commitments"] = selectors.commitments.ours(partnership, organizations=own)
    return render(request, "engagements/partnerships/portal_detail.html", context)


@require_http_methods(["GET", "POST"])
def partnership_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnerships.partnership_set_status(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Status changed."))
            return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/partnerships/status_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = MemberForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnerships.member_add(user=request.user, partnership=partnership, **form.cleaned_data)
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Member organization added."))
            return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/partnerships/member_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def member_remove(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Asks first: the member's roles in the plan go with it."""
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the member, after its 404
    member = get_member_for_user(request.user, partnership, member_pk, write=True)
    if request.method == "GET":
        return render(
            request, "engagements/partnerships/member_remove.html", {"partnership": partnership, "member": member}
        )
    try:
        services.partnerships.member_remove(user=request.user, member=member)
    except errors.EngagementRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s left the partnership.") % {"name": member.organization.name})
    return redirect("engagements:partnership_detail", pk=partnership.pk)
