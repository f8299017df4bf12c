"""The collaborative plan: roles matrix, activities, agreeing a revision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRefresh

from accounts.http import AuthenticatedHttpRequest, query_without_page
from accounts.page_cache import cached_page
from engagements import errors, selectors, services
from engagements.access import (
    get_activity_for_user,
    get_member_for_user,
    get_partnership_for_user,
    may_set_activity_status,
)
from engagements.forms.plans import ActivityForm, ActivityStatusForm, AgreeForm, RoleCellForm
from engagements.models import Activity


@require_GET
@cached_page
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    members = selectors.partnerships.members_of(partnership)
    page = selectors.plans.plan_page(partnership, request.GET.get("page"))
    revision = selectors.plans.latest_revision(partnership)
    selected = next((m for m in members if str(m.pk) == request.GET.get("member")), None)
    member_activities, member_activity_count = (
        selectors.plans.activities_for_member(selected) if selected else (None, 0)
    )
    context = {
        "partnership": partnership,
        "members": members,
        "page": page,
        "query": query_without_page(request),
        "matrix": selectors.plans.roles_matrix(list(page.object_list), members),
        "selected_member": selected,
        "member_activities": member_activities,
        "member_activity_count": member_activity_count,
        "revision": revision,
        "changes": selectors.plans.changes_since_agreed(partnership, revision),
        "agree_form": AgreeForm(),
        "role_form": RoleCellForm(),
    }
    return render(request, "engagements/plans/plan.html", context)


@require_http_methods(["GET", "POST"])
def activity_form(request: AuthenticatedHttpRequest, pk: int, activity_pk: int | None = None) -> HttpResponse:
    # An edit checks the right to write on the activity, after its 404 for another partnership's activity.
    partnership = get_partnership_for_user(request.user, pk, write=activity_pk is None)
    activity = (
        get_activity_for_user(request.user, partnership, activity_pk, write=True)
        if activity_pk
        else Activity(partnership=partnership)
    )
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        partnership=partnership,
        members=selectors.partnerships.members_of(partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plans.activity_save(
                user=request.user, activity=form.instance, roles=form.roles(), changed_fields=form.changed_fields()
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Activity saved."))
            return redirect("engagements:plan", pk=partnership.pk)
    return render(
        request,
        "engagements/plans/activity_form.html",
        {"form": form, "partnership": partnership, "activity": activity},
    )


@require_POST
@vary_on_headers("HX-Request")
def activity_status(request: AuthenticatedHttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """Facilitators set any status; partner members mark their own activities done."""
    partnership = get_partnership_for_user(request.user, pk)
    activity = get_activity_for_user(request.user, partnership, activity_pk)
    form = ActivityStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the activity statuses."))
        return redirect("engagements:plan", pk=partnership.pk)
    status = form.cleaned_data["status"]
    if not may_set_activity_status(request.user, activity, status):
        raise PermissionDenied
    services.plans.activity_set_status(user=request.user, activity=activity, status=status)
    if request.htmx:
        return render(
            request,
            "engagements/plans/plan.html#activity-status",
            {"partnership": partnership, "activity": activity, "saved": True},
        )
    messages.success(request, _("Activity status saved."))
    back_to = "engagements:partnership_detail" if request.POST.get("next") == "portal" else "engagements:plan"
    return redirect(back_to, pk=partnership.pk)


@require_POST
@vary_on_headers("HX-Request")
def role_cell(request: AuthenticatedHttpRequest, pk: int, activity_pk: int, member_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the cell, after its 404s
    activity = get_activity_for_user(request.user, partnership, activity_pk)
    member = get_member_for_user(request.user, partnership, member_pk, write=True)
    form = RoleCellForm(request.POST)
    error = note = None
    if form.is_valid():
        try:
            with transaction.atomic():
                note = services.plans.activity_set_role(
                    user=request.user, activity=activity, member=member, role=form.cleaned_data["role"]
                )
        except errors.EngagementRuleError as rule:
            error = str(rule)
    else:
        error = _("Choose R, A, C, I or nothing.")
    if request.htmx:
        if note:
            messages.info(request, note)  # shown after the reload
            return HttpResponseClientRefresh()  # another cell changed too
        role = selectors.plans.role_of(activity, member)
        context = {"partnership": partnership, "row": activity, "member": member, "role": role, "error": error}
        return render(request, "engagements/plans/plan.html#role-cell", context)
    if error:
        messages.error(request, error)
    elif note:
        messages.info(request, note)
    return redirect("engagements:plan", pk=partnership.pk)


@require_POST
def plan_agree(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = AgreeForm(request.POST)
    if form.is_valid():
        try:
            revision = services.plans.plan_agree(
                user=request.user, partnership=partnership, summary=form.cleaned_data["summary"]
            )
        except errors.EngagementRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Plan agreed as revision %(number)s.") % {"number": revision.number})
    else:
        messages.error(request, _("Write a short summary of what was agreed."))
    return redirect("engagements:plan", pk=partnership.pk)
