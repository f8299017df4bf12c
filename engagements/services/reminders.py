"""What to remind whom of, and when.

``sweep`` reads the schedules, activities and commitments that are due and writes outbox
rows (``services.outbox``); ``deliver`` and ``send_digests`` send them with
the messages of ``engagements.emails``. Each costs a fixed number of queries
whatever the number of partnerships.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.domain import schedules
from engagements.domain.plans import WORK_ROLES
from engagements.emails import digest_message, reminder_message
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckInSchedule,
    Commitment,
    CommitmentState,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Reminder,
    ReminderKind,
)
from engagements.selectors.checkins import schedules_due_now
from engagements.services.outbox import ReminderRow
from partners.models import Contact, Organization, OrganizationMember

logger = logging.getLogger(__name__)


ACTIVITY_LEAD_DAYS = 2


# Commitments of a partnership without a check-in schedule are reminded this
# many days before they are due; with one, its lead days.
COMMITMENT_LEAD_DAYS = 2


# The most lead days a schedule allows (CheckInSchedule.lead_days): how far
# ahead the sweep reads commitments before it picks by each one's lead days.
MAX_LEAD_DAYS = 30


# Overdue activities and commitments older than this get no reminder: the plan needs a
# conversation, not an email.
OVERDUE_WINDOW_DAYS = 14


LANGUAGES = {"id", "en"}


# The lists the sweep prefetches (Prefetch to_attr) and the row builders read.
FACILITATORS_ATTR = "reminder_facilitators"
CONTACTS_ATTR = "reminder_contacts"
PARTNER_USERS_ATTR = "reminder_partner_users"


def _facilitators(partnership: Partnership) -> list[User]:
    return getattr(partnership, FACILITATORS_ATTR)


def _contacts(organization: Organization) -> list[Contact]:
    return getattr(organization, CONTACTS_ATTR)


def _partner_users(organization: Organization) -> list[User]:
    return [member.user for member in getattr(organization, PARTNER_USERS_ATTR)]


def _reachable_contacts() -> QuerySet[Contact]:
    """Partner contacts who opted in: consent, an address, reminders wanted."""
    contacts = Contact.objects.filter(erased_at__isnull=True, consent_to_contact=True, wants_reminders=True)
    return contacts.exclude(email="")


def _members_with_contacts() -> QuerySet[PartnershipMember]:
    return PartnershipMember.objects.select_related("organization").prefetch_related(
        Prefetch("organization__contacts", queryset=_reachable_contacts(), to_attr=CONTACTS_ATTR)
    )


def _lead_facilitator(partnership: Partnership) -> User | None:
    facilitators = sorted(_facilitators(partnership), key=lambda user: user.pk)
    creator = next((user for user in facilitators if user.pk == partnership.created_by_id), None)
    return creator or (facilitators[0] if facilitators else None)


def _user_row(user: User, row: ReminderRow) -> ReminderRow | None:
    if not user.is_active or not user.email or not user.email_reminders:
        return None
    language = user.language if user.language in LANGUAGES else settings.LANGUAGE_CODE
    return row | {"recipient_key": f"user:{user.pk}", "user_id": user.pk, "email": user.email,
                  "language": language, "digest": user.daily_digest}  # fmt: skip


def _contact_row(contact: Contact, row: ReminderRow) -> ReminderRow:
    language = contact.preferred_language if contact.preferred_language in LANGUAGES else "id"
    return row | {"recipient_key": f"contact:{contact.pk}", "contact_id": contact.pk, "email": contact.email,
                  "language": language, "digest": False}  # fmt: skip


def _check_in_rows(schedule: CheckInSchedule, today: datetime.date) -> Iterator[ReminderRow]:
    partnership = schedule.partnership
    due_on, late_from = schedule.due_on, schedule.late_from
    # Matched by schedules_due_now on remind_from, which schedule_refresh writes together with these.
    assert due_on is not None and late_from is not None
    base: ReminderRow = {"partnership_id": partnership.pk, "subject_type": "checkin", "subject_id": schedule.pk,
                         "due_on": due_on}  # fmt: skip
    if today < late_from:
        kind, occurrence, escalate = ReminderKind.CHECK_IN_DUE, due_on.isoformat(), False
    else:
        # One reminder every repeat_every_days while late; from the
        # escalate_after-th on, the lead facilitator gets a copy.
        number = (today - late_from).days // schedule.repeat_every_days
        kind, occurrence = ReminderKind.CHECK_IN_LATE, f"{due_on.isoformat()}#late{number}"
        escalate = number >= schedule.escalate_after
    row = base | {"kind": kind, "occurrence": occurrence}
    for user in _facilitators(partnership):
        if user_row := _user_row(user, row):
            yield user_row
    for member in partnership.members.all():
        for contact in _contacts(member.organization):
            yield _contact_row(contact, row)
    lead = _lead_facilitator(partnership)
    if escalate and lead is not None:
        if user_row := _user_row(lead, base | {"kind": ReminderKind.CHECK_IN_ESCALATION, "occurrence": occurrence}):
            yield user_row


def _activity_rows(activity: Activity, today: datetime.date) -> Iterator[ReminderRow]:
    due_date = activity.due_date
    assert due_date is not None, "the sweep selects activities by their due date"
    overdue = due_date < today
    row: ReminderRow = {
        "partnership_id": activity.partnership_id,
        "subject_type": "activity",
        "subject_id": activity.pk,
        "due_on": due_date,
        "kind": ReminderKind.ACTIVITY_OVERDUE if overdue else ReminderKind.ACTIVITY_DUE,
        "occurrence": f"{due_date.isoformat()}#{'overdue' if overdue else 'due'}",
    }
    for user in _facilitators(activity.partnership):
        if user_row := _user_row(user, row):
            yield user_row
    for role in activity.roles.all():
        if role.role in WORK_ROLES:
            for contact in _contacts(role.member.organization):
                yield _contact_row(contact, row)


def _commitment_rows(commitment: Commitment, todays: dict[str, datetime.date]) -> Iterator[ReminderRow]:
    """Due soon (lead days from the schedule) or overdue (once, within the window), like activities."""
    partnership = commitment.partnership
    zone = schedules.zone_of(partnership)
    today = todays.get(zone) or schedules.local_today(zone)
    try:
        lead_days = partnership.schedule.lead_days
    except CheckInSchedule.DoesNotExist:
        lead_days = COMMITMENT_LEAD_DAYS
    due_on = commitment.due_on
    overdue = due_on < today
    if overdue and due_on < today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS):
        return
    if not overdue and due_on > today + datetime.timedelta(days=lead_days):
        return
    row: ReminderRow = {
        "partnership_id": partnership.pk,
        "subject_type": "commitment",
        "subject_id": commitment.pk,
        "due_on": due_on,
        "kind": ReminderKind.COMMITMENT_OVERDUE if overdue else ReminderKind.COMMITMENT_DUE,
        "occurrence": f"{due_on.isoformat()}#{'overdue' if overdue else 'due'}",
    }
    # A facilitator who also signs in for the promising group gets one email.
    users = {user.pk: user for user in _facilitators(partnership)}
    organization = commitment.promised_by
    if organization is not None:
        users |= {user.pk: user for user in _partner_users(organization)}
    for user in users.values():
        if user_row := _user_row(user, row):
            yield user_row
    if organization is not None:
        for contact in _contacts(organization):
            yield _contact_row(contact, row)


def _commitments_due(todays: dict[str, datetime.date]) -> QuerySet[Commitment]:
    """Open commitments of live partnerships around today, with everyone to remind (a fixed number of queries)."""
    live = ~Q(partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED])
    days = [*todays.values(), timezone.localdate()]
    return (
        Commitment.objects.filter(
            live,
            state=CommitmentState.OPEN,
            due_on__gte=min(days) - datetime.timedelta(days=OVERDUE_WINDOW_DAYS),
            due_on__lte=max(days) + datetime.timedelta(days=MAX_LEAD_DAYS),
        )
        .select_related("partnership__schedule", "promised_by")
        .prefetch_related(
            Prefetch("partnership__facilitators", to_attr=FACILITATORS_ATTR),
            Prefetch("promised_by__contacts", queryset=_reachable_contacts(), to_attr=CONTACTS_ATTR),
            Prefetch(
                "promised_by__members",
                queryset=OrganizationMember.objects.select_related("user"),
                to_attr=PARTNER_USERS_ATTR,
            ),
        )
        .order_by("pk")
    )


def sweep() -> int:
    """Write the outbox rows that are due now; returns how many were new."""
    todays = schedules.todays_by_zone()
    live = ~Q(partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED])
    check_ins = (
        schedules_due_now(todays)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("partnership__facilitators", to_attr=FACILITATORS_ATTR),
            Prefetch("partnership__members", queryset=_members_with_contacts()),
        )
    )
    rows = [row for schedule in check_ins for row in _check_in_rows(schedule, todays[schedule.time_zone])]

    today = timezone.localdate()
    roles = ActivityRole.objects.select_related("member__organization").prefetch_related(
        Prefetch("member__organization__contacts", queryset=_reachable_contacts(), to_attr=CONTACTS_ATTR)
    )
    activities = (
        Activity.objects.filter(
            live,
            status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS],
            due_date__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS),
            due_date__lte=today + datetime.timedelta(days=ACTIVITY_LEAD_DAYS),
        )
        .select_related("partnership")
        .prefetch_related(
            Prefetch("partnership__facilitators", to_attr=FACILITATORS_ATTR), Prefetch("roles", queryset=roles)
        )
    )
    rows += [row for activity in activities for row in _activity_rows(activity, today)]
    rows += [row for commitment in _commitments_due(todays) for row in _commitment_rows(commitment, todays)]
    return services.outbox.reminders_insert(rows)


def unsubscribe(*, recipient_key: str) -> None:
    """Stop reminder emails for a user ("user:12") or a partner contact ("contact:7")."""
    kind, _sep, pk = recipient_key.partition(":")
    if kind == "user":
        User.objects.filter(pk=pk).update(email_reminders=False)
    elif kind == "contact":
        Contact.objects.filter(pk=pk).update(wants_reminders=False)


def deliver(*, lease: datetime.timedelta = services.outbox.LEASE, batch_size: int = services.outbox.BATCH_SIZE) -> int:
    """Claim and send batches until nothing is left to send now; returns emails sent."""
    sent = 0
    while True:
        claim = services.outbox.reminders_claim(limit=batch_size, lease=lease)
        if not claim.reminders:
            return sent
        for reminder in claim.reminders:
            if not services.outbox.reminder_renew(reminder, claim.token, lease):
                continue  # the lease ran out and another worker has the row
            try:
                reminder_message(reminder).send()
            except Exception as error:  # SMTP and network errors alike: retry later
                services.outbox.reminder_mark_failed(reminder, claim.token, f"{type(error).__name__}: {error}")
            else:
                sent += services.outbox.reminder_mark_sent(reminder, claim.token)


def send_digests(*, lease: datetime.timedelta = services.outbox.LEASE) -> int:
    """One email per recipient with everything waiting for their digest."""
    sent = 0
    while True:
        claim = services.outbox.reminders_claim(limit=500, lease=lease, digest=True)
        if not claim.reminders:
            return sent
        by_email: dict[str, list[Reminder]] = defaultdict(list)
        for reminder in claim.reminders:
            by_email[reminder.email].append(reminder)
        for reminders in by_email.values():
            reminders = [r for r in reminders if services.outbox.reminder_renew(r, claim.token, lease)]
            if not reminders:
                continue
            try:
                digest_message(reminders).send()
            except Exception as error:
                for reminder in reminders:
                    services.outbox.reminder_mark_failed(reminder, claim.token, f"{type(error).__name__}: {error}")
            else:
                sent += 1
                for reminder in reminders:
                    services.outbox.reminder_mark_sent(reminder, claim.token)
