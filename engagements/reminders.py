"""What to remind whom of, and the emails that say it.

``sweep`` reads the schedules and activities that are due and writes outbox
rows (engagements.outbox); ``deliver`` and ``send_digests`` send them. Each
costs a fixed number of queries whatever the number of partnerships.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from engagements import outbox, schedules
from engagements.models import (
    PARTNERSHIP_TIME_ZONES,
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckInSchedule,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Reminder,
    ReminderKind,
)
from partners.models import Contact

logger = logging.getLogger(__name__)

ACTIVITY_LEAD_DAYS = 2
# Overdue activities older than this get no reminder: the plan needs a
# conversation, not an email.
OVERDUE_WINDOW_DAYS = 14
UNSUBSCRIBE_SALT = "rekan.reminders.unsubscribe"
LANGUAGES = {"id", "en"}


def _todays() -> dict[str, datetime.date]:
    return {zone: schedules.local_today(zone) for zone, _ in PARTNERSHIP_TIME_ZONES}


def _reachable_contacts():
    """Partner contacts who opted in: consent, an address, reminders wanted."""
    contacts = Contact.objects.filter(erased_at__isnull=True, consent_to_contact=True, wants_reminders=True)
    return contacts.exclude(email="")


def _members_with_contacts():
    return PartnershipMember.objects.select_related("organization").prefetch_related(
        Prefetch("organization__contacts", queryset=_reachable_contacts(), to_attr="reminder_contacts")
    )


def _lead_facilitator(partnership: Partnership):
    facilitators = sorted(partnership.reminder_facilitators, key=lambda user: user.pk)
    creator = next((user for user in facilitators if user.pk == partnership.created_by_id), None)
    return creator or (facilitators[0] if facilitators else None)


def _user_row(user, **row) -> dict | None:
    if not user.is_active or not user.email or not user.email_reminders:
        return None
    language = user.language if user.language in LANGUAGES else settings.LANGUAGE_CODE
    return row | {"recipient_key": f"user:{user.pk}", "user_id": user.pk, "email": user.email,
                  "language": language, "digest": user.daily_digest}  # fmt: skip


def _contact_row(contact: Contact, **row) -> dict:
    language = contact.preferred_language if contact.preferred_language in LANGUAGES else "id"
    return row | {"recipient_key": f"contact:{contact.pk}", "contact_id": contact.pk, "email": contact.email,
                  "language": language, "digest": False}  # fmt: skip


def _check_in_rows(schedule: CheckInSchedule, today: datetime.date) -> Iterator[dict]:
    partnership = schedule.partnership
    base = {"partnership_id": partnership.pk, "subject_type": "checkin", "subject_id": schedule.pk,
            "due_on": schedule.due_on}  # fmt: skip
    if today < schedule.late_from:
        kind, occurrence, escalate = ReminderKind.CHECK_IN_DUE, schedule.due_on.isoformat(), False
    else:
        # One reminder every repeat_every_days while late; from the
        # escalate_after-th on, the lead facilitator gets a copy.
        number = (today - schedule.late_from).days // schedule.repeat_every_days
        kind, occurrence = ReminderKind.CHECK_IN_LATE, f"{schedule.due_on.isoformat()}#late{number}"
        escalate = number >= schedule.escalate_after
    row = base | {"kind": kind, "occurrence": occurrence}
    for user in partnership.reminder_facilitators:
        if user_row := _user_row(user, **row):
            yield user_row
    for member in partnership.members.all():
        for contact in member.organization.reminder_contacts:
            yield _contact_row(contact, **row)
    lead = _lead_facilitator(partnership)
    if escalate and lead is not None:
        if user_row := _user_row(lead, **base, kind=ReminderKind.CHECK_IN_ESCALATION, occurrence=occurrence):
            yield user_row


def _activity_rows(activity: Activity, today: datetime.date) -> Iterator[dict]:
    overdue = activity.due_date < today
    row = {
        "partnership_id": activity.partnership_id,
        "subject_type": "activity",
        "subject_id": activity.pk,
        "due_on": activity.due_date,
        "kind": ReminderKind.ACTIVITY_OVERDUE if overdue else ReminderKind.ACTIVITY_DUE,
        "occurrence": f"{activity.due_date.isoformat()}#{'overdue' if overdue else 'due'}",
    }
    for user in activity.partnership.reminder_facilitators:
        if user_row := _user_row(user, **row):
            yield user_row
    for role in activity.roles.all():
        if role.role in {"R", "A"}:
            for contact in role.member.organization.reminder_contacts:
                yield _contact_row(contact, **row)


def sweep() -> int:
    """Write the outbox rows that are due now; returns how many were new."""
    todays = _todays()
    live = ~Q(partnership__status__in=[PartnershipStatus.CLOSED, PartnershipStatus.PAUSED])
    due_now = Q()
    for zone, today in todays.items():
        due_now |= Q(time_zone=zone, remind_from__lte=today)
    check_ins = (
        CheckInSchedule.objects.filter(live, due_now, paused=False)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("partnership__facilitators", to_attr="reminder_facilitators"),
            Prefetch("partnership__members", queryset=_members_with_contacts()),
        )
    )
    rows = [row for schedule in check_ins for row in _check_in_rows(schedule, todays[schedule.time_zone])]

    today = timezone.localdate()
    roles = ActivityRole.objects.select_related("member__organization").prefetch_related(
        Prefetch("member__organization__contacts", queryset=_reachable_contacts(), to_attr="reminder_contacts")
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
            Prefetch("partnership__facilitators", to_attr="reminder_facilitators"), Prefetch("roles", queryset=roles)
        )
    )
    rows += [row for activity in activities for row in _activity_rows(activity, today)]
    return outbox.reminders_insert(rows)


# --- Emails ----------------------------------------------------------------------


def unsubscribe_url(reminder: Reminder) -> str:
    token = signing.dumps(reminder.recipient_key, salt=UNSUBSCRIBE_SALT, compress=True)
    return settings.SITE_URL + reverse("engagements:unsubscribe", args=[token])


def recipient_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def unsubscribe(*, recipient_key: str) -> None:
    """Stop reminder emails for a user ("user:12") or a partner contact ("contact:7")."""
    kind, _sep, pk = recipient_key.partition(":")
    if kind == "user":
        User.objects.filter(pk=pk).update(email_reminders=False)
    elif kind == "contact":
        Contact.objects.filter(pk=pk).update(wants_reminders=False)


def _context(reminder: Reminder) -> dict[str, object]:
    return {
        "reminder": reminder,
        "partnership": reminder.partnership,
        "partnership_url": settings.SITE_URL
        + reverse("engagements:partnership_detail", args=[reminder.partnership_id]),
        "unsubscribe_url": unsubscribe_url(reminder),
        "subject_title": _subject_title(reminder),
    }


def _subject_title(reminder: Reminder) -> str:
    if reminder.subject_type == "activity":
        return Activity.objects.filter(pk=reminder.subject_id).values_list("title", flat=True).first() or ""
    return ""


def _subject(template_name: str, context: dict[str, object]) -> str:
    """One line of plain text: the template turns autoescape off, a title's line breaks become spaces.

    The HTML part shows it as ``{{ subject }}``, escaped there like any other text.
    """
    return " ".join(render_to_string(template_name, context).split())


def reminder_message(reminder: Reminder) -> EmailMultiAlternatives:
    with translation.override(reminder.language):
        context = _context(reminder)
        subject = context["subject"] = _subject("engagements/email/reminder_subject.txt", context)
        text = render_to_string("engagements/email/reminder.txt", context)
        html = render_to_string("engagements/email/reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[reminder.email], headers=_list_headers(context))
    message.attach_alternative(html, "text/html")
    return message


def digest_message(reminders: list[Reminder]) -> EmailMultiAlternatives:
    first = reminders[0]
    with translation.override(first.language):
        items = [_context(reminder) for reminder in reminders]
        context = {"items": items, "unsubscribe_url": unsubscribe_url(first)}
        subject = context["subject"] = _subject("engagements/email/digest_subject.txt", context)
        text = render_to_string("engagements/email/digest.txt", context)
        html = render_to_string("engagements/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[first.email], headers=_list_headers(context))
    message.attach_alternative(html, "text/html")
    return message


def _list_headers(context: dict[str, object]) -> dict[str, str]:
    # RFC 8058 one-click unsubscribe.
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def deliver(*, lease: datetime.timedelta = outbox.LEASE, batch_size: int = outbox.BATCH_SIZE) -> int:
    """Claim and send batches until nothing is left to send now; returns emails sent."""
    sent = 0
    while True:
        claim = outbox.reminders_claim(limit=batch_size, lease=lease)
        if not claim.reminders:
            return sent
        for reminder in claim.reminders:
            if not outbox.reminder_renew(reminder, claim.token, lease):
                continue  # the lease ran out and another worker has the row
            try:
                reminder_message(reminder).send()
            except Exception as error:  # SMTP and network errors alike: retry later
                outbox.reminder_mark_failed(reminder, claim.token, f"{type(error).__name__}: {error}")
            else:
                sent += outbox.reminder_mark_sent(reminder, claim.token)


def send_digests(*, lease: datetime.timedelta = outbox.LEASE) -> int:
    """One email per recipient with everything waiting for their digest."""
    sent = 0
    while True:
        claim = outbox.reminders_claim(limit=500, lease=lease, digest=True)
        if not claim.reminders:
            return sent
        by_email: dict[str, list[Reminder]] = defaultdict(list)
        for reminder in claim.reminders:
            by_email[reminder.email].append(reminder)
        for reminders in by_email.values():
            reminders = [r for r in reminders if outbox.reminder_renew(r, claim.token, lease)]
            if not reminders:
                continue
            try:
                digest_message(reminders).send()
            except Exception as error:
                for reminder in reminders:
                    outbox.reminder_mark_failed(reminder, claim.token, f"{type(error).__name__}: {error}")
            else:
                sent += 1
                for reminder in reminders:
                    outbox.reminder_mark_sent(reminder, claim.token)
