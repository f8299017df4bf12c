"""Check-in rhythms and check-ins: every check-in restarts the clock."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements import selectors
from engagements.domain import schedules
from engagements.errors import EngagementRuleError
from engagements.models import (
    Activity,
    CheckIn,
    CheckInSchedule,
    Partnership,
    Raci,
    TrustEntryKind,
)
from engagements.services.plans import activity_save
from engagements.services.trust import trust_entry_append
from partners.history import attribute_to
from partners.models import Contact


def schedule_refresh(*, schedule: CheckInSchedule) -> CheckInSchedule:
    """Recompute the stored dates from the schedule and its latest check-in."""
    latest = schedule.partnership.check_ins.order_by("-held_at").values_list("held_at", flat=True).first()
    zone = zoneinfo.ZoneInfo(schedule.time_zone)
    schedule.last_held_on = timezone.localtime(latest, zone).date() if latest else None
    dates = schedules.derive(schedule, schedule.last_held_on)
    for name, value in vars(dates).items():
        setattr(schedule, name, value)
    # New dates, new reminders: the sweep looks at this schedule again from remind_from.
    schedule.next_reminder_on = schedule.remind_from
    return schedule


@transaction.atomic
def schedule_save(*, user: User, schedule: CheckInSchedule) -> CheckInSchedule:
    schedule.full_clean()
    schedule_refresh(schedule=schedule)
    attribute_to(user, schedule)
    schedule.save()
    return schedule


@transaction.atomic
def check_in_record(
    *, user: User, check_in: CheckIn, contacts: Iterable[Contact] = (), participants: Iterable[User] = ()
) -> CheckIn:
    """Log a check-in, or save an edited one: it restarts the clock of the partnership's schedule.

    A new check-in is recorded by ``user``; an edited one keeps who recorded it.
    """
    if check_in.held_at > timezone.now() + datetime.timedelta(minutes=5):
        raise EngagementRuleError(_("A check-in that was held cannot be in the future."))
    contacts = list(contacts)
    members = set(check_in.partnership.members.values_list("organization_id", flat=True))
    if any(contact.organization_id not in members for contact in contacts):
        raise EngagementRuleError(_("Only contacts of member organizations can take part."))
    created = check_in.pk is None
    if created:
        check_in.recorded_by = user
    check_in.full_clean()
    attribute_to(user, check_in)
    check_in.save()
    check_in.contacts.set(contacts)
    check_in.participants.set(list(participants))
    schedule_restart(partnership=check_in.partnership)
    if created:  # an edit corrects the check-in's own record; the log said once that it was held
        trust_entry_append(
            partnership=check_in.partnership,
            kind=TrustEntryKind.CHECK_IN_HELD,
            user=user,
            happened_at=check_in.held_at,
            subject_type="check_in",
            subject_id=check_in.pk,
        )
    return check_in


@transaction.atomic
def check_in_delete(*, user: User, check_in: CheckIn) -> None:
    """A check-in removed (logged by mistake): the clock goes back to the one before."""
    attribute_to(user, check_in)
    check_in.delete()
    schedule_restart(partnership=check_in.partnership)


def schedule_restart(*, partnership: Partnership) -> None:
    """The clock restarts from the latest check-in (logged, moved or deleted).

    Only derived dates change, which nobody edits: no record in the history.
    """
    schedule = CheckInSchedule.objects.select_for_update().filter(partnership=partnership).first()
    if schedule is not None:
        schedule_refresh(schedule=schedule)
        schedule.save_without_historical_record()  # type: ignore[attr-defined]


@transaction.atomic
def next_step_to_activity(*, user: User, check_in: CheckIn, step: int) -> Activity:
    """One click: a next step of a check-in becomes an activity of the plan, at most once.

    The lead (or first) member is accountable until the facilitator changes it.
    A step that is already an activity raises an error naming it; the database
    constraint keeps "at most once" true under double clicks and races too.
    """
    steps = check_in.next_step_lines()
    if not 0 <= step < len(steps):
        raise EngagementRuleError(_("This check-in has no such next step."))
    # Two clicks at once wait here for each other, so the second one sees the first's activity.
    CheckIn.objects.select_for_update().filter(pk=check_in.pk).first()
    existing = Activity.objects.filter(source_check_in=check_in, source_step=step).first()
    if existing is not None:
        raise EngagementRuleError(_("This next step is already the activity “%(title)s”.") % {"title": existing.title})
    members = selectors.partnerships.members_of(check_in.partnership)
    if not members:
        raise EngagementRuleError(_("Add member organizations to the partnership first: roles are given to them."))
    activity = Activity(
        partnership=check_in.partnership, title=steps[step][:200], source_check_in=check_in, source_step=step
    )
    try:
        with transaction.atomic():
            return activity_save(user=user, activity=activity, roles={members[0]: Raci.ACCOUNTABLE})
    except (IntegrityError, ValidationError):
        # The model's own unique check (full_clean) or the database's, when the lock could not serialise.
        if not Activity.objects.filter(source_check_in=check_in, source_step=step).exists():
            raise
        raise EngagementRuleError(_("This next step is already an activity of the plan.")) from None
