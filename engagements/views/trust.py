"""The trust log of a partnership: the timeline, entries added by hand, corrections, the CSV export.

Nothing here edits or removes an entry: a mistake is put right by a
correction, a new entry shown beside the one it corrects.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from accounts.roles import is_facilitator
from engagements import errors, exports, selectors, services
from engagements.access import get_partnership_for_user, get_trust_entry_for_user
from engagements.forms.trust import CorrectionForm, TrustEntryForm


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else 1


@require_GET
@cached_page
def trust_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    page = selectors.trust.trust_log_page(
        user=request.user, partnership=partnership, page=_page_number(request.GET.get("page"))
    )
    return render(request, "engagements/trust/log.html", {"partnership": partnership, "page": page})


@require_http_methods(["GET", "POST"])
def trust_entry_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = TrustEntryForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.trust.trust_entry_add(user=request.user, partnership=partnership, **form.cleaned_data)
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Entry added to the trust log."))
            return redirect("engagements:trust_log", pk=partnership.pk)
    return render(request, "engagements/trust/entry_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def trust_entry_correct(request: AuthenticatedHttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the entry, after its 404
    entry = get_trust_entry_for_user(request.user, partnership, entry_pk, write=True)
    selectors.trust.attach_subjects(partnership, [entry])
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trust.trust_entry_correct(user=request.user, entry=entry, **form.cleaned_data)
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Correction added: it shows beside the entry it corrects."))
            return redirect("engagements:trust_log", pk=partnership.pk)
    context = {"form": form, "partnership": partnership, "entry": entry}
    return render(request, "engagements/trust/correction_form.html", context)


@require_GET
def trust_log_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Shared texts only, unless a facilitator asks for the internal ones too."""
    partnership = get_partnership_for_user(request.user, pk)
    internal = is_facilitator(request.user) and request.GET.get("internal") == "1"
    entries = selectors.trust.entries_for_export(user=request.user, partnership=partnership)
    response = HttpResponse(
        exports.trust_log_csv(partnership, entries, internal=internal), content_type="text/csv; charset=utf-8"
    )
    name = slugify(partnership.title) or str(partnership.pk)
    response["Content-Disposition"] = f'attachment; filename="trust-log-{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    add_never_cache_headers(response)
    return response
