"""Today: what needs the facilitator's attention across their partnerships."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from engagements.models import (
    Activity,
    ActivityStatus,
    CheckInSchedule,
    Commitment,
)
from engagements.selectors import commitments
from engagements.selectors.checkins import schedules_due_now

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
    found = schedules_due_now().filter(partnership__facilitators=user)
    return list(found.select_related("partnership").order_by("due_on", "pk"))


def commitments_needing_attention(*, user: User) -> list[Commitment]:
    """Open commitments of the user's partnerships overdue or due within a week, and kept ones to confirm."""
    return commitments.needing_attention(user=user)
