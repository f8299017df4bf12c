"""The two-sided health check: the rounds, opening and closing one, answering it, and its results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from engagements import errors, selectors, services
from engagements.access import get_health_check_round_for_user, get_partnership_for_user, health_check_side_for
from engagements.domain import health_checks as rules
from engagements.forms.health_checks import AnswerForm, OpenRoundForm


@require_GET
def health_check_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    rounds = selectors.health_checks.rounds_of(partnership)
    context = {
        "partnership": partnership,
        "rounds": rounds,
        "next_due_on": selectors.health_checks.next_due_on(rounds),
        "statements": rules.STATEMENTS,
    }
    return render(request, "engagements/health_checks/round_list.html", context)


@require_http_methods(["GET", "POST"])
def health_check_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (and when it closes); POST opens the round and emails everyone who should answer."""
    partnership = get_partnership_for_user(request.user, pk, write=True)
    rounds = selectors.health_checks.rounds_of(partnership)
    form = OpenRoundForm(request.POST or None, rhythm_months=rounds[0].rhythm_months if rounds else 3)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.health_checks.health_check_open(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Health check opened. Everyone who should answer gets an email."))
            return redirect("engagements:health_check_answer", pk=partnership.pk, round_pk=found.pk)
    return render(request, "engagements/health_checks/round_open.html", {"partnership": partnership, "form": form})


@require_http_methods(["GET", "POST"])
def health_check_answer(request: AuthenticatedHttpRequest, pk: int, round_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    found = get_health_check_round_for_user(request.user, partnership, round_pk)
    side = health_check_side_for(request.user, partnership)
    if side is None:
        raise PermissionDenied
    if not found.is_open:
        messages.info(request, _("This health check is closed: here are its results."))
        return redirect("engagements:health_check_results", pk=partnership.pk, round_pk=found.pk)
    answers = selectors.health_checks.answers_of(found, request.user)
    form = AnswerForm(request.POST or None, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            services.health_checks.health_check_answer(
                user=request.user, found=found, scores=form.scores(), comments=form.comments()
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Thank you: your answers are saved. You can change them while the health check is open.")
            )
            return redirect("engagements:health_check_results", pk=partnership.pk, round_pk=found.pk)
    context = {"partnership": partnership, "round": found, "form": form, "side": side, "answered": bool(answers)}
    return render(request, "engagements/health_checks/answer_form.html", context)


@require_GET
def health_check_results(request: AuthenticatedHttpRequest, pk: int, round_pk: int) -> HttpResponse:
    """Both sides' averages side by side; the members read their own partnership's results, under the same rules."""
    partnership = get_partnership_for_user(request.user, pk)
    found = get_health_check_round_for_user(request.user, partnership, round_pk)
    context = {
        "partnership": partnership,
        "results": selectors.health_checks.results_of(found),
        "minimum": rules.MIN_RESPONDENTS_TO_SHOW,
        "threshold": rules.DISAGREEMENT_FROM,
    }
    return render(request, "engagements/health_checks/round_results.html", context)


@require_http_methods(["GET", "POST"])
def health_check_close(request: AuthenticatedHttpRequest, pk: int, round_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the round, after its 404
    found = get_health_check_round_for_user(request.user, partnership, round_pk, write=True)
    if request.method == "POST":
        try:
            services.health_checks.health_check_close(user=request.user, found=found)
        except errors.EngagementRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Health check closed. Its results stay here."))
        return redirect("engagements:health_check_results", pk=partnership.pk, round_pk=found.pk)
    return render(request, "engagements/health_checks/round_close.html", {"partnership": partnership, "round": found})
