"""The risk register of a partnership: the flags on top, the risks, and the facilitators' answers to both."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from accounts.roles import is_facilitator
from engagements import errors, selectors, services
from engagements.access import get_flag_for_user, get_partnership_for_user, get_risk_for_user
from engagements.forms.risks import AcknowledgeForm, RiskForm
from engagements.models import Risk
from partners.history import history_for

PAGE_SIZE = 50


@require_GET
@cached_page
def risk_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Flags first (facilitators only), then the register, the most severe open risks first."""
    partnership = get_partnership_for_user(request.user, pk)
    facilitator = is_facilitator(request.user)
    found = selectors.risks.risks_of(partnership, internal=facilitator)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "partnership": partnership,
        "page": page,
        "risks": list(page.object_list),
        "summary": selectors.risks.summary_of(partnership),
        "flags": selectors.risks.flags_of(partnership) if facilitator else [],
    }
    return render(request, "engagements/risks/risk_list.html", context)


def _risk_form_page(request: AuthenticatedHttpRequest, context: dict[str, object]) -> HttpResponse:
    return render(request, "engagements/risks/risk_form.html", context)


@require_http_methods(["GET", "POST"])
def risk_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = RiskForm(request.POST or None, instance=Risk(partnership=partnership), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risks.risk_save(user=request.user, risk=form.instance)
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Risk recorded."))
            return redirect("engagements:risk_detail", pk=partnership.pk, risk_pk=risk.pk)
    return _risk_form_page(request, {"form": form, "partnership": partnership})


@require_GET
def risk_detail(request: AuthenticatedHttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    risk = get_risk_for_user(request.user, partnership, risk_pk)
    context: dict[str, object] = {"partnership": partnership, "risk": risk}
    if is_facilitator(request.user):
        context["history"] = history_for(risk)
    return render(request, "engagements/risks/risk_detail.html", context)


@require_http_methods(["GET", "POST"])
def risk_edit(request: AuthenticatedHttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the risk, after its 404
    risk = get_risk_for_user(request.user, partnership, risk_pk, write=True)
    form = RiskForm(request.POST or None, instance=risk, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.risks.risk_save(user=request.user, risk=form.instance)
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Risk saved."))
            return redirect("engagements:risk_detail", pk=partnership.pk, risk_pk=risk.pk)
    return _risk_form_page(request, {"form": form, "partnership": partnership, "risk": risk})


@require_http_methods(["GET", "POST"])
def risk_close(request: AuthenticatedHttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    """GET asks to confirm; POST closes the risk, which stays in the register."""
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the risk, after its 404
    risk = get_risk_for_user(request.user, partnership, risk_pk, write=True)
    if request.method == "POST":
        try:
            services.risks.risk_close(user=request.user, risk=risk)
        except errors.EngagementRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Risk closed. It stays in the register."))
        return redirect("engagements:risk_detail", pk=partnership.pk, risk_pk=risk.pk)
    return render(request, "engagements/risks/risk_close.html", {"partnership": partnership, "risk": risk})


@require_http_methods(["GET", "POST"])
def flag_acknowledge(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the flag, after its 404
    flag = get_flag_for_user(request.user, partnership, key, write=True)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risks.flag_acknowledge(
                user=request.user, partnership=partnership, flag=flag, note=form.cleaned_data["note"]
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Flag acknowledged. It stays on the list, marked as seen."))
            return redirect("engagements:risk_list", pk=partnership.pk)
    context = {"partnership": partnership, "flag": flag, "form": form}
    return render(request, "engagements/risks/flag_acknowledge.html", context)


@require_http_methods(["GET", "POST"])
def flag_to_risk(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """The risk form, prefilled from the flag; saved once, after which the flag points to the risk."""
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the flag, after its 404
    flag = get_flag_for_user(request.user, partnership, key, write=True)
    if flag.risk is not None:
        messages.info(request, _("This flag is already a risk of the register."))
        return redirect("engagements:risk_detail", pk=partnership.pk, risk_pk=flag.risk.pk)
    form = RiskForm(
        request.POST or None,
        instance=Risk(partnership=partnership),
        partnership=partnership,
        initial=selectors.risks.initial_risk_for(flag),
    )
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risks.risk_from_flag(
                user=request.user, partnership=partnership, flag=flag, risk=form.instance
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Risk recorded from the flag."))
            return redirect("engagements:risk_detail", pk=partnership.pk, risk_pk=risk.pk)
    return _risk_form_page(request, {"form": form, "partnership": partnership, "flag": flag})
