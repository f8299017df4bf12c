"""Check-in schedule, check-ins, the reminder log, unsubscribe and calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import localtime
from accounts.access import facilitator_required
from engagements import calendar_feed, outbox, reminders, selectors, services
from engagements.access import (
    get_calendar_owner,
    get_check_in_for_user,
    get_partnership_for_user,
    reminders_visible_to,
)
from engagements.forms import CheckInForm, ScheduleForm
from engagements.models import CheckIn, CheckInSchedule, ReminderStatus


@require_http_methods(["GET", "POST"])
def schedule_form(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    schedule = CheckInSchedule.objects.filter(partnership=partnership).first() or CheckInSchedule(
        partnership=partnership
    )
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        services.schedule_save(user=request.user, schedule=form.instance)
        messages.success(request, _("Check-in schedule saved."))
        return redirect("engagements:partnership_detail", pk=partnership.pk)
    context = {"form": form, "partnership": partnership, "schedule": schedule}
    return render(request, "engagements/schedule_form.html", context)


@require_http_methods(["GET", "POST"])
def check_in_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = CheckInForm(request.POST or None, instance=CheckIn(partnership=partnership), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            check_in = services.check_in_record(
                user=request.user,
                check_in=form.instance,
                contacts=form.cleaned_data["contacts"],
                participants=form.cleaned_data["participants"],
            )
        except services.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            schedule = CheckInSchedule.objects.filter(partnership=partnership).first()
            if schedule is not None and schedule.due_on:
                messages.success(
                    request,
                    _("Check-in logged: the clock starts again. The next check-in is due on %(date)s.")
                    % {"date": localtime.readable_date(schedule.due_on)},
                )
            else:
                messages.success(request, _("Check-in logged."))
            return redirect("engagements:check_in_detail", pk=partnership.pk, check_in_pk=check_in.pk)
    return render(request, "engagements/check_in_form.html", {"form": form, "partnership": partnership})


@require_GET
def check_in_detail(request: HttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    check_in = get_check_in_for_user(request.user, partnership, check_in_pk)
    check_in = CheckIn.objects.prefetch_related("contacts__organization", "participants").get(pk=check_in.pk)
    context = {"partnership": partnership, "check_in": check_in, "steps": selectors.next_steps_of(check_in)}
    return render(request, "engagements/check_in_detail.html", context)


@require_POST
def next_step_to_activity(request: HttpRequest, pk: int, check_in_pk: int, step: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    check_in = get_check_in_for_user(request.user, partnership, check_in_pk, write=True)
    if not 0 <= step < len(check_in.next_step_lines()):
        raise Http404
    try:
        activity = services.next_step_to_activity(user=request.user, check_in=check_in, step=step)
    except services.EngagementRuleError as error:
        messages.error(request, str(error))
        return redirect("engagements:check_in_detail", pk=partnership.pk, check_in_pk=check_in.pk)
    messages.success(
        request, _("“%(title)s” is now an activity of the plan: give it a date and roles.") % {"title": activity.title}
    )
    return redirect("engagements:activity_edit", pk=partnership.pk, activity_pk=activity.pk)


@require_GET
@facilitator_required
def reminder_log(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    reminders_ = reminders_visible_to(request.user).select_related("partnership")
    if status in ReminderStatus.values:
        reminders_ = reminders_.filter(status=status)
    page = Paginator(reminders_.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ReminderStatus.choices}
    return render(request, "engagements/reminder_log.html", context)


@require_POST
@facilitator_required
def reminder_retry(request: HttpRequest, reminder_pk: int) -> HttpResponse:
    reminder = get_object_or_404(reminders_visible_to(request.user), pk=reminder_pk)
    outbox.reminder_retry(reminder)
    messages.success(request, _("The reminder will be sent again within a minute."))
    return redirect(reverse("engagements:reminder_log") + "?status=failed")


@login_not_required
@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    recipient = reminders.recipient_from_token(token)
    if recipient is None:
        raise Http404
    if request.method == "POST":
        reminders.unsubscribe(recipient_key=recipient)
        return render(request, "engagements/unsubscribe.html", {"done": True})
    return render(request, "engagements/unsubscribe.html", {"done": False})


@login_not_required
@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    user = get_calendar_owner(token)
    response = HttpResponse(calendar_feed.feed_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rekan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
