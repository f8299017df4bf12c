"""Save a plan as a template, and start a plan from one. Facilitators only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from engagements import selectors, services
from engagements.access import get_partnership_for_user
from engagements.errors import EngagementRuleError
from engagements.forms.plan_templates import PlanTemplateApplyForm, PlanTemplateSaveForm


@require_http_methods(["GET", "POST"])
def plan_template_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = PlanTemplateSaveForm(request.POST or None, initial={"name": partnership.title})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.plan_templates.plan_template_save(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan was saved as the template “%(name)s”.") % {"name": template.name})
            return redirect("engagements:plan", pk=partnership.pk)
    return render(
        request, "engagements/plan_templates/plan_template_save.html", {"form": form, "partnership": partnership}
    )


@require_http_methods(["GET", "POST"])
def plan_template_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = PlanTemplateApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = form.cleaned_data["template"]
        try:
            activities = services.plan_templates.plan_template_apply(
                partnership=partnership, template=template, user=request.user
            )
        except EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            count = len(activities)
            messages.success(
                request,
                ngettext(
                    "%(count)s activity added from the template “%(name)s”.",
                    "%(count)s activities added from the template “%(name)s”.",
                    count,
                )
                % {"count": count, "name": template.name},
            )
            return redirect("engagements:plan", pk=partnership.pk)
    context = {"form": form, "partnership": partnership, "has_members": selectors.partnerships.has_members(partnership)}
    return render(request, "engagements/plan_templates/plan_template_apply.html", context)
