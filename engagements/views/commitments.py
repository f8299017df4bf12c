"""Commitments of a partnership: the list, making one, its page, and each step of its lifecycle."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest, query_without_page
from accounts.page_cache import cached_page
from accounts.roles import is_facilitator
from engagements import errors, exports, selectors, services
from engagements.access import (
    get_check_in_for_user,
    get_commitment_for_user,
    get_partnership_for_user,
    may_mark_commitment_kept,
)
from engagements.forms.commitments import (
    CommitmentFilterForm,
    CommitmentForm,
    DisputeForm,
    ReasonForm,
    RenegotiateForm,
)
from engagements.models import CheckInLine, Commitment, CommitmentOrigin, Partnership
from engagements.selectors.commitments import check_in_lines

PAGE_SIZE = 50


@require_GET
@cached_page
def commitment_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    filters = CommitmentFilterForm(request.GET or None, partnership=partnership)
    found = selectors.commitments.commitments_of(partnership, **filters.criteria())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "partnership": partnership,
        "filters": filters,
        "page": page,
        "commitments": selectors.commitments.page_of(list(page.object_list), partnership),
        "counts": selectors.commitments.counts_of(partnership),
        "query": query_without_page(request),
    }
    return render(request, "engagements/commitments/commitment_list.html", context)


@require_GET
def commitment_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The partnership's commitments as CSV, the list's filters applied; shared content only, for anyone."""
    partnership = get_partnership_for_user(request.user, pk)
    filters = CommitmentFilterForm(request.GET or None, partnership=partnership)
    found = selectors.commitments.commitments_of(partnership, **filters.criteria())
    response = HttpResponse(exports.commitments_csv(partnership, found), content_type="text/csv; charset=utf-8")
    name = slugify(partnership.title) or str(partnership.pk)
    response["Content-Disposition"] = f'attachment; filename="commitments-{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def commitment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = CommitmentForm(request.POST or None, instance=Commitment(partnership=partnership), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitments.commitment_make(user=request.user, commitment=form.instance)
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect("engagements:commitment_detail", pk=partnership.pk, commitment_pk=commitment.pk)
    return render(request, "engagements/commitments/commitment_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def check_in_line_to_commitment(
    request: AuthenticatedHttpRequest, pk: int, check_in_pk: int, kind: str, line: int
) -> HttpResponse:
    """A decision or next step of a check-in, prefilled as a commitment; saved once."""
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the check-in, after its 404
    check_in = get_check_in_for_user(request.user, partnership, check_in_pk, write=True)
    lines = check_in_lines(check_in, kind)
    if kind not in CheckInLine.values or not 0 <= line < len(lines):
        raise Http404
    initial = {"text": lines[line], "origin": CommitmentOrigin.CHECK_IN}
    form = CommitmentForm(
        request.POST or None, instance=Commitment(partnership=partnership), partnership=partnership, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitments.commitment_from_check_in_line(
                user=request.user, check_in=check_in, kind=kind, line=line, commitment=form.instance
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Commitment recorded from the check-in."))
            return redirect("engagements:commitment_detail", pk=partnership.pk, commitment_pk=commitment.pk)
    context = {"form": form, "partnership": partnership, "check_in": check_in}
    return render(request, "engagements/commitments/commitment_form.html", context)


@require_GET
def commitment_detail(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    commitment = get_commitment_for_user(request.user, partnership, commitment_pk)
    facilitator = is_facilitator(request.user)
    selectors.commitments.page_of([commitment], partnership)
    context = {
        "partnership": partnership,
        "commitment": commitment,
        "may_mark_kept": may_mark_commitment_kept(request.user, commitment),
        "earlier": selectors.commitments.earlier_versions(commitment),
        "log": selectors.commitments.log_of(commitment, internal=facilitator),
        "reason_form": ReasonForm(),
        "dispute_form": DisputeForm(),
        "chat": selectors.whatsapp.commitment_chat(commitment) if facilitator else None,
    }
    return render(request, "engagements/commitments/commitment_detail.html", context)


def _back_to(partnership: Partnership, commitment: Commitment, where: str) -> HttpResponse:
    if where == "portal":
        return redirect("engagements:partnership_detail", pk=partnership.pk)
    return redirect("engagements:commitment_detail", pk=partnership.pk, commitment_pk=commitment.pk)


@require_POST
def commitment_mark_kept(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    commitment = get_commitment_for_user(request.user, partnership, commitment_pk)
    if not may_mark_commitment_kept(request.user, commitment):
        raise PermissionDenied
    try:
        commitment = services.commitments.commitment_mark_kept(user=request.user, commitment=commitment)
    except errors.EngagementRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as kept. Thank you!"))
    return _back_to(partnership, commitment, request.POST.get("next", ""))


def _facilitator_step(
    request: AuthenticatedHttpRequest,
    pk: int,
    commitment_pk: int,
    step: Callable[[Commitment], Commitment],
    done: str,
) -> HttpResponse:
    """The shared shape of a facilitator's lifecycle step: look up, act, tell, back to the commitment."""
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the commitment, after its 404
    commitment = get_commitment_for_user(request.user, partnership, commitment_pk, write=True)
    try:
        step(commitment)
    except errors.EngagementRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back_to(partnership, commitment, "")


@require_POST
def commitment_confirm(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    def step(commitment: Commitment) -> Commitment:
        return services.commitments.commitment_confirm(user=request.user, commitment=commitment)

    return _facilitator_step(request, pk, commitment_pk, step, _("Confirmed: the commitment was kept."))


@require_POST
def commitment_dispute(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    def step(commitment: Commitment) -> Commitment:
        note = request.POST.get("note", "")[:2000]
        return services.commitments.commitment_dispute(user=request.user, commitment=commitment, note=note)

    return _facilitator_step(request, pk, commitment_pk, step, _("Disputed: the commitment is open again."))


@require_POST
def commitment_withdraw(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    def step(commitment: Commitment) -> Commitment:
        reason = request.POST.get("reason", "")[:2000]
        return services.commitments.commitment_withdraw(user=request.user, commitment=commitment, reason=reason)

    return _facilitator_step(request, pk, commitment_pk, step, _("Commitment withdrawn."))


@require_POST
def commitment_mark_broken(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    def step(commitment: Commitment) -> Commitment:
        reason = request.POST.get("reason", "")[:2000]
        return services.commitments.commitment_mark_broken(user=request.user, commitment=commitment, reason=reason)

    return _facilitator_step(request, pk, commitment_pk, step, _("Recorded: the commitment was not kept."))


@require_http_methods(["GET", "POST"])
def commitment_renegotiate(request: AuthenticatedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the commitment, after its 404
    commitment = get_commitment_for_user(request.user, partnership, commitment_pk, write=True)
    form = RenegotiateForm(request.POST or None, initial={"due_on": commitment.due_on, "text": commitment.text})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.commitments.commitment_renegotiate(
                user=request.user, commitment=commitment, **form.cleaned_data
            )
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Renegotiated: the new commitment replaces the old one, which stays as history.")
            )
            return redirect("engagements:commitment_detail", pk=partnership.pk, commitment_pk=new.pk)
    context = {"form": form, "partnership": partnership, "commitment": commitment}
    return render(request, "engagements/commitments/commitment_renegotiate.html", context)
