"""Check-in rhythm, logging a check-in, and turning its next steps into activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import localtime, submission_keys
from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from engagements import errors, selectors, services
from engagements.access import (
    get_check_in_for_user,
    get_partnership_for_user,
)
from engagements.forms.checkins import CheckInForm, ScheduleForm
from engagements.models import CheckIn, CheckInSchedule


@require_http_methods(["GET", "POST"])
def schedule_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    schedule = selectors.checkins.schedule_of(partnership) or CheckInSchedule(partnership=partnership)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        services.checkins.schedule_save(user=request.user, schedule=form.instance)
        messages.success(request, _("Check-in schedule saved."))
        return redirect("engagements:partnership_detail", pk=partnership.pk)
    context = {"form": form, "partnership": partnership, "schedule": schedule}
    return render(request, "engagements/checkins/schedule_form.html", context)


@require_http_methods(["GET", "POST"])
@cached_page
def check_in_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    key = submission_keys.key_of(request.POST) if request.method == "POST" else ""
    if already := selectors.checkins.submitted(partnership, key):
        # Sent again (a phone's queue, a double tap): the check-in is logged once.
        messages.info(request, _("This check-in was logged already."))
        return redirect("engagements:check_in_detail", pk=partnership.pk, check_in_pk=already.pk)
    form = CheckInForm(request.POST or None, instance=CheckIn(partnership=partnership), partnership=partnership)
    # Set before validation: the form then checks the key's constraint like any other.
    form.instance.submission_key = key
    if request.method == "POST" and form.is_valid():
        try:
            check_in = services.checkins.check_in_record(
                user=request.user,
                check_in=form.instance,
                contacts=form.cleaned_data["contacts"],
                participants=form.cleaned_data["participants"],
            )
        except (IntegrityError, ValidationError) as error:
            # The same key, sent twice at once: the other request logged it.
            if already := selectors.checkins.submitted(partnership, key):
                messages.info(request, _("This check-in was logged already."))
                return redirect("engagements:check_in_detail", pk=partnership.pk, check_in_pk=already.pk)
            if isinstance(error, ValidationError):
                form.add_error(None, error)  # the key's constraint says what it is; any other rule too
            else:
                form.add_error(None, _("This form was sent already for another partnership: open the form again."))
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            schedule = selectors.checkins.schedule_of(partnership)  # the check-in has just moved it
            if schedule is not None and schedule.due_on:
                messages.success(
                    request,
                    _("Check-in logged: the clock starts again. The next check-in is due on %(date)s.")
                    % {"date": localtime.readable_date(schedule.due_on)},
                )
            else:
                messages.success(request, _("Check-in logged."))
            return redirect("engagements:check_in_detail", pk=partnership.pk, check_in_pk=check_in.pk)
    return render(request, "engagements/checkins/check_in_form.html", {"form": form, "partnership": partnership})


@require_GET
def check_in_detail(request: AuthenticatedHttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    check_in = selectors.checkins.with_attendees(get_check_in_for_user(request.user, partnership, check_in_pk))
    context = {
        "partnership": partnership,
        "check_in": check_in,
        "steps": selectors.checkins.next_steps_of(check_in),
        "line_commitments": selectors.commitments.check_in_lines_of(check_in),
    }
    return render(request, "engagements/checkins/check_in_detail.html", context)


@require_POST
def next_step_to_activity(request: AuthenticatedHttpRequest, pk: int, check_in_pk: int, step: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the check-in, after its 404
    check_in = get_check_in_for_user(request.user, partnership, check_in_pk, write=True)
    if not 0 <= step < len(check_in.next_step_lines()):
        raise Http404
    try:
        activity = services.checkins.next_step_to_activity(user=request.user, check_in=check_in, step=step)
    except errors.EngagementRuleError as error:
        messages.error(request, str(error))
        return redirect("engagements:check_in_detail", pk=partnership.pk, check_in_pk=check_in.pk)
    messages.success(
        request, _("“%(title)s” is now an activity of the plan: give it a date and roles.") % {"title": activity.title}
    )
    return redirect("engagements:activity_edit", pk=partnership.pk, activity_pk=activity.pk)
