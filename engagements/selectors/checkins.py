"""Check-ins as pages and the reminder sweep read them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, prefetch_related_objects

from engagements.domain import schedules
from engagements.models import Activity, CheckIn, CheckInSchedule, Partnership, PartnershipStatus


@dataclass(frozen=True)
class NextStep:
    number: int
    text: str
    activity: Activity | None


def next_steps_of(check_in: CheckIn) -> list[NextStep]:
    """Each next step with the activity it became, if any (one query)."""
    made = {a.source_step: a for a in Activity.objects.filter(source_check_in=check_in)}
    return [NextStep(n, text, made.get(n)) for n, text in enumerate(check_in.next_step_lines())]


def schedule_of(partnership: Partnership) -> CheckInSchedule | None:
    """The partnership's check-in schedule as saved now (a service may just have moved it), or None."""
    return CheckInSchedule.objects.filter(partnership=partnership).first()


def with_attendees(check_in: CheckIn) -> CheckIn:
    """The check-in with the contacts (and their organizations) and the users who took part (two queries)."""
    prefetch_related_objects([check_in], "contacts__organization", "participants")
    return check_in


def recent_check_ins(partnership: Partnership, *, limit: int = 5) -> list[CheckIn]:
    return list(partnership.check_ins.select_related("recorded_by")[:limit])


def schedules_due_now(todays: dict[str, datetime.date] | None = None) -> QuerySet[CheckInSchedule]:
    """Live schedules whose reminder window has opened, each by the date in its own zone.

    The one rule of "due now" for the reminder sweep and for Today: a
    partnership in WIT is due at midnight WIT, not at midnight in Jakarta.
    """
    todays = todays or schedules.todays_by_zone()
    due = Q()
    for zone, today in todays.items():
        due |= Q(time_zone=zone, remind_from__lte=today)
    return CheckInSchedule.objects.filter(due, paused=False).exclude(
        partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED]
    )


def submitted(partnership: Partnership, key: str) -> CheckIn | None:
    """The check-in a form with this submission key logged already in this partnership, if any (one query)."""
    if not key:
        return None
    return CheckIn.objects.filter(partnership=partnership, submission_key=key).first()
