"""The reminder outbox: insert once; claim, re-check, stamp the intent, send, stamp the outcome.

The database is the source of truth, and each row goes out at most once:

1. The sweep inserts one row per (subject, occurrence, recipient, kind): the
   UNIQUE constraint makes a second insert a no-op, so sweeps may run twice
   at once.
2. Delivery claims a batch (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite
   serialises writers) with a short lease and a claim token and, in the same
   transaction, cancels what is no longer true (``selectors.reminders``).
3. Just before a row's message is handed to the mail server, its *intent* is
   stamped and committed, renewing that row's lease.
4. The outcome (sent, or failed and when to try again) is stamped by the
   holder of the claim, retried over a lost database connection.

A row found with an intent and an expired lease was handed to the mail server
by a worker that died (or lost the database) before it could write the
answer: it may have gone out, so it becomes ``uncertain`` and waits for a
person's "send again" instead of being sent blindly a second time. Every
retry of a row carries the same Message-ID, so a receiver can drop a copy.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Case, F, PositiveSmallIntegerField, Q, When
from django.utils import timezone

from accounts.models import User
from engagements import selectors
from engagements.models import CancelReason, Reminder, ReminderChannel, ReminderStatus
from partners.models import Contact

logger = logging.getLogger(__name__)


# Short, and renewed for each row just before it is sent: a worker that is
# killed holds its rows for at most this long.
LEASE = datetime.timedelta(seconds=90)


BATCH_SIZE = 50


# A row whose worker died before stamping the intent (while rendering, say)
# is claimed again; after this many such deaths it fails instead of killing
# workers forever.
MAX_ABANDONED = 5


# Minutes to wait after the 1st, 2nd, 3rd... temporary failure; then the last, until the window closes.
BACKOFF_MINUTES = (1, 5, 15, 30, 60)


ABANDONED = "The worker stopped before sending, several times."
UNKNOWN_OUTCOME = (
    "The worker stopped after handing the email to the mail server and before recording the answer: "
    "it may have been delivered. Send it again if it was not."
)


ROW_FIELDS = (
    ("partnership_id", "bigint"),
    ("kind", "text"),
    ("subject_type", "text"),
    ("subject_id", "bigint"),
    ("occurrence", "text"),
    ("recipient_key", "text"),
    ("user_id", "bigint"),
    ("contact_id", "bigint"),
    ("channel", "text"),
    ("email", "text"),
    ("phone", "text"),
    ("language", "text"),
    ("digest", "boolean"),
    ("due_on", "date"),
)


class ReminderRow(TypedDict, total=False):
    """One outbox row as the sweep builds it: for a user (user_id) or a partner contact (contact_id)."""

    partnership_id: int
    kind: str
    subject_type: str
    subject_id: int
    occurrence: str
    recipient_key: str
    user_id: int
    contact_id: int
    channel: str
    email: str
    phone: str
    language: str
    digest: bool
    due_on: datetime.date


LANGUAGES = {"id", "en"}


def user_row(user: User, row: ReminderRow) -> ReminderRow | None:
    """``row`` addressed to a person who logs in, or None if they cannot or do not want to be reminded."""
    if not user.is_active or not user.email or not user.email_reminders:
        return None
    language = user.language if user.language in LANGUAGES else settings.LANGUAGE_CODE
    return row | {"recipient_key": f"user:{user.pk}", "user_id": user.pk, "channel": ReminderChannel.EMAIL,
                  "email": user.email, "language": language, "digest": user.daily_digest}  # fmt: skip


def contact_row(contact: Contact, row: ReminderRow, *, channel: str | None = None) -> ReminderRow | None:
    """``row`` addressed to a partner contact on ``channel`` (default: the one they get reminders on), or None.

    WhatsApp when the channel is configured and the contact agreed to it
    with a phone; otherwise email, when they want reminders and have an address.
    """
    if contact.erased_at is not None or not contact.consent_to_contact:
        return None
    on_whatsapp = settings.WHATSAPP_ENABLED and contact.whatsapp_reminders and bool(contact.phone)
    channel = channel or (ReminderChannel.WHATSAPP if on_whatsapp else ReminderChannel.EMAIL)
    language = contact.preferred_language if contact.preferred_language in LANGUAGES else "id"
    base = row | {"recipient_key": f"contact:{contact.pk}", "contact_id": contact.pk, "language": language,
                  "digest": False, "channel": channel}  # fmt: skip
    if channel == ReminderChannel.WHATSAPP:
        return base | {"phone": contact.phone, "email": ""} if on_whatsapp else None
    return base | {"email": contact.email, "phone": ""} if contact.wants_reminders and contact.email else None


def reminders_insert(rows: Iterable[ReminderRow], *, now: datetime.datetime | None = None) -> int:
    """Insert the rows that do not exist yet, in ONE statement whatever their number."""
    defaults = {"channel": ReminderChannel.EMAIL, "email": "", "phone": ""}
    payload = [{name: row.get(name, defaults.get(name)) for name, _ in ROW_FIELDS} for row in rows]
    if not payload:
        return 0
    # One order for every sweep: two sweeps at once then wait for each other instead of deadlocking.
    payload.sort(
        key=lambda r: (r["subject_type"], r["subject_id"], r["occurrence"], r["recipient_key"], r["kind"], r["channel"])
    )
    for row in payload:
        due_on = row["due_on"]
        row["due_on"] = due_on.isoformat() if isinstance(due_on, datetime.date) else None
    columns = ", ".join(name for name, _ in ROW_FIELDS)
    fixed = (
        "status, cancel_reason, attempts, next_attempt_at, claim_token, last_error, "
        "provider_message_id, delivery_status, created_at"
    )
    values = "'pending', '', 0, %s, '', '', '', '', %s"
    stamp = connection.ops.adapt_datetimefield_value(now or timezone.now())
    table = Reminder._meta.db_table
    if connection.vendor == "postgresql":
        record = ", ".join(f"{name} {kind}" for name, kind in ROW_FIELDS)
        sql = (
            f"INSERT INTO {table} ({columns}, {fixed}) "
            f"SELECT {columns}, {values} FROM json_to_recordset(%s::json) AS r({record}) "
            "ON CONFLICT DO NOTHING"
        )
    else:
        extracted = ", ".join(f"json_extract(value, '$.{name}')" for name, _ in ROW_FIELDS)
        # "WHERE true" lets SQLite tell the upsert clause from a join.
        sql = (
            f"INSERT INTO {table} ({columns}, {fixed}) "
            f"SELECT {extracted}, {values} FROM json_each(%s) WHERE true "
            "ON CONFLICT DO NOTHING"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, stamp, json.dumps(payload)])
        return cursor.rowcount


# --- Surviving a lost database connection ----------------------------------------


# Waits, in seconds, between tries of a stamp whose connection was lost: about 20 s in all.
RECONNECT_WAITS = (0.1, 0.3, 1, 2, 4, 6, 8)


def durably[T](write: Callable[[], T]) -> T:
    """Run ``write`` (one short transaction or statement), reconnecting and trying again if the connection drops.

    Outside a transaction only: a lost connection aborts the whole
    transaction, so only a caller that owns it can repeat it. The last
    failure is raised: the row then keeps its intent and its lease runs out.
    """
    for wait in (*RECONNECT_WAITS, None):
        try:
            return write()
        except (OperationalError, InterfaceError):
            if wait is None or connection.in_atomic_block:
                raise
            logger.warning("Lost the database connection while writing the outbox; reconnecting.", exc_info=True)
            connection.close()
            time.sleep(wait)
    raise AssertionError("unreachable")


# --- Claims ----------------------------------------------------------------------


def _claimable(now: datetime.datetime) -> Q:
    waiting = Q(status=ReminderStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=ReminderStatus.SENDING, claimed_until__lt=now, send_started_at__isnull=True)
    return waiting | abandoned


def deliverable_exists(*, digest: bool = False) -> bool:
    now = timezone.now()
    maybe_sent = Q(status=ReminderStatus.SENDING, claimed_until__lt=now, send_started_at__isnull=False)
    return Reminder.objects.filter(_claimable(now) | maybe_sent, digest=digest).exists()


@dataclass
class Claim:
    token: str
    reminders: list[Reminder]
    cancelled: int = 0


def _settle_expired_leases(now: datetime.datetime, digest: bool) -> None:
    expired = Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_until__lt=now, digest=digest)
    # The worker handed the message over (intent stamped) and never wrote the answer.
    maybe_sent = expired.filter(send_started_at__isnull=False)
    for pk in maybe_sent.values_list("pk", flat=True):
        logger.error("Reminder %s: the outcome of its sending is unknown; marked uncertain, not sent again.", pk)
    maybe_sent.update(status=ReminderStatus.UNCERTAIN, claimed_until=None, last_error=UNKNOWN_OUTCOME)
    # The worker died before the intent, again and again.
    expired.filter(send_started_at__isnull=True, attempts__gte=MAX_ABANDONED - 1).update(
        status=ReminderStatus.FAILED, attempts=F("attempts") + 1, claimed_until=None, last_error=ABANDONED
    )


def _cancel(reminders: list[Reminder], reasons: dict[int, str]) -> None:
    by_reason: dict[str, list[int]] = {}
    for reminder in reminders:
        if reminder.pk in reasons:
            by_reason.setdefault(reasons[reminder.pk], []).append(reminder.pk)
    for reason, ids in by_reason.items():
        changes: dict[str, object] = {
            "status": ReminderStatus.CANCELLED,
            "cancel_reason": reason,
            "claimed_until": None,
        }
        if reason == CancelReason.ERASED:
            changes["email"] = changes["phone"] = ""  # the row must not keep the address of an erased person
        Reminder.objects.filter(pk__in=ids).update(**changes)


def _claim_once(limit: int, lease: datetime.timedelta, digest: bool) -> Claim:
    now = timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        _settle_expired_leases(now, digest)
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), digest=digest)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return Claim(token, [])
        rows = list(Reminder.objects.filter(pk__in=ids).select_related("partnership", "user", "contact"))
        # Re-read what each row is about in the transaction that claims it: a
        # check-in held, a consent withdrawn since the sweep cancels the row.
        check = selectors.reminders.send_time_check(rows)
        _cancel(rows, check.reasons)
        keep = [row.pk for row in rows if row.pk not in check.reasons]
        for pk, email in check.new_addresses.items():
            if pk in keep:
                Reminder.objects.filter(pk=pk).update(email=email)
        for pk, phone in check.new_phones.items():
            if pk in keep:
                Reminder.objects.filter(pk=pk).update(phone=phone)
        Reminder.objects.filter(pk__in=keep).update(
            # A row taken back from a worker that died counts that try.
            attempts=Case(
                When(status=ReminderStatus.SENDING, then=F("attempts") + 1),
                default=F("attempts"),
                output_field=PositiveSmallIntegerField(),
            ),
            status=ReminderStatus.SENDING,
            claimed_until=now + lease,
            claim_token=token,
        )
        # Read back in the same transaction: a connection lost after the
        # commit would otherwise make durably() claim a second batch and
        # leave this one leased to nobody.
        reminders = list(
            Reminder.objects.filter(pk__in=keep, claim_token=token).select_related("partnership", "user", "contact")
        )
    return Claim(token, reminders, cancelled=len(check.reasons))


def reminders_claim(*, limit: int = BATCH_SIZE, lease: datetime.timedelta = LEASE, digest: bool = False) -> Claim:
    """Take up to ``limit`` rows that are still true for this worker until the lease runs out."""
    return durably(lambda: _claim_once(limit, lease, digest))


def reminders_release(token: str) -> int:
    """Give back the rows of a claim that were not tried: nobody waits for a lease to run out.

    Only rows without an intent: one with an intent may have been sent.
    """
    return Reminder.objects.filter(
        claim_token=token, status=ReminderStatus.SENDING, send_started_at__isnull=True
    ).update(status=ReminderStatus.PENDING, claimed_until=None)


# --- One row's sending -----------------------------------------------------------


def reminders_begin_send(
    reminders: list[Reminder],
    token: str,
    lease: datetime.timedelta = LEASE,
    *,
    sent_before: list[Reminder] | None = None,
) -> list[Reminder]:
    """Stamp the intent on rows still held by this claim (and renew their lease); returns those.

    Committed before the mail server hears of the message. A slow server can
    make a batch outlast its lease: a row another worker took since is left
    out here, so only one of them sends it. ``sent_before``: rows the server
    accepted just before, whose outcome is stamped in the same transaction,
    so a worker writes once per message, not twice.
    """
    now = timezone.now()
    ids = [reminder.pk for reminder in reminders]
    sent_ids = [reminder.pk for reminder in sent_before or []]

    def stamp() -> list[int]:
        if _stamp_intent(ids, sent_ids, token, now, now + lease) == len(ids) + len(sent_ids):
            return ids
        # Some rows were not ours, or this is a try again after a connection
        # lost at the commit: read back which rows carry this intent.
        held = Reminder.objects.filter(pk__in=ids, claim_token=token, status=ReminderStatus.SENDING)
        return list(held.filter(send_started_at=now).values_list("pk", flat=True))

    stamped = set(durably(stamp))
    return [reminder for reminder in reminders if reminder.pk in stamped]


def _stamp_intent(
    ids: list[int], sent_ids: list[int], token: str, now: datetime.datetime, lease_end: datetime.datetime
) -> int:
    """One UPDATE: "sent" on ``sent_ids`` and the intent on ``ids``; the number of rows it changed.

    Run in autocommit, the one statement commits on its own in one round
    trip, with no BEGIN and COMMIT around it. Written in SQL because it is
    the hottest statement of delivery: the ORM took longer to compile its
    CASEs than the database took to run them (bench/README.md).
    """
    table = Reminder._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    # "IN (NULL)" matches nothing: no row was accepted just before.
    sent = ", ".join(["%s"] * len(sent_ids)) or "NULL"
    intent = ", ".join(["%s"] * len(ids)) or "NULL"
    sql = (
        f"UPDATE {table} SET "
        f"status = CASE WHEN id IN ({sent}) THEN %s ELSE status END, "
        f"sent_at = CASE WHEN id IN ({sent}) THEN %s ELSE sent_at END, "
        f"last_error = CASE WHEN id IN ({sent}) THEN '' ELSE last_error END, "
        f"failing_since = CASE WHEN id IN ({sent}) THEN NULL ELSE failing_since END, "
        # The try that succeeded counts too: "attempts" is what was tried.
        f"attempts = CASE WHEN id IN ({sent}) THEN attempts + 1 ELSE attempts END, "
        f"claimed_until = CASE WHEN id IN ({sent}) THEN NULL ELSE %s END, "
        f"send_started_at = CASE WHEN id IN ({sent}) THEN send_started_at ELSE %s END "
        f"WHERE claim_token = %s AND ("
        f"(id IN ({sent}) AND status IN (%s, %s)) OR (id IN ({intent}) AND status = %s AND send_started_at IS NULL))"
    )
    params = [
        *sent_ids, ReminderStatus.SENT, *sent_ids, adapt(now), *sent_ids, *sent_ids, *sent_ids,
        *sent_ids, adapt(lease_end), *sent_ids, adapt(now), token,
        *sent_ids, ReminderStatus.SENDING, ReminderStatus.UNCERTAIN, *ids, ReminderStatus.SENDING,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def reminders_mark_sent(reminders: list[Reminder], token: str) -> int:
    """The mail server accepted the message: compare-and-set on the claim token, over a lost connection too.

    A row another worker marked uncertain meanwhile (our lease ran out
    during a slow send) is still ours to settle: nobody else sends it.
    """
    return durably(lambda: _mark_sent(reminders, token))


def _mark_sent(reminders: list[Reminder], token: str) -> int:
    ids = [reminder.pk for reminder in reminders]
    return Reminder.objects.filter(
        pk__in=ids, claim_token=token, status__in=[ReminderStatus.SENDING, ReminderStatus.UNCERTAIN]
    ).update(
        status=ReminderStatus.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
        failing_since=None,
        # The try that succeeded counts too: "attempts" is what was tried.
        attempts=F("attempts") + 1,
    )


def reminder_mark_sent_on_whatsapp(reminder: Reminder, token: str, message_id: str) -> int:
    """The Cloud API accepted the message: "sent", with the id its statuses will name, over a lost connection too."""

    def update() -> int:
        return Reminder.objects.filter(
            pk=reminder.pk, claim_token=token, status__in=[ReminderStatus.SENDING, ReminderStatus.UNCERTAIN]
        ).update(
            status=ReminderStatus.SENT,
            sent_at=timezone.now(),
            claimed_until=None,
            last_error="",
            failing_since=None,
            attempts=F("attempts") + 1,
            provider_message_id=message_id[:128],
        )

    return durably(update)


@dataclass(frozen=True)
class Failure:
    permanent: bool
    text: str


def failure_of(error: BaseException) -> Failure:
    """Permanent for a refused recipient or message (5xx) and an invalid address; temporary for anything else.

    A 5xx to our sender or our login is our configuration, not the
    recipient: temporary, so the reminders wait for the fix.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        text = "; ".join(f"{code} {_text(message)}" for code, message in replies)
        return Failure(bool(replies) and all(500 <= code < 600 for code, _message in replies), text)
    if isinstance(error, smtplib.SMTPDataError):
        return Failure(500 <= error.smtp_code < 600, f"{error.smtp_code} {_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        return Failure(False, f"{error.smtp_code} {_text(error.smtp_error)}")
    if isinstance(error, (ValueError, UnicodeError)):  # an address the mail library cannot write
        return Failure(True, f"{type(error).__name__}: {error}")
    return Failure(False, f"{type(error).__name__}: {error}")


def _text(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REMINDER_RETRY_HOURS)


def reminders_mark_failed(reminders: list[Reminder], token: str, failure: Failure) -> list[Reminder]:
    """Fail at once (permanent), or wait and try again until the retry window closes (temporary).

    Returns the reminders that failed for good now: a permanent refusal, or
    temporary ones for longer than the window.
    """
    now = timezone.now()
    given_up = []
    for reminder in reminders:
        since = reminder.failing_since or now
        changes: dict[str, object]
        final = failure.permanent or now - since >= retry_window()
        if final:
            changes = {"status": ReminderStatus.FAILED}
        else:
            wait = BACKOFF_MINUTES[min(reminder.attempts, len(BACKOFF_MINUTES) - 1)]
            changes = {"status": ReminderStatus.PENDING, "next_attempt_at": now + datetime.timedelta(minutes=wait)}
        if durably(_failed_update(reminder.pk, token, since, failure.text, changes)) and final:
            given_up.append(reminder)
        logger.warning("Reminder %s failed (%s): %s", reminder.pk, changes["status"], failure.text)
    return given_up


def _failed_update(
    pk: int, token: str, since: datetime.datetime, text: str, changes: dict[str, object]
) -> Callable[[], int]:
    def update() -> int:
        return Reminder.objects.filter(
            pk=pk, claim_token=token, status__in=[ReminderStatus.SENDING, ReminderStatus.UNCERTAIN]
        ).update(
            attempts=F("attempts") + 1,
            claimed_until=None,
            send_started_at=None,  # it was not sent: the next try is a clean one
            failing_since=since,
            last_error=text[:2000],
            **changes,
        )

    return update


def reminder_send_again(reminder: Reminder) -> bool:
    """A facilitator or admin asks for a failed or uncertain reminder to be sent again (same Message-ID)."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, status__in=[ReminderStatus.FAILED, ReminderStatus.UNCERTAIN]).update(
            status=ReminderStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
            send_started_at=None,
            failing_since=None,
            claimed_until=None,
            # WhatsApp's statuses of the earlier message no longer say anything about this one.
            provider_message_id="",
            delivery_status="",
            delivery_status_at=None,
        )
    )


def reminders_scrub_contact(contact_id: int) -> None:
    """A contact was erased: cancel what was not sent to them yet, and forget their address everywhere."""
    unsent = [ReminderStatus.PENDING, ReminderStatus.SENDING]
    rows = Reminder.objects.filter(contact_id=contact_id)
    rows.filter(status__in=unsent, send_started_at__isnull=True).update(
        status=ReminderStatus.CANCELLED, cancel_reason=CancelReason.ERASED, claimed_until=None
    )
    rows.update(email="", phone="")


def message_id(reminders: list[Reminder]) -> str:
    """The same Message-ID on every try of the same row (or digest of rows): a receiver may drop a copy.

    Derived from the rows' unique keys, so it says nothing a reader could not see in the email itself.
    """
    rows = sorted(reminders, key=lambda reminder: reminder.pk)
    keys = "|".join(f"{r.pk}:{r.kind}:{r.subject_type}:{r.subject_id}:{r.occurrence}:{r.recipient_key}" for r in rows)
    digest = hashlib.sha256(keys.encode()).hexdigest()[:16]
    kind = "reminder" if len(rows) == 1 else "digest"
    return f"<rekan.{kind}.{rows[0].pk}.{digest}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"
