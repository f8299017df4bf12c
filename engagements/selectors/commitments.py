"""Commitments as the pages read them: scoped to a partnership, a fixed number of queries whatever their number."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from engagements.domain.schedules import local_today, zone_of
from engagements.models import (
    CheckIn,
    CheckInLine,
    Commitment,
    CommitmentSide,
    CommitmentState,
    Confirmation,
    Partnership,
    TrustEntry,
)

SOON_DAYS = 7
# The filters of the lists, by due date; they apply to open commitments.
DUE_FILTERS = ("overdue", "soon", "later")
AWAITING = Q(state__in=[CommitmentState.KEPT, CommitmentState.KEPT_LATE], confirmation=Confirmation.PENDING)

RELATED = ("promised_by", "promised_to", "promised_by_contact", "check_in", "renegotiated_as")


def today_of(partnership: Partnership) -> datetime.date:
    """Today in the partnership's zone (reads partnership.schedule: select it along)."""
    return local_today(zone_of(partnership))


def _mark_late(commitments: Iterable[Commitment], today: datetime.date) -> None:
    for commitment in commitments:
        commitment.is_late = commitment.state == CommitmentState.OPEN and commitment.due_on < today


def commitments_of(
    partnership: Partnership,
    *,
    state: str = "",
    due: str = "",
    organization: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Commitment]:
    """The partnership's commitments, due first, filtered; the organization is the one that promised."""
    today = today or today_of(partnership)
    found = Commitment.objects.filter(partnership=partnership).select_related(*RELATED)
    if state == "awaiting":
        found = found.filter(AWAITING)
    elif state:
        found = found.filter(state=state)
    soon = today + datetime.timedelta(days=SOON_DAYS)
    if due == "overdue":
        found = found.filter(state=CommitmentState.OPEN, due_on__lt=today)
    elif due == "soon":
        found = found.filter(state=CommitmentState.OPEN, due_on__gte=today, due_on__lte=soon)
    elif due == "later":
        found = found.filter(state=CommitmentState.OPEN, due_on__gt=soon)
    if organization is not None:
        found = found.filter(promised_by_side=CommitmentSide.MEMBER, promised_by_id=organization)
    return found.order_by("due_on", "pk")


def page_of(commitments: list[Commitment], partnership: Partnership) -> list[Commitment]:
    """Mark the late ones of a page already read."""
    _mark_late(commitments, today_of(partnership))
    return commitments


def counts_of(partnership: Partnership, *, today: datetime.date | None = None) -> dict[str, int]:
    """The numbers of the badges, in one query."""
    today = today or today_of(partnership)
    is_open = Q(state=CommitmentState.OPEN)
    return Commitment.objects.filter(partnership=partnership).aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_on__lt=today)),
        awaiting=Count("pk", filter=AWAITING),
        kept=Count("pk", filter=Q(state__in=[CommitmentState.KEPT, CommitmentState.KEPT_LATE])),
        broken=Count("pk", filter=Q(state=CommitmentState.BROKEN)),
    )


def open_first(partnership: Partnership, *, limit: int = 5) -> list[Commitment]:
    """The next open commitments, for the partnership page's panel."""
    found = list(
        Commitment.objects.filter(partnership=partnership, state=CommitmentState.OPEN)
        .select_related(*RELATED)
        .order_by("due_on", "pk")[:limit]
    )
    return page_of(found, partnership)


def ours(partnership: Partnership, *, organizations: set[int], limit: int = 20) -> list[Commitment]:
    """What the viewer's groups promised in this partnership: open ones first, then the latest closed ones."""
    found = list(
        Commitment.objects.filter(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by_id__in=organizations,
        )
        .exclude(state__in=[CommitmentState.RENEGOTIATED, CommitmentState.WITHDRAWN])
        .select_related(*RELATED)
        .order_by("-state", "due_on", "pk")[:limit]
    )
    found.sort(key=lambda c: (c.state != CommitmentState.OPEN, c.due_on, c.pk))
    return page_of(found, partnership)


def needing_attention(*, user: User, today: datetime.date | None = None, limit: int = 30) -> list[Commitment]:
    """Open commitments of the facilitator's partnerships overdue or due within a week; kept ones to confirm."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    found = list(
        Commitment.objects.filter(partnership__facilitators=user)
        .filter(Q(state=CommitmentState.OPEN, due_on__lte=soon) | AWAITING)
        .select_related("partnership__schedule", *RELATED)
        .order_by("due_on", "pk")[:limit]
    )
    for commitment in found:
        _mark_late([commitment], today_of(commitment.partnership))
    return found


def earlier_versions(commitment: Commitment, *, limit: int = 20) -> list[Commitment]:
    """The commitments this one replaced by renegotiation, the latest first (one query a step, bounded)."""
    versions: list[Commitment] = []
    current = commitment
    while len(versions) < limit:
        previous = Commitment.objects.filter(renegotiated_as=current).first()
        if previous is None:
            break
        versions.append(previous)
        current = previous
    return versions


def log_of(commitment: Commitment, *, internal: bool) -> list[TrustEntry]:
    """The trust-log entries about this commitment, in order; internal texts are left out for partners."""
    entries = TrustEntry.objects.filter(
        partnership_id=commitment.partnership_id, subject_type="commitment", subject_id=commitment.pk
    ).select_related("recorded_by")
    if not internal:
        entries = entries.defer("internal_text")
    return list(entries.order_by("sequence"))


def check_in_lines(check_in: CheckIn, kind: str) -> list[str]:
    """The decisions or next steps of a check-in, one a line, numbered as the check-in page numbers them."""
    if kind == CheckInLine.NEXT_STEP:
        return check_in.next_step_lines()
    if kind == CheckInLine.DECISION:
        return [line.strip(" -•\t") for line in check_in.decisions.splitlines() if line.strip(" -•\t")]
    return []


@dataclass(frozen=True)
class CheckInLineCommitment:
    kind: str
    number: int
    text: str
    commitment: Commitment | None


def check_in_lines_of(check_in: CheckIn) -> dict[str, list[CheckInLineCommitment]]:
    """The decisions and next steps of a check-in, each with the commitment it became, if any (one query)."""
    made = {
        (c.source_line_kind, c.source_line): c
        for c in Commitment.objects.filter(check_in=check_in).exclude(source_line=None)
    }
    return {
        kind: [
            CheckInLineCommitment(kind, n, text, made.get((kind, n)))
            for n, text in enumerate(check_in_lines(check_in, kind))
        ]
        for kind in CheckInLine.values
    }


def for_print(partnership: Partnership, *, open_limit: int = 20, closed_limit: int = 10) -> list[Commitment]:
    """The printable summary's commitments: the open ones, due first, then the latest closed ones (two queries)."""
    found = Commitment.objects.filter(partnership=partnership).select_related(*RELATED)
    open_ones = list(found.filter(state=CommitmentState.OPEN).order_by("due_on", "pk")[:open_limit])
    closed = list(found.exclude(state=CommitmentState.OPEN).order_by("-due_on", "-pk")[:closed_limit])
    return page_of([*open_ones, *closed], partnership)
