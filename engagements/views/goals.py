"""Shared goal pages and progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRefresh

from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from engagements import selectors, services
from engagements.access import (
    get_goal_for_user,
    get_partnership_for_user,
)
from engagements.forms.goals import GoalForm, GoalStatusForm, ProgressForm
from engagements.models import (
    SharedGoal,
)


@require_http_methods(["GET", "POST"])
def goal_form(request: AuthenticatedHttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    # An edit checks the right to write on the goal, after its 404 for another partnership's goal.
    partnership = get_partnership_for_user(request.user, pk, write=goal_pk is None)
    goal = (
        get_goal_for_user(request.user, partnership, goal_pk, write=True)
        if goal_pk
        else SharedGoal(partnership=partnership)
    )
    form = GoalForm(request.POST or None, instance=goal, members=selectors.partnerships.members_of(partnership))
    if request.method == "POST" and form.is_valid():
        goal = services.goals.goal_save(
            user=request.user, goal=form.instance, benefits=form.benefits(), changed_fields=form.changed_fields()
        )
        messages.success(request, _("Shared goal saved."))
        return redirect("engagements:goal_detail", pk=partnership.pk, goal_pk=goal.pk)
    return render(request, "engagements/goals/goal_form.html", {"form": form, "partnership": partnership, "goal": goal})


@require_GET
@cached_page
def goal_detail(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    goal = next((g for g in selectors.goals.goals_of(partnership) if g.pk == goal_pk), None)
    if goal is None:
        get_goal_for_user(request.user, partnership, goal_pk)  # answers 404
        raise Http404  # the goal was added after the goals were read
    context = {
        "partnership": partnership,
        "goal": goal,
        "progress_form": ProgressForm(),
        "status_form": GoalStatusForm(initial={"status_override": goal.status_override}),
    }
    return render(request, "engagements/goals/goal_detail.html", context)


@require_POST
@vary_on_headers("HX-Request")
def progress_add(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Facilitators and the partnership's partner members may add progress."""
    partnership = get_partnership_for_user(request.user, pk)
    goal = get_goal_for_user(request.user, partnership, goal_pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        services.goals.progress_record(user=request.user, goal=goal, **form.cleaned_data)
        messages.success(request, _("Progress recorded."))
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("engagements:goal_detail", pk=partnership.pk, goal_pk=goal.pk)
    goal = next(g for g in selectors.goals.goals_of(partnership) if g.pk == goal.pk)
    context = {"partnership": partnership, "goal": goal, "progress_form": form, "status_form": GoalStatusForm()}
    template = (
        "engagements/goals/goal_detail.html#progress-form" if request.htmx else "engagements/goals/goal_detail.html"
    )
    return render(request, template, context, status=200 if request.htmx else 400)


@require_POST
def goal_status(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the goal, after its 404
    goal = get_goal_for_user(request.user, partnership, goal_pk, write=True)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        goal.status_override = form.cleaned_data["status_override"]
        services.goals.goal_save(user=request.user, goal=goal, changed_fields=["status_override"])
        messages.success(request, _("Goal status saved."))
    return redirect("engagements:goal_detail", pk=partnership.pk, goal_pk=goal.pk)
