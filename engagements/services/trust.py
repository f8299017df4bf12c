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

from accounts.models import User
from engagements.domain.trust import GENESIS, ChainedEntry, Verification, entry_hash, verify
from engagements.models import Partnership, TrustEntry


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
