"""Partnership pages. Each view looks its records up through engagements.access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.access import facilitator_required, partner_member_required
from accounts.roles import is_facilitator
from engagements import schedules, selectors, services
from engagements.access import (
    get_activity_for_user,
    get_goal_for_user,
    get_partnership_for_user,
    may_set_activity_status,
)
from engagements.forms import (
    ActivityForm,
    ActivityStatusForm,
    AgreeForm,
    GoalForm,
    GoalStatusForm,
    MemberForm,
    PartnershipForm,
    ProgressForm,
    RoleCellForm,
    StatusForm,
)
from engagements.models import (
    Activity,
    Partnership,
    PartnershipMember,
    SharedGoal,
)
from partners.access import organizations_visible_to


@require_GET
@facilitator_required
def today(request: HttpRequest) -> HttpResponse:
    """The facilitator's start page: what needs attention today."""
    context = {
        "activities": selectors.activities_needing_attention(user=request.user),
        "check_ins": selectors.check_ins_needing_attention(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "engagements/today.html", context)


@require_GET
@partner_member_required
def our_partnerships(request: HttpRequest) -> HttpResponse:
    """The partner member's start page: the partnerships of their group."""
    context = {
        "partnerships": selectors.partnership_list(user=request.user),
        "organizations": organizations_visible_to(request.user).order_by("name"),
    }
    return render(request, "engagements/our_partnerships.html", context)


@require_GET
@facilitator_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "engagements/partnership_list.html", {"partnerships": selectors.partnership_list(user=request.user)}
    )


@require_http_methods(["GET", "POST"])
def partnership_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk:  # 404 for a partnership the user may not see, 403 where they only read it
        partnership = get_partnership_for_user(request.user, pk, write=True)
    elif is_facilitator(request.user):
        partnership = Partnership()
    else:
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        partnership = services.partnership_save(
            user=request.user,
            partnership=form.instance,
            facilitators=form.cleaned_data["facilitators"],
            changed_fields=form.changed_data,
        )
        messages.success(request, _("Partnership saved."))
        return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/partnership_form.html", {"form": form, "partnership": partnership})


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    activities = selectors.plan_activities(partnership)
    schedule = getattr(partnership, "schedule", None)
    context = {
        "partnership": partnership,
        "schedule": schedule,
        "moved_because": schedules.why_moved(schedule) if schedule else [],
        "check_ins": selectors.recent_check_ins(partnership),
        "members": selectors.members_of(partnership),
        "goals": selectors.goals_of(partnership),
        "revision": selectors.latest_revision(partnership),
    }
    context["upcoming"], context["upcoming_more"] = selectors.upcoming(activities)
    if is_facilitator(request.user):
        context["facilitators"] = partnership.facilitators.order_by("username")
        context["status_changes"] = partnership.status_changes.select_related("changed_by")[:10]
        context["share_links"] = partnership.share_links.all()
        context["invitations"] = partnership.invitations.select_related("contact__organization")
        return render(request, "engagements/partnership_detail.html", context)
    ours, others = selectors.responsibilities_first(activities, selectors.organizations_of_user(request.user))
    context |= {"our_activities": ours, "other_activities": others}
    return render(request, "engagements/portal_detail.html", context)


@require_http_methods(["GET", "POST"])
def partnership_status(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_set_status(user=request.user, partnership=partnership, **form.cleaned_data)
        except services.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Status changed."))
            return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/status_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = MemberForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(user=request.user, partnership=partnership, **form.cleaned_data)
        except services.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Member organization added."))
            return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/member_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Asks first: the member's roles in the plan go with it."""
    partnership = get_partnership_for_user(request.user, pk, write=True)
    member = get_object_or_404(
        PartnershipMember.objects.select_related("organization"), partnership=partnership, pk=member_pk
    )
    if request.method == "GET":
        return render(request, "engagements/member_remove.html", {"partnership": partnership, "member": member})
    try:
        services.member_remove(user=request.user, member=member)
    except services.EngagementRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s left the partnership.") % {"name": member.organization.name})
    return redirect("engagements:partnership_detail", pk=partnership.pk)


@require_http_methods(["GET", "POST"])
def goal_form(request: HttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    goal = (
        get_goal_for_user(request.user, partnership, goal_pk, write=True)
        if goal_pk
        else SharedGoal(partnership=partnership)
    )
    form = GoalForm(request.POST or None, instance=goal, members=selectors.members_of(partnership))
    if request.method == "POST" and form.is_valid():
        goal = services.goal_save(
            user=request.user, goal=form.instance, benefits=form.benefits(), changed_fields=form.changed_fields()
        )
        messages.success(request, _("Shared goal saved."))
        return redirect("engagements:goal_detail", pk=partnership.pk, goal_pk=goal.pk)
    return render(request, "engagements/goal_form.html", {"form": form, "partnership": partnership, "goal": goal})


@require_GET
def goal_detail(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    goal = next((g for g in selectors.goals_of(partnership) if g.pk == goal_pk), None)
    if goal is None:
        get_goal_for_user(request.user, partnership, goal_pk)  # answers 404
    context = {
        "partnership": partnership,
        "goal": goal,
        "progress_form": ProgressForm(),
        "status_form": GoalStatusForm(initial={"status_override": goal.status_override}),
    }
    return render(request, "engagements/goal_detail.html", context)


@require_POST
def progress_add(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Facilitators and the partnership's partner members may add progress."""
    partnership = get_partnership_for_user(request.user, pk)
    goal = get_goal_for_user(request.user, partnership, goal_pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        services.progress_record(user=request.user, goal=goal, **form.cleaned_data)
        messages.success(request, _("Progress recorded."))
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("engagements:goal_detail", pk=partnership.pk, goal_pk=goal.pk)
    goal = next(g for g in selectors.goals_of(partnership) if g.pk == goal.pk)
    context = {"partnership": partnership, "goal": goal, "progress_form": form, "status_form": GoalStatusForm()}
    template = "engagements/goal_detail.html#progress-form" if request.htmx else "engagements/goal_detail.html"
    return render(request, template, context, status=200 if request.htmx else 400)


@require_POST
def goal_status(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    goal = get_goal_for_user(request.user, partnership, goal_pk, write=True)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        goal.status_override = form.cleaned_data["status_override"]
        services.goal_save(user=request.user, goal=goal, changed_fields=["status_override"])
        messages.success(request, _("Goal status saved."))
    return redirect("engagements:goal_detail", pk=partnership.pk, goal_pk=goal.pk)


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    members = selectors.members_of(partnership)
    activities = selectors.plan_activities(partnership)
    revision = selectors.latest_revision(partnership)
    selected = next((m for m in members if str(m.pk) == request.GET.get("member")), None)
    context = {
        "partnership": partnership,
        "members": members,
        "matrix": selectors.roles_matrix(activities, members),
        "selected_member": selected,
        "member_activities": selectors.activities_for_member(activities, selected) if selected else None,
        "revision": revision,
        "changes": selectors.changes_since_agreed(partnership, revision),
        "agree_form": AgreeForm(),
        "role_form": RoleCellForm(),
    }
    return render(request, "engagements/plan.html", context)


@require_http_methods(["GET", "POST"])
def activity_form(request: HttpRequest, pk: int, activity_pk: int | None = None) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    activity = (
        get_activity_for_user(request.user, partnership, activity_pk, write=True)
        if activity_pk
        else Activity(partnership=partnership)
    )
    form = ActivityForm(
        request.POST or None, instance=activity, partnership=partnership, members=selectors.members_of(partnership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                user=request.user, activity=form.instance, roles=form.roles(), changed_fields=form.changed_fields()
            )
        except services.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Activity saved."))
            return redirect("engagements:plan", pk=partnership.pk)
    return render(
        request, "engagements/activity_form.html", {"form": form, "partnership": partnership, "activity": activity}
    )


@require_POST
def activity_status(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
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
    services.activity_set_status(user=request.user, activity=activity, status=status)
    if request.htmx:
        return render(
            request,
            "engagements/plan.html#activity-status",
            {"partnership": partnership, "activity": activity, "saved": True},
        )
    messages.success(request, _("Activity status saved."))
    back_to = "engagements:partnership_detail" if request.POST.get("next") == "portal" else "engagements:plan"
    return redirect(back_to, pk=partnership.pk)


@require_POST
def role_cell(request: HttpRequest, pk: int, activity_pk: int, member_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    activity = get_activity_for_user(request.user, partnership, activity_pk, write=True)
    member = get_object_or_404(
        PartnershipMember.objects.select_related("organization"), partnership=partnership, pk=member_pk
    )
    form = RoleCellForm(request.POST)
    error = note = None
    if form.is_valid():
        try:
            with transaction.atomic():
                note = services.activity_set_role(
                    user=request.user, activity=activity, member=member, role=form.cleaned_data["role"]
                )
        except services.EngagementRuleError as rule:
            error = str(rule)
    else:
        error = _("Choose R, A, C, I or nothing.")
    if request.htmx and not note:
        role = activity.roles.filter(member=member).first()
        context = {"partnership": partnership, "row": activity, "member": member, "role": role, "error": error}
        return render(request, "engagements/plan.html#role-cell", context)
    if request.htmx:
        messages.info(request, note)  # shown after the reload
        return HttpResponseClientRefresh()  # another cell changed too
    if error:
        messages.error(request, error)
    elif note:
        messages.info(request, note)
    return redirect("engagements:plan", pk=partnership.pk)


@require_POST
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = AgreeForm(request.POST)
    if form.is_valid():
        try:
            revision = services.plan_agree(
                user=request.user, partnership=partnership, summary=form.cleaned_data["summary"]
            )
        except services.EngagementRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Plan agreed as revision %(number)s.") % {"number": revision.number})
    else:
        messages.error(request, _("Write a short summary of what was agreed."))
    return redirect("engagements:plan", pk=partnership.pk)
