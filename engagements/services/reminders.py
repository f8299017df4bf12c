"""What to remind whom of, and when.

``sweep`` reads the schedules, activities and commitments that are due and writes outbox
rows (``services.outbox``); ``deliver`` and ``send_digests`` send them with
the messages of ``engagements.emails``. Each costs a fixed number of queries
whatever the number of partnerships.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, DateField, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from engagements import services, whatsapp
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
    ReminderChannel,
    ReminderKind,
)
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
    """Partner contacts who opted in: consent, and email reminders with an address or WhatsApp ones with a phone."""
    reachable = Q(wants_reminders=True) & ~Q(email="")
    if settings.WHATSAPP_ENABLED:
        reachable |= Q(whatsapp_reminders=True) & ~Q(phone="")
    return Contact.objects.filter(reachable, erased_at__isnull=True, consent_to_contact=True)


def _members_with_contacts() -> QuerySet[PartnershipMember]:
    return PartnershipMember.objects.select_related("organization").prefetch_related(
        Prefetch("organization__contacts", queryset=_reachable_contacts(), to_attr=CONTACTS_ATTR)
    )


def _lead_facilitator(partnership: Partnership) -> User | None:
    facilitators = sorted(_facilitators(partnership), key=lambda user: user.pk)
    creator = next((user for user in facilitators if user.pk == partnership.created_by_id), None)
    return creator or (facilitators[0] if facilitators else None)


def _contact_rows(contact: Contact, row: ReminderRow) -> Iterator[ReminderRow]:
    """The row for a partner contact: on WhatsApp if they agreed to it (and it is on), else by email."""
    if addressed := services.outbox.contact_row(contact, row):
        yield addressed


def _check_in_rows(schedule: CheckInSchedule, today: datetime.date) -> Iterator[ReminderRow]:
    partnership = schedule.partnership
    due_on, late_from = schedule.due_on, schedule.late_from
    # Swept only with remind_from and late_from, which schedule_refresh writes together with due_on.
    assert due_on is not None and late_from is not None
    base: ReminderRow = {"partnership_id": partnership.pk, "subject_type": "checkin", "subject_id": schedule.pk,
                         "due_on": due_on}  # fmt: skip
    number = schedules.late_reminder_number(schedule, today)
    if number is None:
        kind, occurrence, escalate = ReminderKind.CHECK_IN_DUE, due_on.isoformat(), False
    else:
        # One reminder every repeat_every_days while late; from the
        # escalate_after-th on, the lead facilitator gets a copy.
        kind, occurrence = ReminderKind.CHECK_IN_LATE, f"{due_on.isoformat()}#late{number}"
        escalate = number >= schedule.escalate_after
    row = base | {"kind": kind, "occurrence": occurrence}
    for user in _facilitators(partnership):
        if user_row := services.outbox.user_row(user, row):
            yield user_row
    for member in partnership.members.all():
        for contact in _contacts(member.organization):
            yield from _contact_rows(contact, row)
    lead = _lead_facilitator(partnership)
    if escalate and lead is not None:
        if user_row := services.outbox.user_row(
            lead, base | {"kind": ReminderKind.CHECK_IN_ESCALATION, "occurrence": occurrence}
        ):
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
        if user_row := services.outbox.user_row(user, row):
            yield user_row
    for role in activity.roles.all():
        if role.role in WORK_ROLES:
            for contact in _contacts(role.member.organization):
                yield from _contact_rows(contact, row)


def _commitment_is_overdue(commitment: Commitment, todays: dict[str, datetime.date]) -> bool | None:
    """True (overdue, within the window), False (due within the lead days from the schedule), or None (neither)."""
    partnership = commitment.partnership
    zone = schedules.zone_of(partnership)
    today = todays.get(zone) or schedules.local_today(zone)
    try:
        lead_days = partnership.schedule.lead_days
    except CheckInSchedule.DoesNotExist:
        lead_days = COMMITMENT_LEAD_DAYS
    due_on = commitment.due_on
    if due_on < today:
        return None if due_on < today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS) else True
    return None if due_on > today + datetime.timedelta(days=lead_days) else False


def _commitment_rows(commitment: Commitment, overdue: bool) -> Iterator[ReminderRow]:
    """Due soon or overdue (once each), like activities."""
    partnership = commitment.partnership
    due_on = commitment.due_on
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
        if user_row := services.outbox.user_row(user, row):
            yield user_row
    if organization is not None:
        for contact in _contacts(organization):
            yield from _contact_rows(contact, row)


def _commitments_due(todays: dict[str, datetime.date]) -> QuerySet[Commitment]:
    """Open commitments of live partnerships around today, with everyone to remind (a fixed number of queries)."""
    live = ~Q(partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED])
    days = [*todays.values(), timezone.localdate()]
    # Not the stage already reminded of: a repeat sweep skips what it wrote.
    overdue = Q(due_on__lt=max(days)) & ~Q(overdue_reminded_for=F("due_on"))
    soon = Q(due_on__gte=min(days)) & ~Q(due_reminded_for=F("due_on"))
    return (
        Commitment.objects.filter(
            overdue | soon,
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
    )


# Schedules read, rows built and inserted per round of the sweep: memory and
# each transaction stay small whatever the number due.
SWEEP_CHUNK = 1000


def sweep(*, chunk_size: int = SWEEP_CHUNK) -> int:
    """Write the outbox rows that are due now; returns how many were new.

    Schedules, activities and commitments are read in chunks, each committed
    with what the sweep must remember of it (a schedule's next reminder day,
    the due date an activity or commitment was reminded of): a repeat sweep
    reads only what has something new, so with nothing new it reads nothing.
    """
    todays = schedules.todays_by_zone()
    today = timezone.localdate()

    def check_ins(chunk: list[CheckInSchedule]) -> int:
        rows = [row for schedule in chunk for row in _check_in_rows(schedule, todays[schedule.time_zone])]
        created = services.outbox.reminders_insert(rows)
        _advance_watermarks(chunk, todays)
        return created

    def activities(chunk: list[Activity]) -> int:
        rows = [row for activity in chunk for row in _activity_rows(activity, today)]
        created = services.outbox.reminders_insert(rows)
        _remember_reminded(Activity, [(a.pk, a.due_date, a.due_date < today) for a in chunk if a.due_date])
        return created

    def commitments(chunk: list[Commitment]) -> int:
        stages = [(commitment, _commitment_is_overdue(commitment, todays)) for commitment in chunk]
        reminded = [(commitment, overdue) for commitment, overdue in stages if overdue is not None]
        rows = [row for commitment, overdue in reminded for row in _commitment_rows(commitment, overdue)]
        created = services.outbox.reminders_insert(rows)
        _remember_reminded(Commitment, [(c.pk, c.due_on, overdue) for c, overdue in reminded])
        return created

    return (
        _in_chunks(_schedules_to_sweep(todays), chunk_size, check_ins)
        + _in_chunks(_activities_due(today), chunk_size, activities)
        + _in_chunks(_commitments_due(todays), chunk_size, commitments)
        + services.health_checks.health_check_closing_reminders(today=today)
    )


def _in_chunks[M: models.Model](records: QuerySet[M], size: int, work: Callable[[list[M]], int]) -> int:
    """Run ``work`` on the records, ``size`` at a time in pk order, each chunk in a transaction of its own."""
    done, after = 0, 0
    while True:
        with transaction.atomic():
            chunk = list(records.filter(pk__gt=after).order_by("pk")[:size])
            if not chunk:
                return done
            done += work(chunk)
        after = chunk[-1].pk


def _remember_reminded(model: type[Activity] | type[Commitment], stages: list[tuple[int, datetime.date, bool]]) -> None:
    """Two UPDATEs: the due date each was reminded of, "overdue" or "due soon", unless it moved meanwhile."""
    for overdue, field in ((False, "due_reminded_for"), (True, "overdue_reminded_for")):
        date_field = "due_date" if model is Activity else "due_on"
        whens = [
            When(Q(pk=pk, **{date_field: due}), then=Value(due))
            for pk, due, is_overdue in stages
            if is_overdue == overdue
        ]
        if whens:
            model.objects.filter(pk__in=[pk for pk, _due, is_overdue in stages if is_overdue == overdue]).update(
                **{field: Case(*whens, default=F(field), output_field=DateField())}
            )


def _schedules_to_sweep(todays: dict[str, datetime.date]) -> QuerySet[CheckInSchedule]:
    """Live schedules whose next reminder day has come in their own zone, with everyone to remind."""
    due = Q()
    for zone, today in todays.items():
        # No watermark yet (dates written by hand, say): from remind_from, as schedule_refresh would set it.
        due |= Q(time_zone=zone, next_reminder_on__lte=today)
        due |= Q(time_zone=zone, next_reminder_on__isnull=True, remind_from__lte=today)
    return (
        CheckInSchedule.objects.filter(due, paused=False, remind_from__isnull=False, late_from__isnull=False)
        .exclude(partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED])
        .select_related("partnership")
        .prefetch_related(
            Prefetch("partnership__facilitators", to_attr=FACILITATORS_ATTR),
            Prefetch("partnership__members", queryset=_members_with_contacts()),
        )
    )


def _advance_watermarks(chunk: list[CheckInSchedule], todays: dict[str, datetime.date]) -> None:
    """One UPDATE: each schedule waits for its next reminder day, unless its dates changed meanwhile."""
    whens = []
    for schedule in chunk:
        following = schedules.next_reminder_day(schedule, todays[schedule.time_zone])
        # A check-in logged since we read the schedule moved due_on and set a
        # fresh watermark: that one stands.
        whens.append(When(Q(pk=schedule.pk, due_on=schedule.due_on), then=Value(following)))
    CheckInSchedule.objects.filter(pk__in=[schedule.pk for schedule in chunk]).update(
        next_reminder_on=Case(*whens, default=F("next_reminder_on"), output_field=DateField())
    )


def _activities_due(today: datetime.date) -> QuerySet[Activity]:
    live = ~Q(partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED])
    roles = ActivityRole.objects.select_related("member__organization").prefetch_related(
        Prefetch("member__organization__contacts", queryset=_reachable_contacts(), to_attr=CONTACTS_ATTR)
    )
    overdue = Q(due_date__lt=today) & ~Q(overdue_reminded_for=F("due_date"))
    soon = Q(due_date__gte=today) & ~Q(due_reminded_for=F("due_date"))
    return (
        Activity.objects.filter(
            overdue | soon,
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


def unsubscribe(*, recipient_key: str) -> None:
    """Stop reminder emails for a user ("user:12") or a partner contact ("contact:7")."""
    kind, _sep, pk = recipient_key.partition(":")
    if kind == "user":
        User.objects.filter(pk=pk).update(email_reminders=False)
    elif kind == "contact":
        Contact.objects.filter(pk=pk).update(wants_reminders=False)


def deliver(*, lease: datetime.timedelta = services.outbox.LEASE, batch_size: int = services.outbox.BATCH_SIZE) -> int:
    """Claim and send batches until nothing is left to send now; returns messages sent (email and WhatsApp).

    One mail-server connection for all of them, opened again after a
    failure, and one HTTP connection to WhatsApp when a row goes there. A
    batch's rows that were not tried (the task failed, the database went
    away) are given back at once, not held for the lease.
    """
    sent = 0
    mailer = mailers.default
    chat: whatsapp.Client | None = None
    try:
        while True:
            claim = services.outbox.reminders_claim(limit=batch_size, lease=lease)
            if not claim.reminders and not claim.cancelled:
                return sent  # a batch that was all cancelled is no reason to stop
            accepted: list[Reminder] = []
            try:
                for reminder in claim.reminders:
                    if reminder.channel == ReminderChannel.WHATSAPP:
                        chat = chat or whatsapp.Client()
                        sent += _send_on_whatsapp(reminder, chat, claim.token, lease, accepted)
                    else:
                        sent += _send([reminder], _single, mailer, claim.token, lease, accepted)
            finally:
                _settle(accepted, claim.token)
    finally:
        mailer.close()
        if chat is not None:
            chat.close()


def _send_on_whatsapp(
    reminder: Reminder, chat: whatsapp.Client, token: str, lease: datetime.timedelta, accepted: list[Reminder]
) -> int:
    """Render, intent, Cloud API, outcome, for one WhatsApp row; 1 if WhatsApp took it.

    The same guarantees as email: the intent is committed (with the "sent"
    of the email rows accepted before it) before WhatsApp hears of the
    message, so a worker killed before the answer is stamped leaves the row
    "uncertain", never sent twice.
    """
    if not settings.WHATSAPP_ENABLED:  # switched off since the sweep wrote it: email, where there is an address
        failure = services.outbox.Failure(True, "WhatsApp is not configured any more (WHATSAPP_TOKEN).")
        services.outbox.reminders_mark_failed([reminder], token, failure)
        services.whatsapp.reminder_fall_back_to_email(reminder)
        return 0
    try:
        message = whatsapp.reminder_whatsapp(reminder)
    except DatabaseError:
        logger.warning("Lost the database while writing reminder %s; giving it back.", reminder.pk)
        if not connection.in_atomic_block:
            connection.close()
        return 0
    held = services.outbox.reminders_begin_send([reminder], token, lease, sent_before=accepted)
    accepted.clear()
    if not held:
        return 0  # the lease ran out and another worker has the row
    try:
        message_id = chat.send(message)
    except whatsapp.WhatsAppError as error:
        failure = services.outbox.Failure(error.permanent, str(error))
        # Refused for good, or refused for longer than the retry window: email, where there is an address.
        if services.outbox.reminders_mark_failed(held, token, failure):
            services.whatsapp.reminder_fall_back_to_email(reminder)
        return 0
    try:
        services.outbox.reminder_mark_sent_on_whatsapp(reminder, token, message_id)
    except DatabaseError:  # its lease runs out and it becomes "uncertain", never sent again
        logger.error("Could not stamp reminder %s as sent on WhatsApp.", reminder.pk, exc_info=True)
        return 0
    return 1


def _single(reminders: list[Reminder]) -> EmailMultiAlternatives:
    return reminder_message(reminders[0])


def _send(
    reminders: list[Reminder],
    compose: Callable[[list[Reminder]], EmailMultiAlternatives],
    mailer: BaseEmailBackend,
    token: str,
    lease: datetime.timedelta,
    accepted: list[Reminder],
) -> int:
    """Render, intent, SMTP, for one message (of one row, or a digest of several); 1 if it went out.

    ``accepted`` holds the rows the mail server took whose "sent" is not
    stamped yet: it is stamped with the next message's intent, in one
    transaction, or by ``_settle`` at the end of the batch.
    """
    try:
        message = compose(reminders)
    except DatabaseError:
        # Lost the database while reading what the email says: not the row's
        # fault. It goes back with the batch's untried rows (no intent yet).
        logger.warning("Lost the database while writing reminders %s; giving them back.", [r.pk for r in reminders])
        if not connection.in_atomic_block:
            connection.close()  # the next query reconnects
        return 0
    except Exception as error:  # a template or data fault: nothing reached the mail server; try again later
        logger.exception("Could not write the email of reminders %s.", [r.pk for r in reminders])
        failure = services.outbox.Failure(permanent=False, text=f"{type(error).__name__}: {error}")
        services.outbox.reminders_mark_failed(reminders, token, failure)
        return 0
    reminders = services.outbox.reminders_begin_send(reminders, token, lease, sent_before=accepted)
    accepted.clear()
    if not reminders:
        return 0  # the lease ran out and another worker has the rows
    try:
        # Opens the connection if it is not open (the SMTP backend then keeps
        # it open across send_messages calls); connection refused lands here too.
        mailer.open()
        mailer.send_messages([message])
    except Exception as error:  # SMTP and network errors alike: the failure's kind decides what next
        failure = services.outbox.failure_of(error)
        if not isinstance(error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)):
            mailer.close()  # the session may be broken: the next message opens a new one
        services.outbox.reminders_mark_failed(reminders, token, failure)
        return 0
    accepted.extend(reminders)
    return 1


def _settle(accepted: list[Reminder], token: str) -> None:
    """End of a batch: stamp what the server took, then give back the rows not tried."""
    try:
        if accepted:
            services.outbox.reminders_mark_sent(accepted, token)
    except DatabaseError:  # their lease runs out and they become "uncertain", never sent again
        logger.error("Could not stamp reminders %s as sent.", [r.pk for r in accepted], exc_info=True)
    _give_back(token)


def _give_back(token: str) -> None:
    try:
        services.outbox.durably(lambda: services.outbox.reminders_release(token))
    except DatabaseError:  # the leases run out on their own
        logger.warning("Could not give back the untried reminders of claim %s.", token, exc_info=True)


def send_digests(*, lease: datetime.timedelta = services.outbox.LEASE) -> int:
    """One email per recipient with everything waiting for their digest."""
    sent = 0
    mailer = mailers.default
    try:
        while True:
            claim = services.outbox.reminders_claim(limit=500, lease=lease, digest=True)
            if not claim.reminders and not claim.cancelled:
                return sent  # a batch that was all cancelled is no reason to stop
            by_email: dict[str, list[Reminder]] = defaultdict(list)
            for reminder in claim.reminders:
                by_email[reminder.email].append(reminder)
            accepted: list[Reminder] = []
            try:
                for reminders in by_email.values():
                    sent += _send(reminders, digest_message, mailer, claim.token, lease, accepted)
            finally:
                _settle(accepted, claim.token)
    finally:
        mailer.close()
