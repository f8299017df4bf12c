"""The risk register as the pages read it, and the automatic flags, computed from the facts when asked.

Flags are not stored. ``flags_for`` reads what partners and engagements
already know (leaders, funding, interactions, the check-in rhythm, the
commitments and when the trust log says they were closed) for many
partnerships at once, in a fixed number of queries however many there are,
and says in plain words what it saw. What is stored is a facilitator's answer
to a flag: an acknowledgement, or the risk it became; both are attached here.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.localtime import readable_date
from engagements.domain import risks as rules
from engagements.domain.schedules import State, state_of
from engagements.models import (
    CheckInSchedule,
    Commitment,
    CommitmentState,
    FlagAcknowledgement,
    FlagKind,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Risk,
    RiskOwnerSide,
    RiskStatus,
    TrustEntry,
    TrustEntryKind,
)
from engagements.models.risks import OPEN_STATUSES
from partners.models import FundingStability, Interaction, LeadershipTerm, Organization

# No key is ever this: it keeps an ``__in`` list from being empty, which Django
# answers without asking the database, so that the query count stays the same.
NO_KEY = "-"
# Far enough back to come before any recorded change.
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# A risk made from a flag is to be looked at again after this many days.
REVIEW_AFTER_DAYS = 30


@dataclass
class Flag:
    """One occurrence of a condition worth a facilitator's attention, in one partnership."""

    key: str
    kind: str
    partnership_id: int
    explanation: str
    url: str  # where the fact behind it is seen
    since: datetime.date | None = None
    organization: Organization | None = None
    acknowledgement: FlagAcknowledgement | None = None
    risk: Risk | None = None

    @property
    def label(self) -> str:
        return str(FlagKind(self.kind).label)

    @property
    def is_active(self) -> bool:
        """Nobody has answered it yet: neither acknowledged nor turned into a risk."""
        return self.acknowledgement is None and self.risk is None


def _organization_url(organization: Organization) -> str:
    return reverse("partners:organization_detail", args=[organization.pk])


def _memberships(ids: list[int]) -> list[PartnershipMember]:
    """The member groups, each with its last interaction and the moment its funding became what it is (one query)."""
    historical = Organization.history.model
    current = OuterRef("organization__funding_stability")
    changed_away = (
        historical.objects.filter(id=OuterRef("organization_id"))
        .exclude(funding_stability=current)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    became = (
        historical.objects.filter(
            id=OuterRef("organization_id"), funding_stability=current, history_date__gt=OuterRef("funding_away")
        )
        .order_by("history_date")
        .values("history_date")[:1]
    )
    last_contact = (
        Interaction.objects.filter(organization_id=OuterRef("organization_id"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return list(
        PartnershipMember.objects.filter(partnership_id__in=ids)
        .select_related("organization")
        .annotate(
            last_contact=Subquery(last_contact),
            funding_away=Coalesce(Subquery(changed_away), Value(EPOCH, output_field=DateTimeField())),
            funding_since=Subquery(became),
        )
        .order_by("partnership_id", "organization__name", "pk")
    )


def _new_leaders(organization_ids: set[int], earliest: datetime.date) -> dict[int, LeadershipTerm]:
    """Each group's newest term started since ``earliest`` that followed an earlier one (one query).

    The first leader Rekan learns of is no change: only a term with a
    predecessor counts.
    """
    before = LeadershipTerm.objects.filter(
        organization_id=OuterRef("organization_id"), started_on__lte=OuterRef("started_on")
    ).exclude(pk=OuterRef("pk"))
    terms = (
        LeadershipTerm.objects.filter(organization_id__in=list(organization_ids) or [0], started_on__gte=earliest)
        .filter(Exists(before))
        .order_by("organization_id", "-started_on", "-pk")
    )
    newest: dict[int, LeadershipTerm] = {}
    for term in terms:
        newest.setdefault(term.organization_id, term)
    return newest


@dataclass(frozen=True)
class _CommitmentRecord:
    closed: int
    broken: int
    last_broken: int | None


def _commitment_records(ids: list[int], since: datetime.datetime) -> dict[int, _CommitmentRecord]:
    """Per partnership: commitments kept or broken since ``since`` by the trust log's word (one query).

    The log says when a commitment was closed; the commitment row does not.
    Withdrawn and renegotiated ones were neither kept nor broken.
    """
    ended = [CommitmentState.KEPT, CommitmentState.KEPT_LATE, CommitmentState.BROKEN]
    closing = TrustEntry.objects.filter(
        partnership_id=OuterRef("partnership_id"),
        subject_type="commitment",
        subject_id=OuterRef("pk"),
        kind__in=[
            TrustEntryKind.COMMITMENT_KEPT,
            TrustEntryKind.COMMITMENT_KEPT_LATE,
            TrustEntryKind.COMMITMENT_BROKEN,
        ],
        happened_at__gte=since,
    )
    broken = Q(state=CommitmentState.BROKEN)
    rows = (
        Commitment.objects.filter(partnership_id__in=ids, state__in=ended)
        .filter(Exists(closing))
        .values("partnership_id")
        .annotate(closed=Count("pk"), broken=Count("pk", filter=broken), last_broken=Max("pk", filter=broken))
        .order_by()
    )
    return {row["partnership_id"]: _CommitmentRecord(row["closed"], row["broken"], row["last_broken"]) for row in rows}


def _leader_flag(partnership: Partnership, member: PartnershipMember, term: LeadershipTerm) -> Flag:
    organization = member.organization
    return Flag(
        key=rules.flag_key(FlagKind.LEADER_CHANGE, term.pk),
        kind=FlagKind.LEADER_CHANGE,
        partnership_id=partnership.pk,
        explanation=_(
            "%(group)s has had a new leader since %(date)s. A change of leadership can shift the partnership: "
            "meet the new leader and go over the shared goals together."
        )
        % {"group": organization.name, "date": readable_date(term.started_on)},
        url=_organization_url(organization),
        since=term.started_on,
        organization=organization,
    )


def _funding_flag(partnership: Partnership, member: PartnershipMember) -> Flag:
    organization = member.organization
    moment = getattr(member, "funding_since", None) or organization.created_at
    since = timezone.localdate(moment)
    facts = {"group": organization.name, "date": readable_date(since)}
    if organization.funding_stability == FundingStability.NONE:
        explanation = _("%(group)s has had no funding since %(date)s, as recorded on its profile.") % facts
    else:
        explanation = (
            _("The funding of %(group)s has been irregular since %(date)s, as recorded on its profile.") % facts
        )
    return Flag(
        key=rules.flag_key(FlagKind.UNSTABLE_FUNDING, organization.pk, organization.funding_stability, moment),
        kind=FlagKind.UNSTABLE_FUNDING,
        partnership_id=partnership.pk,
        explanation=explanation + " " + _("Unstable funding can threaten what the group has taken on."),
        url=_organization_url(organization),
        since=since,
        organization=organization,
    )


def _quiet_flag(partnership: Partnership, member: PartnershipMember, last: datetime.date, never: bool) -> Flag:
    organization = member.organization
    facts = {"group": organization.name, "date": readable_date(last)}
    explanation = (
        _("No visit, call, meeting or message with %(group)s has been recorded since it joined on %(date)s.")
        if never
        else _("No visit, call, meeting or message with %(group)s has been recorded since %(date)s.")
    ) % facts
    return Flag(
        key=rules.flag_key(FlagKind.QUIET_GROUP, organization.pk, last),
        kind=FlagKind.QUIET_GROUP,
        partnership_id=partnership.pk,
        explanation=explanation,
        url=_organization_url(organization),
        since=last,
        organization=organization,
    )


def _check_in_flag(partnership: Partnership, schedule: CheckInSchedule) -> Flag:
    last = schedule.last_held_on or schedule.starts_on
    assert schedule.dormant_from is not None  # a dormant schedule has its derived dates
    return Flag(
        key=rules.flag_key(FlagKind.NO_CHECK_IN, schedule.dormant_from),
        kind=FlagKind.NO_CHECK_IN,
        partnership_id=partnership.pk,
        explanation=_(
            "No check-in since %(date)s: two check-ins in a row have been missed, and the partnership has been "
            "dormant since %(dormant)s."
        )
        % {"date": readable_date(last), "dormant": readable_date(schedule.dormant_from)},
        url=reverse("engagements:partnership_detail", args=[partnership.pk]) + "#checkins-heading",
        since=last,
    )


def _commitments_flag(partnership: Partnership, record: _CommitmentRecord) -> Flag:
    explanation = ngettext(
        "%(broken)d of the %(closed)d commitment closed in the last %(days)d days was not kept.",
        "%(broken)d of the %(closed)d commitments closed in the last %(days)d days were not kept.",
        record.closed,
    ) % {"broken": record.broken, "closed": record.closed, "days": rules.BROKEN_WINDOW_DAYS}
    return Flag(
        key=rules.flag_key(FlagKind.BROKEN_COMMITMENTS, record.last_broken),
        kind=FlagKind.BROKEN_COMMITMENTS,
        partnership_id=partnership.pk,
        explanation=explanation + " " + _("Talk about what gets in the way before making new promises."),
        url=reverse("engagements:commitment_list", args=[partnership.pk]) + "?state=broken",
    )


def flags_for(partnerships: Iterable[Partnership], *, now: datetime.datetime | None = None) -> dict[int, list[Flag]]:
    """Per partnership (by pk), its automatic flags now, each with its acknowledgement and risk if any.

    Six queries whatever the number of partnerships (none for none): the
    schedules, the member groups (with their last interaction and funding
    history), the new leaders, the closed commitments, the acknowledgements
    and the risks made from flags. A closed partnership raises no flag.
    """
    partnerships = list(partnerships)
    found: dict[int, list[Flag]] = {partnership.pk: [] for partnership in partnerships}
    live = [p for p in partnerships if p.status != PartnershipStatus.CLOSED]
    if not live:
        return found
    now = now or timezone.now()
    ids = [partnership.pk for partnership in live]
    schedules = {s.partnership_id: s for s in CheckInSchedule.objects.filter(partnership_id__in=ids)}
    # Each partnership's today, in its own zone (WIB, WITA, WIT).
    todays = {
        pk: timezone.localtime(
            now, zoneinfo.ZoneInfo(schedules[pk].time_zone if pk in schedules else settings.TIME_ZONE)
        ).date()
        for pk in ids
    }
    memberships = _memberships(ids)
    earliest = min(todays.values()) - datetime.timedelta(days=rules.LEADER_CHANGE_DAYS)
    leaders = _new_leaders({m.organization_id for m in memberships}, earliest)
    window = now - datetime.timedelta(days=rules.BROKEN_WINDOW_DAYS)
    records = _commitment_records(ids, window)

    members_of: dict[int, list[PartnershipMember]] = {pk: [] for pk in ids}
    for member in memberships:
        members_of[member.partnership_id].append(member)
    for partnership in live:
        flags, day = found[partnership.pk], todays[partnership.pk]
        for member in members_of[partnership.pk]:
            term = leaders.get(member.organization_id)
            if term is not None and rules.leader_change_is_recent(term.started_on, day):
                flags.append(_leader_flag(partnership, member, term))
        for member in members_of[partnership.pk]:
            if rules.funding_is_unstable(member.organization.funding_stability):
                flags.append(_funding_flag(partnership, member))
        schedule = schedules.get(partnership.pk)
        if partnership.status != PartnershipStatus.PAUSED and state_of(schedule, today=day) == State.DORMANT:
            assert schedule is not None
            flags.append(_check_in_flag(partnership, schedule))
        record = records.get(partnership.pk)
        if record is not None and rules.too_many_broken(record.closed, record.broken):
            flags.append(_commitments_flag(partnership, record))
        for member in members_of[partnership.pk]:
            last_contact = getattr(member, "last_contact", None)
            last = last_contact or member.joined_on
            if rules.group_is_quiet(last, day):
                flags.append(_quiet_flag(partnership, member, last, never=last_contact is None))
    _attach_answers(ids, found)
    return found


def _attach_answers(ids: list[int], found: dict[int, list[Flag]]) -> None:
    """Each flag's acknowledgement and the risk made from it (two queries)."""
    keys = [flag.key for flags in found.values() for flag in flags] or [NO_KEY]
    acknowledgements = {
        (a.partnership_id, a.flag_key): a
        for a in FlagAcknowledgement.objects.filter(partnership_id__in=ids, flag_key__in=keys).select_related(
            "acknowledged_by"
        )
    }
    made = {
        (r.partnership_id, r.from_flag): r
        for r in Risk.objects.filter(partnership_id__in=ids, from_flag__in=keys).order_by("created_at", "pk")
    }
    for flags in found.values():
        for flag in flags:
            flag.acknowledgement = acknowledgements.get((flag.partnership_id, flag.key))
            flag.risk = made.get((flag.partnership_id, flag.key))


def flags_of(partnership: Partnership, *, now: datetime.datetime | None = None) -> list[Flag]:
    return flags_for([partnership], now=now)[partnership.pk]


def initial_risk_for(flag: Flag, *, today: datetime.date | None = None) -> dict[str, object]:
    """What the risk form starts with when a flag becomes a risk: the facilitator changes what they like."""
    today = today or timezone.localdate()
    title = f"{flag.label}: {flag.organization.name}" if flag.organization is not None else flag.label
    return {
        "category": rules.CATEGORY_OF_FLAG[FlagKind(flag.kind)],
        "title": title[:200],
        "description": flag.explanation,
        "owner_side": RiskOwnerSide.MEMBER if flag.organization is not None else RiskOwnerSide.FACILITATORS,
        "owner_organization": flag.organization.pk if flag.organization is not None else None,
        "review_on": today + datetime.timedelta(days=REVIEW_AFTER_DAYS),
    }


# --- The register ------------------------------------------------------------------


# Severity, as the database computes it to sort and count.
SCORE = F("likelihood") * F("impact")


def risks_of(partnership: Partnership, *, internal: bool = True) -> QuerySet[Risk]:
    """The register: open and mitigating risks first, the most severe first, then the closed ones."""
    found = Risk.objects.filter(partnership=partnership).annotate(score=SCORE).select_related("owner_organization")
    if not internal:
        found = found.defer("internal_notes")
    closed_last = Case(When(status=RiskStatus.CLOSED, then=1), default=0, output_field=IntegerField())
    return found.order_by(closed_last, "-score", F("review_on").asc(nulls_last=True), "-pk")


def summary_of(partnership: Partnership) -> dict[str, int]:
    """The open (and mitigating) risks by band, and how many are closed, in one query."""
    is_open = Q(status__in=OPEN_STATUSES)
    return (
        Risk.objects.filter(partnership=partnership)
        .annotate(score=SCORE)
        .aggregate(
            open=Count("pk", filter=is_open),
            high=Count("pk", filter=is_open & Q(score__gte=rules.HIGH_FROM)),
            medium=Count("pk", filter=is_open & Q(score__gt=rules.LOW_UP_TO, score__lt=rules.HIGH_FROM)),
            low=Count("pk", filter=is_open & Q(score__lte=rules.LOW_UP_TO)),
            closed=Count("pk", filter=Q(status=RiskStatus.CLOSED)),
        )
    )
