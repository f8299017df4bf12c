"""The daily health snapshot: one score per live partnership per day, written once.

Safe to run twice, even at once: a second run on the same day inserts
nothing new (the unique (partnership, day) constraint, with conflicts
ignored). Partnerships are read in chunks, so that thousands cost a few
queries per chunk and little memory; a chunk that fails is retried one
partnership at a time, so that one bad row does not stop the rest.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from engagements.models import HealthSnapshot, Partnership, PartnershipStatus
from engagements.selectors.health import health_of

logger = logging.getLogger(__name__)

CHUNK = 500


def health_snapshot_all(*, day: datetime.date | None = None, chunk: int = CHUNK) -> int:
    """Write ``day``'s snapshot of every partnership not closed; returns how many rows were new."""
    day = day or timezone.localdate()
    written, after = 0, 0
    live = Partnership.objects.exclude(status=PartnershipStatus.CLOSED).order_by("pk")
    while True:
        partnerships = list(live.filter(pk__gt=after)[:chunk])
        if not partnerships:
            return written
        after = partnerships[-1].pk
        try:
            written += _snapshot(partnerships, day)
        except Exception:
            logger.exception("Health snapshot of a chunk failed; retrying its partnerships one by one.")
            for partnership in partnerships:
                try:
                    written += _snapshot([partnership], day)
                except Exception:
                    logger.exception("Health snapshot of partnership %s failed.", partnership.pk)


@transaction.atomic
def _snapshot(partnerships: list[Partnership], day: datetime.date) -> int:
    scores = health_of(partnerships, today=day)
    before = HealthSnapshot.objects.filter(partnership__in=partnerships, day=day).count()
    HealthSnapshot.objects.bulk_create(
        [HealthSnapshot(partnership_id=pk, day=day, score=score.value) for pk, score in scores.items()],
        ignore_conflicts=True,
    )
    return HealthSnapshot.objects.filter(partnership__in=partnerships, day=day).count() - before
