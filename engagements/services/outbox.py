"""The reminder outbox: insert once, claim with a lease, send, stamp.

The database is the source of truth. The sweep inserts one row per
(subject, occurrence, recipient, kind): the UNIQUE constraint makes a second
insert a no-op, so sweeps may run twice at once. Delivery claims a batch of
rows (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers) by
stamping a lease and a claim token; a row whose lease expired (its worker
died) is claimed again. "Sent" is stamped only by the holder of the claim.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.db import connection, transaction
from django.db.models import Case, F, PositiveSmallIntegerField, Q, When
from django.utils import timezone

from engagements.models import Reminder, ReminderStatus

logger = logging.getLogger(__name__)


LEASE = datetime.timedelta(minutes=5)


BATCH_SIZE = 50


MAX_ATTEMPTS = 5


# Minutes to wait after the 1st, 2nd, 3rd... failure.
BACKOFF_MINUTES = (1, 5, 15, 60)


ABANDONED = "The worker stopped while sending (its lease expired)."


ROW_FIELDS = (
    ("partnership_id", "bigint"),
    ("kind", "text"),
    ("subject_type", "text"),
    ("subject_id", "bigint"),
    ("occurrence", "text"),
    ("recipient_key", "text"),
    ("user_id", "bigint"),
    ("contact_id", "bigint"),
    ("email", "text"),
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
    email: str
    language: str
    digest: bool
    due_on: datetime.date


def reminders_insert(rows: Iterable[ReminderRow], *, now: datetime.datetime | None = None) -> int:
    """Insert the rows that do not exist yet, in ONE statement whatever their number."""
    payload = [{name: row.get(name) for name, _ in ROW_FIELDS} for row in rows]
    if not payload:
        return 0
    # One order for every sweep: two sweeps at once then wait for each other instead of deadlocking.
    payload.sort(key=lambda r: (r["subject_type"], r["subject_id"], r["occurrence"], r["recipient_key"], r["kind"]))
    for row in payload:
        due_on = row["due_on"]
        row["due_on"] = due_on.isoformat() if isinstance(due_on, datetime.date) else None
    columns = ", ".join(name for name, _ in ROW_FIELDS)
    fixed = "status, attempts, next_attempt_at, claim_token, last_error, created_at"
    stamp = connection.ops.adapt_datetimefield_value(now or timezone.now())
    table = Reminder._meta.db_table
    if connection.vendor == "postgresql":
        record = ", ".join(f"{name} {kind}" for name, kind in ROW_FIELDS)
        sql = (
            f"INSERT INTO {table} ({columns}, {fixed}) "
            f"SELECT {columns}, 'pending', 0, %s, '', '', %s FROM json_to_recordset(%s::json) AS r({record}) "
            "ON CONFLICT DO NOTHING"
        )
    else:
        extracted = ", ".join(f"json_extract(value, '$.{name}')" for name, _ in ROW_FIELDS)
        # "WHERE true" lets SQLite tell the upsert clause from a join.
        sql = (
            f"INSERT INTO {table} ({columns}, {fixed}) "
            f"SELECT {extracted}, 'pending', 0, %s, '', '', %s FROM json_each(%s) WHERE true "
            "ON CONFLICT DO NOTHING"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, stamp, json.dumps(payload)])
        return cursor.rowcount


def _claimable(now: datetime.datetime) -> Q:
    waiting = Q(status=ReminderStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=ReminderStatus.SENDING, claimed_until__lt=now)
    return waiting | abandoned


def deliverable_exists(*, digest: bool = False) -> bool:
    return Reminder.objects.filter(_claimable(timezone.now()), digest=digest).exists()


@dataclass
class Claim:
    token: str
    reminders: list[Reminder]


def reminders_claim(*, limit: int = BATCH_SIZE, lease: datetime.timedelta = LEASE, digest: bool = False) -> Claim:
    """Take up to ``limit`` rows for this worker until the lease runs out."""
    now = timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        # An expired lease means a worker stopped while sending: that counts
        # as an attempt, so a row that keeps killing workers ends up failed
        # instead of being claimed again forever.
        Reminder.objects.filter(
            status=ReminderStatus.SENDING, claimed_until__lt=now, attempts__gte=MAX_ATTEMPTS - 1, digest=digest
        ).update(status=ReminderStatus.FAILED, attempts=F("attempts") + 1, claimed_until=None, last_error=ABANDONED)
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), digest=digest)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(
                attempts=Case(
                    When(status=ReminderStatus.SENDING, then=F("attempts") + 1),
                    default=F("attempts"),
                    output_field=PositiveSmallIntegerField(),
                ),
                status=ReminderStatus.SENDING,
                claimed_until=now + lease,
                claim_token=token,
            )
    reminders = list(
        Reminder.objects.filter(pk__in=ids, claim_token=token).select_related("partnership", "user", "contact")
    )
    return Claim(token, reminders)


def reminder_renew(reminder: Reminder, token: str, lease: datetime.timedelta = LEASE) -> bool:
    """Extend the lease just before sending; False if the claim was lost.

    A slow SMTP server can make a batch outlast its lease; without this check
    another worker would reclaim the rest of the batch and both would send.
    """
    return bool(
        Reminder.objects.filter(pk=reminder.pk, claim_token=token, status=ReminderStatus.SENDING).update(
            claimed_until=timezone.now() + lease
        )
    )


def reminder_mark_sent(reminder: Reminder, token: str) -> bool:
    """Compare-and-set on the claim token: only the holder stamps "sent"."""
    updated = Reminder.objects.filter(pk=reminder.pk, claim_token=token, status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
        # The try that succeeded counts too: "attempts" is what was tried.
        attempts=F("attempts") + 1,
    )
    if not updated:
        # Our lease ran out and another worker claimed the row: the one
        # tolerated duplicate (accepted by the server, "sent" not committed).
        logger.warning("Reminder %s was sent after its lease expired; it may have gone out twice.", reminder.pk)
    return bool(updated)


def reminder_mark_failed(reminder: Reminder, token: str, error: str) -> None:
    attempts = reminder.attempts + 1
    changes: dict[str, object]
    if attempts >= MAX_ATTEMPTS:
        changes = {"status": ReminderStatus.FAILED}
    else:
        wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
        changes = {
            "status": ReminderStatus.PENDING,
            "next_attempt_at": timezone.now() + datetime.timedelta(minutes=wait),
        }
    Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(
        attempts=attempts, claimed_until=None, last_error=error[:2000], **changes
    )
    logger.warning("Reminder %s failed (attempt %s): %s", reminder.pk, attempts, error)


def reminder_retry(reminder: Reminder) -> None:
    """A facilitator or admin asks for a failed reminder to be sent again."""
    Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.FAILED).update(
        status=ReminderStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
