"""Work out and store each partnership's flags and live health score (``models.Standing``).

``standing_refresh`` computes them for a batch of partnerships, in a fixed
number of queries whatever the batch's size, and replaces what was stored
for them in one transaction. Safe to run twice at once: the standing rows
are upserted and the flag rows are unique per partnership and key, with
conflicts ignored, so two refreshes of the same partnership end with the
rows of the later one or of the earlier, never with both.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from engagements.models import HealthSnapshot, Partnership, PartnershipStatus, Standing, StandingFlag
from engagements.selectors.dashboard import FALL_DAYS, FALL_POINTS, LOW_SCORE
from engagements.selectors.health import health_of
from engagements.selectors.risks import flags_for

logger = logging.getLogger(__name__)

# Partnerships refreshed a chunk at a time by the beat task.
CHUNK = 200
# Rows older than this are refreshed by the page that finds them (beat refreshes every STANDING_REFRESH_SECONDS).
STALE_AFTER = datetime.timedelta(seconds=3 * settings.STANDING_REFRESH_SECONDS)
# At most this many of them a request, so that a page never computes a whole portfolio.
REFRESH_ON_VIEW = 50


def is_concerning(score: int | None, fell_by: int) -> bool:
    """Today's rule: a score under LOW_SCORE, or FALL_POINTS or more below the snapshot of FALL_DAYS ago."""
    return score is not None and (score < LOW_SCORE or fell_by >= FALL_POINTS)


def _with_score_then(partnerships: QuerySet[Partnership], today: datetime.date) -> list[Partnership]:
    then = HealthSnapshot.objects.filter(
        partnership=OuterRef("pk"), day__lte=today - datetime.timedelta(days=FALL_DAYS), score__isnull=False
    ).order_by("-day")
    return list(
        partnerships.annotate(
            score_then=Subquery(then.values("score")[:1]), score_then_on=Subquery(then.values("day")[:1])
        ).order_by("pk")
    )


@transaction.atomic
def standing_refresh(partnership_ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Work out the flags and score of these partnerships now and store them; returns how many were refreshed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    partnerships = _with_score_then(Partnership.objects.filter(pk__in=list(partnership_ids)), today)
    if not partnerships:
        return 0
    flags = flags_for(partnerships, now=now)
    scores = health_of(partnerships, today=today)
    standings: list[Standing] = []
    flag_rows: list[StandingFlag] = []
    for partnership in partnerships:
        active = [flag for flag in flags[partnership.pk] if flag.is_active]
        score = scores[partnership.pk].value
        # Annotations of ``_with_score_then``.
        then, then_on = getattr(partnership, "score_then", None), getattr(partnership, "score_then_on", None)
        fell_by = max(0, then - score) if then is not None and score is not None else 0
        standings.append(
            Standing(
                partnership_id=partnership.pk,
                score=score,
                score_then=then,
                score_then_on=then_on,
                fell_by=fell_by,
                concerning=is_concerning(score, fell_by),
                active_flags=len(active),
                refreshed_at=now,
            )
        )
        flag_rows.extend(StandingFlag(partnership_id=partnership.pk, key=f.key, since=f.since) for f in active)
    ids = [partnership.pk for partnership in partnerships]
    StandingFlag.objects.filter(partnership_id__in=ids).delete()
    StandingFlag.objects.bulk_create(flag_rows, ignore_conflicts=True)
    Standing.objects.bulk_create(
        standings,
        update_conflicts=True,
        unique_fields=["partnership"],
        update_fields=[
            "score",
            "score_then",
            "score_then_on",
            "fell_by",
            "concerning",
            "active_flags",
            "refreshed_at",
        ],
    )
    return len(partnerships)


def standing_refresh_all(*, chunk: int = CHUNK) -> int:
    """Every partnership that is not closed, a chunk at a time (the beat task); a failing chunk spares the rest."""
    refreshed, after = 0, 0
    live = Partnership.objects.exclude(status=PartnershipStatus.CLOSED).order_by("pk").values_list("pk", flat=True)
    while True:
        ids = list(live.filter(pk__gt=after)[:chunk])
        if not ids:
            return refreshed
        after = ids[-1]
        try:
            refreshed += standing_refresh(ids)
        except Exception:
            logger.exception("Refreshing the standing of partnerships %s to %s failed.", ids[0], ids[-1])


def standing_refresh_stale(
    *, partnerships: QuerySet[Partnership], now: datetime.datetime | None = None, limit: int = REFRESH_ON_VIEW
) -> int:
    """Refresh up to ``limit`` of these partnerships whose standing is missing or stale (one query when none is).

    For the pages that read standings across a portfolio (Today, the
    partnership list), so that a new partnership, a write since the last
    refresh (``standing_watch``) or a stopped beat never leaves them
    counting from nothing or from long ago.
    """
    now = now or timezone.now()
    stale = list(
        partnerships.filter(Q(standing__isnull=True) | Q(standing__refreshed_at__lt=now - STALE_AFTER))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return standing_refresh(stale, now=now) if stale else 0
