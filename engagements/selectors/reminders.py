"""The reminder log, as the facilitators' page reads it."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from engagements.access import reminders_visible_to
from engagements.models import Reminder, ReminderStatus


def reminder_log(*, user: User, status: str = "") -> QuerySet[Reminder]:
    """The reminders this user may see, newest first, of one status when it is a known one (else all)."""
    reminders = reminders_visible_to(user).select_related("partnership")
    if status in ReminderStatus.values:
        reminders = reminders.filter(status=status)
    return reminders.order_by("-created_at", "-pk")
