"""Today: what needs the facilitator's attention across their partnerships."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from engagements.domain import schedules
from engagements.models import (
    PARTNERSHIP_TIME_ZONES,
    Activity,
    ActivityStatus,
    CheckInSchedule,
    PartnershipStatus,
)

TODAY_WINDOW_DAYS = 7


def activities_needing_attention(*, user: User, today: datetime.date | None = None, limit: int = 30) -> list[Activity]:
    """Open activities of the user's partnerships that are late or due within a week."""
    today = today or timezone.localdate()
    return list(
        Activity.objects.filter(
            partnership__facilitators=user,
            due_date__lte=today + datetime.timedelta(days=TODAY_WINDOW_DAYS),
            status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS],
        )
        .select_related("partnership__schedule")
        .order_by("due_date", "pk")[:limit]
    )


def check_ins_needing_attention(*, user: User) -> list[CheckInSchedule]:
    """Schedules of the user's partnerships whose check-in is due soon, late or dormant."""
    todays = {zone: schedules.local_today(zone) for zone, _label in PARTNERSHIP_TIME_ZONES}
    due = Q()
    for zone, today in todays.items():
        due |= Q(time_zone=zone, remind_from__lte=today)
    found = CheckInSchedule.objects.filter(due, partnership__facilitators=user, paused=False).exclude(
        partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED]
    )
    return list(found.select_related("partnership").order_by("due_on", "pk"))
