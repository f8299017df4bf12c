"""Reading the trust log: who sees which entries, what each entry is about, and one page of the timeline.

Entries store no names. What an entry is about is read from its subject when
it is shown (a plan revision, a check-in, a membership, a commitment), so an
erased contact or a renamed group reads the same everywhere, and a removed
record reads as such, without an UPDATE of the log.

Leadership changes in member groups are not stored in the log at all. The
partners app must never import engagements, so nothing there can append an
entry when a group records a new leader; instead this module reads the
member groups' leadership terms that started while they were members, and
merges them into the timeline as derived lines at display time. They are
marked as such and are not part of the hash chain.
"""

from __future__ import annotations

import datetime
import math
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_facilitator
from engagements.domain.schedules import zone_of
from engagements.domain.trust import Verification
from engagements.models import CheckIn, Commitment, Partnership, PartnershipMember, PlanRevision, TrustEntry
from engagements.services.trust import trust_log_verify
from partners.models import LeadershipTerm

PAGE_SIZE = 50

# An entry with internal text and no shared text is for facilitators only;
# every other entry (the system's, which have no text, and any with shared
# text) is shared with the partner members of the partnership.
INTERNAL_ONLY = Q(shared_text="") & ~Q(internal_text="")


def entries_visible_to(user: User, partnership: Partnership) -> QuerySet[TrustEntry]:
    """The partnership's entries this user may read (the partnership itself is already checked)."""
    entries = TrustEntry.objects.filter(partnership=partnership)
    return entries if is_facilitator(user) else entries.exclude(INTERNAL_ONLY)


@dataclass(frozen=True)
class Subject:
    label: str
    url: str = ""


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page another domain has not built (yet)
        return ""


def _among(records: QuerySet, ids: set[int], key: str = "pk") -> QuerySet:
    """The records of these ids; for many ids (an export), all of the partnership's, which is no larger a read."""
    return records.filter(**{f"{key}__in": ids}) if len(ids) <= 500 else records


def _revisions(partnership: Partnership, ids: set[int]) -> dict[int, Subject]:
    plan = _url("engagements:plan", partnership.pk)
    rows = _among(PlanRevision.objects.filter(partnership=partnership), ids).values_list("pk", "number")
    return {pk: Subject(_("Revision %(number)s") % {"number": number}, plan) for pk, number in rows}


def _check_ins(partnership: Partnership, ids: set[int]) -> dict[int, Subject]:
    rows = _among(CheckIn.objects.filter(partnership=partnership), ids).only("pk", "channel")
    return {
        row.pk: Subject(row.get_channel_display(), _url("engagements:check_in_detail", partnership.pk, row.pk))
        for row in rows
    }


def _members(partnership: Partnership, ids: set[int]) -> dict[int, Subject]:
    # The membership's history outlives the row: a group that left is still named.
    history = PartnershipMember.history.filter(partnership_id=partnership.pk)
    rows = _among(history, ids, key="id").order_by("id", "-history_id").values_list("id", "organization__name")
    names: dict[int, str] = {}
    for pk, name in rows:
        if name:
            names.setdefault(pk, name)
    return {pk: Subject(name) for pk, name in names.items()}


def _commitments(partnership: Partnership, ids: set[int]) -> dict[int, Subject]:
    rows = _among(Commitment.objects.filter(partnership=partnership), ids).values_list("pk", "text")
    return {
        pk: Subject(
            text if len(text) <= 80 else text[:79] + "…", _url("engagements:commitment_detail", partnership.pk, pk)
        )
        for pk, text in rows
    }


# subject_type -> (load the subjects of these ids, what a subject reads when its record is gone)
SUBJECTS: dict[str, tuple[Callable[[Partnership, set[int]], dict[int, Subject]], Callable[[], str]]] = {
    "revision": (_revisions, lambda: _("a revision no longer kept")),
    "check_in": (_check_ins, lambda: _("a check-in since removed")),
    "member": (_members, lambda: _("a former member")),
    "commitment": (_commitments, lambda: _("a commitment since removed")),
}


def attach_subjects(partnership: Partnership, entries: Iterable[TrustEntry], *, every_kind: bool = False) -> None:
    """Set ``entry.subject`` on each entry: one query per kind of subject among them.

    With ``every_kind``, one query per kind whether or not the entries are
    about it (no record has the id 0): a page that shows the latest few
    entries then costs the same queries whatever the log holds.
    """
    entries = list(entries)
    wanted: dict[str, set[int]] = {kind: {0} for kind in SUBJECTS} if every_kind else {}
    for entry in entries:
        if entry.subject_type in SUBJECTS and entry.subject_id is not None:
            wanted.setdefault(entry.subject_type, set()).add(entry.subject_id)
    found = {kind: SUBJECTS[kind][0](partnership, ids) for kind, ids in wanted.items()}
    for entry in entries:
        subject: Subject | None = None
        if entry.subject_type in SUBJECTS and entry.subject_id is not None:
            subject = found[entry.subject_type].get(entry.subject_id) or Subject(SUBJECTS[entry.subject_type][1]())
        entry.subject = subject  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LeadershipLine:
    """A member group's new leader, read from the group's profile; not an entry of the chain."""

    term: LeadershipTerm
    happened_at: datetime.datetime
    is_leadership: bool = True


def leadership_lines(
    partnership: Partnership, *, after: datetime.datetime | None = None, until: datetime.datetime | None = None
) -> list[LeadershipLine]:
    """Leadership terms of member groups that started while they were members, in (after, until]; one query."""
    zone = zoneinfo.ZoneInfo(zone_of(partnership))
    terms = LeadershipTerm.objects.filter(
        organization__partnership_memberships__partnership=partnership,
        started_on__gte=F("organization__partnership_memberships__joined_on"),
    )
    if after is not None:
        terms = terms.filter(started_on__gte=timezone.localtime(after, zone).date())
    if until is not None:
        terms = terms.filter(started_on__lte=timezone.localtime(until, zone).date())
    lines = []
    for term in terms.select_related("organization", "leader").order_by("-started_on", "-pk"):
        moment = datetime.datetime.combine(term.started_on, datetime.time.min, tzinfo=zone)
        if (after is None or moment > after) and (until is None or moment <= until):
            lines.append(LeadershipLine(term=term, happened_at=moment))
    return lines


@dataclass
class TrustLogPage:
    lines: list[TrustEntry | LeadershipLine]
    number: int
    num_pages: int
    count: int  # entries this viewer sees
    verification: Verification
    first_broken_sequence: int | None = None
    entries: list[TrustEntry] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def _attach_corrections(user: User, partnership: Partnership, entries: list[TrustEntry]) -> None:
    """Set ``entry.shown_corrections``: the corrections of these entries the user may read, oldest first."""
    by_original: dict[int, list[TrustEntry]] = {entry.pk: [] for entry in entries}
    if by_original:
        corrections = entries_visible_to(user, partnership).filter(corrects__in=list(by_original))
        for correction in corrections.order_by("sequence"):
            by_original[correction.corrects_id].append(correction)  # type: ignore[index]
    for entry in entries:
        entry.shown_corrections = by_original[entry.pk]  # type: ignore[attr-defined]


def trust_log_page(*, user: User, partnership: Partnership, page: int = 1) -> TrustLogPage:
    """One page of the timeline, newest first, with the chain's verdict.

    A fixed number of queries whatever the length of the log: the count, the
    page (with the entry just before it, whose moment bounds the page's
    leadership lines), the corrections of its entries, one per kind of
    subject whether or not the page has one, the leadership terms, and one streaming pass over the chain.
    """
    entries = entries_visible_to(user, partnership)
    count = entries.count()
    num_pages = max(1, math.ceil(count / PAGE_SIZE))
    number = min(max(page, 1), num_pages)
    start = (number - 1) * PAGE_SIZE
    ordered = entries.select_related("recorded_by", "corrects").order_by("-happened_at", "-sequence")
    rows = list(ordered[max(start - 1, 0) : start + PAGE_SIZE])
    boundary = rows.pop(0) if start > 0 and rows else None
    attach_subjects(partnership, rows, every_kind=True)
    _attach_corrections(user, partnership, rows)
    after = rows[-1].happened_at if rows and number < num_pages else None
    until = boundary.happened_at if boundary is not None else None
    lines: list[TrustEntry | LeadershipLine] = [*rows, *leadership_lines(partnership, after=after, until=until)]
    # Stable sort: at the same moment an entry stays above the group's line.
    lines.sort(key=lambda line: line.happened_at, reverse=True)
    verification = trust_log_verify(partnership=partnership)
    result = TrustLogPage(
        lines=lines, number=number, num_pages=num_pages, count=count, verification=verification, entries=rows
    )
    if verification.first_broken is not None:
        result.first_broken_sequence = (
            TrustEntry.objects.filter(pk=verification.first_broken).values_list("sequence", flat=True).first()
        )
    return result


def entries_for_export(*, user: User, partnership: Partnership) -> list[TrustEntry]:
    """Every entry the user may read, oldest first, with its subject and the number of the entry it corrects."""
    entries = list(entries_visible_to(user, partnership).select_related("corrects").order_by("sequence"))
    attach_subjects(partnership, entries, every_kind=True)
    return entries


def latest_shared_entries(*, user: User, partnership: Partnership, limit: int = 20) -> list[TrustEntry]:
    """The latest entries the user may read, newest first, for the printable summary (shared texts only).

    The internal text is not even read: a printed page leaves Rekan, whoever prints it.
    """
    entries = list(
        entries_visible_to(user, partnership)
        .exclude(INTERNAL_ONLY)
        .defer("internal_text")
        .select_related("corrects")
        .order_by("-happened_at", "-sequence")[:limit]
    )
    attach_subjects(partnership, entries, every_kind=True)
    return entries
