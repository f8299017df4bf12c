"""The reminder log and its retry, for facilitators."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import facilitator_required
from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from engagements import selectors, services
from engagements.access import get_reminder_for_user
from engagements.models import ReminderStatus


@require_GET
@facilitator_required
@cached_page
def reminder_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    reminders = selectors.reminders.reminder_log(user=request.user, status=status)
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ReminderStatus.choices}
    return render(request, "engagements/reminders/reminder_log.html", context)


@require_POST
@facilitator_required
def reminder_retry(request: AuthenticatedHttpRequest, reminder_pk: int) -> HttpResponse:
    """Send a failed or uncertain reminder again, with the same Message-ID."""
    reminder = get_reminder_for_user(request.user, reminder_pk)
    if services.outbox.reminder_send_again(reminder):
        messages.success(request, _("The reminder will be sent again within a minute."))
    else:
        messages.info(request, _("This reminder is not failed or uncertain any more: nothing to send again."))
    status = request.POST.get("status", "")
    query = f"?status={status}" if status in ReminderStatus.values else ""
    return redirect(reverse("engagements:reminder_log") + query)
