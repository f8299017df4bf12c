"""Writing and checking the trust log.

Entries are appended by explicit calls from the services where things happen
(never by signals). Appends to one partnership's log are serialised by a row
lock on the partnership, so the chain has no forks even when two requests
write at once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.domain.trust import GENESIS, ChainedEntry, Verification, entry_hash, verify
from engagements.errors import EngagementRuleError
from engagements.models import Partnership, TrustEntry, TrustEntryKind


@transaction.atomic
def trust_entry_append(
    *,
    partnership: Partnership,
    kind: str,
    user: User | None = None,
    happened_at: datetime.datetime | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    shared_text: str = "",
    internal_text: str = "",
    corrects: TrustEntry | None = None,
) -> TrustEntry:
    """Add one entry at the end of the partnership's chain."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = TrustEntry.objects.filter(partnership=partnership).order_by("-sequence").values("sequence", "hash").first()
    entry = TrustEntry(
        partnership=partnership,
        sequence=(last["sequence"] + 1) if last else 1,
        kind=kind,
        happened_at=happened_at or timezone.now(),
        recorded_at=timezone.now().replace(microsecond=0),
        recorded_by=user,
        subject_type=subject_type,
        subject_id=subject_id,
        shared_text=shared_text.strip(),
        internal_text=internal_text.strip(),
        corrects=corrects,
        previous_hash=last["hash"] if last else GENESIS,
    )
    entry.full_clean(exclude=["hash", "previous_hash"])
    entry.hash = entry_hash(entry.chained_content(), entry.previous_hash)
    entry.save(force_insert=True)
    return entry


def trust_log_verify(*, partnership: Partnership) -> Verification:
    """Recompute the partnership's chain from the stored rows; memory stays flat whatever its length."""
    entries = TrustEntry.objects.filter(partnership=partnership).order_by("sequence").iterator(chunk_size=500)
    return verify(
        ChainedEntry(pk=entry.pk, content=entry.chained_content(), previous_hash=entry.previous_hash, hash=entry.hash)
        for entry in entries
    )


def trust_log_length(*, partnership: Partnership) -> int:
    return TrustEntry.objects.filter(partnership=partnership).aggregate(last=Max("sequence"))["last"] or 0


# What a facilitator may add by hand; everything else is written by the services where it happens.
HAND_KINDS = (
    TrustEntryKind.BUDGET_SHARED,
    TrustEntryKind.REPORT_SHARED,
    TrustEntryKind.OPEN_MEETING,
    TrustEntryKind.CONFLICT_RAISED,
    TrustEntryKind.CONFLICT_RESOLVED,
    TrustEntryKind.OTHER,
)


def _check_texts(shared_text: str, internal_text: str) -> None:
    if not shared_text.strip() and not internal_text.strip():
        raise EngagementRuleError(_("Write a shared text, an internal text, or both."))


@transaction.atomic
def trust_entry_add(
    *,
    user: User,
    partnership: Partnership,
    kind: str,
    happened_at: datetime.datetime,
    shared_text: str = "",
    internal_text: str = "",
) -> TrustEntry:
    """An entry a facilitator writes by hand: a transparency act, a conflict, something else."""
    if kind not in HAND_KINDS:
        raise EngagementRuleError(_("This kind of entry is written by Rekan itself, not by hand."))
    if happened_at > timezone.now() + datetime.timedelta(minutes=5):
        raise EngagementRuleError(_("The log records what has happened: the date cannot be in the future."))
    _check_texts(shared_text, internal_text)
    return trust_entry_append(
        partnership=partnership,
        kind=kind,
        user=user,
        happened_at=happened_at,
        shared_text=shared_text,
        internal_text=internal_text,
    )


@transaction.atomic
def trust_entry_correct(*, user: User, entry: TrustEntry, shared_text: str = "", internal_text: str = "") -> TrustEntry:
    """A correction: a new entry pointing at the one it corrects, which stays as it was."""
    _check_texts(shared_text, internal_text)
    return trust_entry_append(
        partnership=entry.partnership,
        kind=TrustEntryKind.CORRECTION,
        user=user,
        shared_text=shared_text,
        internal_text=internal_text,
        corrects=entry,
    )
