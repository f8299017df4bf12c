"""Managing share links, and the plan's CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from engagements import errors, exports, services
from engagements.access import get_partnership_for_user, get_share_link_for_user
from engagements.forms.sharing import ShareLinkForm
from engagements.models import Partnership


def _share_links_panel(partnership: Partnership) -> str:
    return reverse("engagements:partnership_detail", args=[partnership.pk]) + "#share-links-heading"


@require_http_methods(["GET", "POST"])
def share_link_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing.share_link_create(user=request.user, partnership=partnership, **form.cleaned_data)
        except errors.EngagementRuleError as error:
            form.add_error("expires_on", str(error))
        else:
            messages.success(request, _("Share link created. Copy it from the list of share links."))
            return redirect(_share_links_panel(partnership))
    return render(request, "engagements/sharing/share_link_form.html", {"form": form, "partnership": partnership})


@require_POST
def share_link_revoke(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the link, after its 404
    link = get_share_link_for_user(request.user, partnership, link_pk, write=True)
    services.sharing.share_link_revoke(user=request.user, link=link)
    messages.success(request, _("Share link revoked: it no longer opens."))
    return redirect(_share_links_panel(partnership))


@require_GET
def plan_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    response = HttpResponse(exports.plan_csv(partnership), content_type="text/csv; charset=utf-8")
    name = slugify(partnership.title) or str(partnership.pk)
    response["Content-Disposition"] = f'attachment; filename="plan-{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    add_never_cache_headers(response)
    return response
