"""Today: what needs the facilitator across their partnerships, why, and who must act.

Eight kinds of things (``KINDS``), each shown on Today as its first
``LIMIT`` items with the number of all of them, and in full on its own
paginated list:

- **check-ins** whose reminder window opened: due soon, in their grace
  period, late or dormant (the schedule's stored dates, in its own zone);
- **commitments** open and due within a week or overdue, and kept ones
  waiting for the facilitator's confirmation;
- **activities** of the plans, open and due within a week or overdue, each
  with the member group the plan holds Accountable (RACI "A");
- **flags**: the automatic risk flags nobody has answered yet (neither
  acknowledged nor turned into a risk);
- **health**: partnerships whose score now is low, or fell by
  ``FALL_POINTS`` or more from the daily snapshot of 30 days ago;
- **leaders**: new leaders in member groups in the last ``LEADER_DAYS`` days;
- **updates**: what partner members did since the facilitator's last visit
  (marked a commitment kept, added goal progress, marked an activity done,
  answered a health check), read from the rows they wrote and the history;
- **follow-ups** noted on recent interactions with member groups.

Every kind costs a fixed number of queries whatever the number of
partnerships, and reads a bounded number of rows: each kind's first items
and its number up to ``COUNT_CAP`` ("99+" past it; the full list counts
all). Flags and health are counted and ordered from
the stored standings (``models.standing``: worked out every few minutes, at
once when a flag is answered) of the *watched* partnerships, that is every
partnership of the facilitator that is neither paused nor closed; the items
shown are worked out again from the facts (``selectors.risks.flags_for``,
``selectors.health.health_of``) for their partnerships only, so that what
the page says of them is true now. A paused partnership is on hold by
decision and a closed one is over; their own pages still show their flags
and health. The score is the live one, not last night's snapshot, so that a
broken promise this morning shows within minutes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    CharField,
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
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.localtime import readable_date
from accounts.models import User
from engagements.domain.health import HealthScore
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    CommitmentState,
    HealthCheckAnswer,
    HealthCheckSide,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    ProgressUpdate,
    Raci,
    Standing,
    StandingFlag,
    TodayVisit,
)
from engagements.selectors.checkins import schedules_due_now
from engagements.selectors.commitments import AWAITING, SOON_DAYS, today_of
from engagements.selectors.health import health_of
from engagements.selectors.risks import Flag, flags_for
from partners.models import Interaction, LeadershipTerm, OrganizationMember

# Items of each kind on Today; the full lists show PAGE_SIZE a page.
LIMIT = 10
PAGE_SIZE = 20
# Today counts each kind up to this many and then says "99+": a count that
# reads every due activity of 2,000 partnerships (7,700 at the bench's LARGE
# size) costs more than the rest of the page, and a number past 99 asks for
# the same next step. The full list (``today_list``) counts them all.
COUNT_CAP = 99
# A score under this, or a fall of this many points over FALL_DAYS, puts a partnership on Today.
LOW_SCORE = 50
FALL_POINTS = 10
FALL_DAYS = 30
LEADER_DAYS = 30
FOLLOW_UP_DAYS = 30
# On the very first visit there is no "last visit": what partners did in this many days is shown.
FIRST_VISIT_DAYS = 7
# Neither paused nor closed: the partnerships whose flags and health Today computes.
UNWATCHED = (PartnershipStatus.PAUSED, PartnershipStatus.CLOSED)


class Kind:
    CHECK_INS = "check-ins"
    COMMITMENTS = "commitments"
    ACTIVITIES = "activities"
    FLAGS = "flags"
    HEALTH = "health"
    LEADERS = "leaders"
    UPDATES = "updates"
    FOLLOW_UPS = "follow-ups"


KINDS = (
    Kind.CHECK_INS,
    Kind.COMMITMENTS,
    Kind.ACTIVITIES,
    Kind.FLAGS,
    Kind.HEALTH,
    Kind.LEADERS,
    Kind.UPDATES,
    Kind.FOLLOW_UPS,
)

HEADINGS: dict[str, Promise] = {
    Kind.CHECK_INS: gettext_lazy("Check-ins to hold"),
    Kind.COMMITMENTS: gettext_lazy("Commitments to follow up"),
    Kind.ACTIVITIES: gettext_lazy("Activities that are late or due this week"),
    Kind.FLAGS: gettext_lazy("New risk flags"),
    Kind.HEALTH: gettext_lazy("Low or falling health"),
    Kind.LEADERS: gettext_lazy("Leadership changes in member groups"),
    Kind.UPDATES: gettext_lazy("What partners did since your last visit"),
    Kind.FOLLOW_UPS: gettext_lazy("Follow-ups from recent interactions"),
}

# What to do when a kind has nothing: every empty state says the next step.
EMPTY: dict[str, Promise] = {
    Kind.CHECK_INS: gettext_lazy(
        "No check-in is due. Set a check-in rhythm on each partnership's page: Rekan reminds you when one comes due."
    ),
    Kind.COMMITMENTS: gettext_lazy(
        "No commitment is due this week or waiting for your confirmation. "
        "Record the promises made at meetings as commitments, so that they are followed up here."
    ),
    Kind.ACTIVITIES: gettext_lazy(
        "No activity is late or due this week. Give each activity of a plan a due date and one accountable member."
    ),
    Kind.FLAGS: gettext_lazy(
        "No new flag. A flag appears when a member group changes its leader, its funding becomes unstable, "
        "check-ins are missed, promises are broken or a group goes quiet."
    ),
    Kind.HEALTH: gettext_lazy(
        "No partnership has a low or falling health score. "
        "Keep logging check-ins, commitments and contacts: the score is made from them."
    ),
    Kind.LEADERS: gettext_lazy(
        "No member group has a new leader in the last 30 days. "
        "When you hear of one, record the new leader on the group's profile."
    ),
    Kind.UPDATES: gettext_lazy(
        "Nothing new from the partners. Invite the partner members of each group, "
        "so that they can mark their work done and add progress themselves."
    ),
    Kind.FOLLOW_UPS: gettext_lazy(
        "No follow-up was noted in the last 30 days. When you log a visit, call or meeting, note what comes next."
    ),
}


# The ids the first three sections had before the other kinds came, kept for the links and tests that know them.
HEADING_IDS = {
    Kind.CHECK_INS: "checkins-due-heading",
    Kind.COMMITMENTS: "commitments-due-heading",
    Kind.ACTIVITIES: "due-heading",
}


def count_label(kind: str, count: int) -> str:
    """The words beside a count at the top of Today."""
    labels = {
        Kind.CHECK_INS: ngettext("check-in to hold", "check-ins to hold", count),
        Kind.COMMITMENTS: ngettext("commitment to follow up", "commitments to follow up", count),
        Kind.ACTIVITIES: ngettext("activity late or due", "activities late or due", count),
        Kind.FLAGS: ngettext("new risk flag", "new risk flags", count),
        Kind.HEALTH: ngettext(
            "partnership with low or falling health", "partnerships with low or falling health", count
        ),
        Kind.LEADERS: ngettext("leadership change", "leadership changes", count),
        Kind.UPDATES: ngettext("update from partners", "updates from partners", count),
        Kind.FOLLOW_UPS: ngettext("follow-up to do", "follow-ups to do", count),
    }
    return labels[kind]


@dataclass
class Item:
    """One thing that needs the facilitator: what, where it is, who must act, and why."""

    kind: str
    title: str
    url: str  # the thing itself
    side: str  # who must act (for updates: who did it)
    side_url: str = ""  # the organization's profile, when the side is a member group
    place: str = ""  # the partnership (or group) it belongs to
    place_url: str = ""
    detail: str = ""  # why it is here, in words
    action: str = ""  # the next step, when it is another page than ``url``
    action_url: str = ""
    late: bool = False
    record: Any = None  # what the item was made from, for the badges


@dataclass
class Section:
    kind: str
    items: list[Item]
    count: int  # at most COUNT_CAP
    capped: bool = False  # there are more than ``count``

    @property
    def count_text(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)

    @property
    def heading(self) -> str:
        return str(HEADINGS[self.kind])

    @property
    def empty(self) -> str:
        return str(EMPTY[self.kind])

    @property
    def label(self) -> str:
        return count_label(self.kind, self.count)

    @property
    def list_url(self) -> str:
        return reverse("engagements:today_list", args=[self.kind])

    @property
    def heading_anchor(self) -> str:
        return HEADING_IDS.get(self.kind, f"today-{self.kind}-heading")

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


@dataclass
class TodayPage:
    sections: list[Section]
    since: datetime.datetime
    first_visit: bool
    by_kind: dict[str, Section] = field(init=False)

    def __post_init__(self) -> None:
        self.by_kind = {section.kind: section for section in self.sections}

    @property
    def is_empty(self) -> bool:
        return not any(section.count for section in self.sections)


# --- Words and links shared by the kinds ----------------------------------------


def _facilitating_side() -> str:
    return _("The facilitating side")


def _organization_url(organization_id: int | None, anchor: str = "") -> str:
    if organization_id is None:
        return ""
    url = reverse("partners:organization_detail", args=[organization_id])
    return f"{url}#{anchor}" if anchor else url


def _partnership_url(partnership_id: int, anchor: str = "") -> str:
    url = reverse("engagements:partnership_detail", args=[partnership_id])
    return f"{url}#{anchor}" if anchor else url


def _short(text: str, words: int = 16) -> str:
    return Truncator(text).words(words)


def _first_with_total(queryset: QuerySet, limit: int) -> tuple[list[Any], int, bool]:
    """The first ``limit`` rows, how many there are up to ``COUNT_CAP``, and whether there are more.

    Two queries whatever the data size, each reading a bounded number of
    rows: the first reads the keys of the first COUNT_CAP + 1 rows in the
    section's order (an index in that order stops there), the second joins
    the related rows of the ``limit`` shown, found through the primary key.
    A window count (``COUNT(*) OVER ()``) read every match instead: 18 ms for
    7,700 due activities, and 100 ms for 9,500 commitments when it also
    joined their related columns.
    """
    keys = list(queryset.values_list("pk", flat=True)[: COUNT_CAP + 1])
    shown = keys[:limit]
    # Never an empty ``__in``, which Django answers without asking: the query count stays the same.
    rows = {row.pk: row for row in queryset.filter(pk__in=shown or [0])}
    return [rows[pk] for pk in shown if pk in rows], min(len(keys), COUNT_CAP), len(keys) > COUNT_CAP


def _groups_of(user: User) -> QuerySet:
    """The member groups of the user's partnerships that are not closed, as a subquery of organization ids."""
    return (
        PartnershipMember.objects.filter(partnership__facilitators=user)
        .exclude(partnership__status=PartnershipStatus.CLOSED)
        .values("organization_id")
    )


# --- Check-ins -------------------------------------------------------------------------


def check_ins_due(user: User) -> QuerySet[CheckInSchedule]:
    """The schedules of the user's partnerships whose reminder window opened, the longest overdue first."""
    return (
        schedules_due_now()
        .filter(partnership__facilitators=user)
        .select_related("partnership")
        .order_by("due_on", "pk")
    )


def _check_in_items(schedules: list[CheckInSchedule]) -> list[Item]:
    items = []
    for schedule in schedules:
        partnership = schedule.partnership
        grace = ngettext(
            "Grace period: %(days)d day after the due date.",
            "Grace period: %(days)d days after the due date.",
            schedule.grace_days,
        ) % {"days": schedule.grace_days}
        items.append(
            Item(
                kind=Kind.CHECK_INS,
                title=partnership.title,
                url=_partnership_url(partnership.pk, "checkins-heading"),
                side=_facilitating_side(),
                detail=grace,
                action=_("Log a check-in"),
                action_url=reverse("engagements:check_in_create", args=[partnership.pk]),
                record=schedule,
            )
        )
    return items


# --- Commitments ---------------------------------------------------------------------


def commitments_due(user: User, *, today: datetime.date | None = None) -> QuerySet[Commitment]:
    """Open commitments overdue or due within a week, and kept ones to confirm (the rule of ``needing_attention``)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    return (
        Commitment.objects.filter(partnership__facilitators=user)
        .exclude(partnership__status=PartnershipStatus.CLOSED)
        .filter(Q(state=CommitmentState.OPEN, due_on__lte=soon) | AWAITING)
        .select_related("partnership__schedule", "promised_by", "promised_to", "promised_by_contact")
        .order_by("due_on", "pk")
    )


def _commitment_items(commitments: list[Commitment]) -> list[Item]:
    items = []
    for commitment in commitments:
        partnership = commitment.partnership
        commitment.is_late = commitment.state == CommitmentState.OPEN and commitment.due_on < today_of(partnership)
        if commitment.awaits_confirmation:
            # The promising group says it was kept: the facilitator confirms or disputes it.
            side, side_url = _facilitating_side(), ""
            detail = _("Marked kept: confirm it, or say why it does not look kept.")
        elif commitment.promised_by_side == CommitmentSide.FACILITATORS or commitment.promised_by is None:
            side, side_url = _facilitating_side(), ""
            detail = _("Due on %(date)s.") % {"date": readable_date(commitment.due_on)}
        else:
            side, side_url = commitment.promised_by.name, _organization_url(commitment.promised_by_id)
            detail = _("Due on %(date)s.") % {"date": readable_date(commitment.due_on)}
        items.append(
            Item(
                kind=Kind.COMMITMENTS,
                title=_short(commitment.text),
                url=reverse("engagements:commitment_detail", args=[partnership.pk, commitment.pk]),
                side=side,
                side_url=side_url,
                place=partnership.title,
                place_url=_partnership_url(partnership.pk),
                detail=detail,
                late=commitment.is_late,
                record=commitment,
            )
        )
    return items


# --- Activities ----------------------------------------------------------------------


def activities_due(user: User, *, today: datetime.date | None = None) -> QuerySet[Activity]:
    """Open activities overdue or due within a week, each with its Accountable group (two subqueries, no query)."""
    today = today or timezone.localdate()
    accountable = ActivityRole.objects.filter(activity=OuterRef("pk"), role=Raci.ACCOUNTABLE)
    return (
        Activity.objects.filter(
            partnership__facilitators=user,
            status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS],
            due_date__lte=today + datetime.timedelta(days=SOON_DAYS),
        )
        .exclude(partnership__status=PartnershipStatus.CLOSED)
        .select_related("partnership__schedule")
        .annotate(
            accountable_id=Subquery(accountable.values("member__organization_id")[:1]),
            accountable_name=Subquery(accountable.values("member__organization__name")[:1]),
        )
        .order_by("due_date", "pk")
    )


def _activity_items(activities: list[Activity]) -> list[Item]:
    items = []
    for activity in activities:
        partnership = activity.partnership
        assert activity.due_date is not None  # only dated activities are due
        activity.is_late = activity.due_date < today_of(partnership)
        action = action_url = ""
        # Annotations of ``activities_due``.
        accountable_id = getattr(activity, "accountable_id", None)
        if accountable_id is None:
            side = _("Nobody is accountable yet")
            action = _("Name the accountable member")
            action_url = reverse("engagements:activity_edit", args=[partnership.pk, activity.pk])
        else:
            side = getattr(activity, "accountable_name", "")
        items.append(
            Item(
                kind=Kind.ACTIVITIES,
                title=activity.title,
                url=reverse("engagements:plan", args=[partnership.pk]) + f"#activity-{activity.pk}",
                side=side,
                side_url=_organization_url(accountable_id),
                place=partnership.title,
                place_url=_partnership_url(partnership.pk),
                detail=_("Due on %(date)s.") % {"date": readable_date(activity.due_date)},
                action=action,
                action_url=action_url,
                late=activity.is_late,
                record=activity,
            )
        )
    return items


# --- Flags and health: counted from the stored standings, shown live -------------------


def watched(user: User) -> QuerySet[Partnership]:
    """The user's partnerships whose flags and health Today shows: neither paused nor closed."""
    return Partnership.objects.filter(facilitators=user).exclude(status__in=UNWATCHED)


def _watched(queryset: QuerySet, user: User) -> QuerySet:
    """Rows of the user's partnerships that are neither paused nor closed."""
    return queryset.filter(partnership__facilitators=user).exclude(partnership__status__in=UNWATCHED)


def new_flag_rows(user: User) -> QuerySet[StandingFlag]:
    """The stored unanswered flags of the watched partnerships, the newest first (those without a date first)."""
    return (
        _watched(StandingFlag.objects.all(), user)
        .select_related("partnership")
        .order_by(F("since").desc(nulls_first=True), "partnership_id", "key")
    )


def live_flags(rows: list[StandingFlag]) -> list[Flag]:
    """The flags behind these stored rows, worked out now for their partnerships (six queries).

    A flag answered or gone since the last refresh is left out: the page
    shows what is true now, the count catches up at the next refresh.
    """
    partnerships = {row.partnership_id: row.partnership for row in rows}
    found = {
        (flag.partnership_id, flag.key): flag
        for flags in flags_for(partnerships.values()).values()
        for flag in flags
        if flag.is_active
    }
    return [found[key] for key in ((row.partnership_id, row.key) for row in rows) if key in found]


def _flag_items(rows: list[StandingFlag]) -> list[Item]:
    titles = {row.partnership_id: row.partnership.title for row in rows}
    items = []
    for flag in live_flags(rows):
        pk = flag.partnership_id
        items.append(
            Item(
                kind=Kind.FLAGS,
                title=flag.label,
                url=reverse("engagements:risk_list", args=[pk]) + f"#flag-{flag.key}",
                side=_facilitating_side(),
                place=titles.get(pk, ""),
                place_url=_partnership_url(pk),
                detail=flag.explanation,
                action=_("Acknowledge it or turn it into a risk"),
                action_url=reverse("engagements:flag_acknowledge", args=[pk, flag.key]),
                record=flag,
            )
        )
    return items


@dataclass(frozen=True)
class HealthConcern:
    partnership: Partnership
    score: HealthScore
    then: int | None  # the score FALL_DAYS ago, from the snapshot
    then_on: datetime.date | None

    @property
    def fell_by(self) -> int:
        if self.then is None or self.score.value is None:
            return 0
        return max(0, self.then - self.score.value)


def concerning_standings(user: User) -> QuerySet[Standing]:
    """The watched partnerships whose stored score is low or fell far (``services.standing``), lowest first."""
    return (
        _watched(Standing.objects.filter(concerning=True), user)
        .select_related("partnership")
        .order_by("score", "-fell_by", "partnership_id")
    )


def live_concerns(standings: list[Standing]) -> list[HealthConcern]:
    """The concerns behind these stored rows, with the score worked out now (for its weakest part)."""
    scores = health_of([standing.partnership for standing in standings])
    return [
        HealthConcern(
            standing.partnership, scores[standing.partnership_id], standing.score_then, standing.score_then_on
        )
        for standing in standings
    ]


def _health_items(concerns: list[HealthConcern]) -> list[Item]:
    items = []
    for concern in concerns:
        partnership = concern.partnership
        reasons = []
        if concern.fell_by and concern.then_on is not None:
            reasons.append(
                _("Down %(points)d points from %(then)d on %(date)s.")
                % {"points": concern.fell_by, "then": concern.then, "date": readable_date(concern.then_on)}
            )
        weakest = min(concern.score.parts, key=lambda part: part.earned / part.weight, default=None)
        if weakest is not None:
            reasons.append(_("Weakest part: %(part)s. %(why)s") % {"part": weakest.label, "why": weakest.explanation})
        items.append(
            Item(
                kind=Kind.HEALTH,
                title=partnership.title,
                url=reverse("engagements:health_detail", args=[partnership.pk]),
                side=_facilitating_side(),
                place=partnership.title,
                place_url=_partnership_url(partnership.pk),
                detail=" ".join(reasons),
                record=concern,
            )
        )
    return items


# --- Leadership changes ------------------------------------------------------------------


def leadership_changes(user: User, *, today: datetime.date | None = None) -> QuerySet[LeadershipTerm]:
    """New leaders of the user's member groups in the last LEADER_DAYS days, the latest first.

    As the flags count it, the first leader Rekan learns of is no change: only
    a term that followed an earlier one.
    """
    today = today or timezone.localdate()
    earlier = LeadershipTerm.objects.filter(
        organization_id=OuterRef("organization_id"), started_on__lte=OuterRef("started_on")
    ).exclude(pk=OuterRef("pk"))
    membership = PartnershipMember.objects.filter(
        organization_id=OuterRef("organization_id"), partnership__facilitators=user
    ).exclude(partnership__status=PartnershipStatus.CLOSED)
    return (
        LeadershipTerm.objects.filter(
            organization_id__in=_groups_of(user),
            started_on__gte=today - datetime.timedelta(days=LEADER_DAYS),
            started_on__lte=today,
        )
        .filter(Exists(earlier))
        .select_related("organization", "leader")
        .annotate(
            partnership_id=Subquery(membership.order_by("partnership_id").values("partnership_id")[:1]),
            partnership_title=Subquery(membership.order_by("partnership_id").values("partnership__title")[:1]),
        )
        .order_by("-started_on", "-pk")
    )


def _leader_items(terms: list[LeadershipTerm]) -> list[Item]:
    items = []
    for term in terms:
        organization = term.organization
        leader = term.leader.name if term.leader.erased_at is None else _("a new leader")
        detail = _("%(leader)s has led the group since %(date)s.") % {
            "leader": f"{leader} ({term.title})" if term.title else leader,
            "date": readable_date(term.started_on),
        }
        partnership_id = getattr(term, "partnership_id", None)  # an annotation of ``leadership_changes``
        items.append(
            Item(
                kind=Kind.LEADERS,
                title=_("New leader in %(group)s") % {"group": organization.name},
                url=_organization_url(organization.pk, "timeline-heading"),
                side=_facilitating_side(),
                place=getattr(term, "partnership_title", None) or "",
                place_url=_partnership_url(partnership_id) if partnership_id else "",
                detail=detail + " " + _("Meet the new leader and go over the shared goals together."),
                record=term,
            )
        )
    return items


# --- What partners did since the last visit --------------------------------------------

# The columns every part of the union gives, in this order.
UPDATE_COLUMNS = (
    "u_kind",
    "u_item",
    "u_partnership",
    "u_partnership_title",
    "u_organization",
    "u_organization_name",
    "u_actor",
    "u_title",
    "u_goal",
    "u_moment",
)


class Update:
    KEPT = "kept"
    PROGRESS = "progress"
    DONE = "done"
    HEALTH_CHECK = "health_check"


def _by_partner(user_field: str) -> Exists:
    """The user in ``user_field`` signs in for a partner group (a partner member, not a facilitator)."""
    return Exists(OrganizationMember.objects.filter(user_id=OuterRef(user_field)))


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _no_number() -> Cast:
    return Cast(Value(None), IntegerField())


def _no_text() -> Cast:
    return Cast(Value(None), CharField())


def partner_updates(user: User, *, since: datetime.datetime) -> QuerySet:
    """What partner members did in the user's partnerships after ``since``: one union, the latest first.

    Rows of ``UPDATE_COLUMNS``: a commitment marked kept (by its promising
    group, awaiting confirmation or later confirmed), a progress update, an
    activity the history shows turned done, a health check answered (one row
    per round and group, whoever answered: the answers stay anonymous). The
    group of the partner who recorded progress or marked an activity done is
    looked up for the rows shown (``with_groups``), not in a subquery per row:
    correlated subqueries make PostgreSQL's estimate large enough to JIT-compile
    the union, which costs more than the query itself.
    """
    closed = PartnershipStatus.CLOSED
    kept = (
        Commitment.objects.filter(
            partnership__facilitators=user,
            marked_kept_at__gt=since,
            state__in=[CommitmentState.KEPT, CommitmentState.KEPT_LATE],
        )
        .exclude(partnership__status=closed)
        .filter(_by_partner("marked_kept_by"))
        .annotate(
            u_kind=_text(Update.KEPT),
            u_item=F("pk"),
            u_partnership=F("partnership_id"),
            u_partnership_title=F("partnership__title"),
            u_organization=F("promised_by_id"),
            u_organization_name=F("promised_by__name"),
            u_actor=F("marked_kept_by_id"),
            u_title=F("text"),
            u_goal=_no_number(),
            u_moment=F("marked_kept_at"),
        )
        .values(*UPDATE_COLUMNS)
        .order_by()
    )
    progress = (
        ProgressUpdate.objects.filter(goal__partnership__facilitators=user, recorded_at__gt=since)
        .exclude(goal__partnership__status=closed)
        .filter(_by_partner("recorded_by"))
        .annotate(
            u_kind=_text(Update.PROGRESS),
            u_item=F("pk"),
            u_partnership=F("goal__partnership_id"),
            u_partnership_title=F("goal__partnership__title"),
            u_organization=_no_number(),
            u_organization_name=_no_text(),
            u_actor=F("recorded_by_id"),
            u_title=F("goal__statement"),
            u_goal=F("goal_id"),
            u_moment=F("recorded_at"),
        )
        .values(*UPDATE_COLUMNS)
        .order_by()
    )
    history = Activity.history.model
    before = history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
        "-history_date", "-history_id"
    )
    done = (
        history.objects.filter(
            partnership__facilitators=user,
            history_type="~",
            status=ActivityStatus.DONE,
            history_date__gt=since,
        )
        .exclude(partnership__status=closed)
        .filter(_by_partner("history_user"))
        .annotate(status_before=Coalesce(Subquery(before.values("status")[:1]), _text("")))
        # A change that made it done, not a later edit of an activity already done.
        .exclude(status_before=ActivityStatus.DONE)
        .annotate(
            u_kind=_text(Update.DONE),
            u_item=F("id"),
            u_partnership=F("partnership_id"),
            u_partnership_title=F("partnership__title"),
            u_organization=_no_number(),
            u_organization_name=_no_text(),
            u_actor=F("history_user_id"),
            u_title=F("title"),
            u_goal=_no_number(),
            u_moment=F("history_date"),
        )
        .values(*UPDATE_COLUMNS)
        .order_by()
    )
    answered = (
        HealthCheckAnswer.objects.filter(
            round__partnership__facilitators=user, side=HealthCheckSide.MEMBER, answered_at__gt=since
        )
        .exclude(round__partnership__status=closed)
        .annotate(
            u_kind=_text(Update.HEALTH_CHECK),
            u_item=F("round_id"),
            u_partnership=F("round__partnership_id"),
            u_partnership_title=F("round__partnership__title"),
            u_organization=F("organization_id"),
            u_organization_name=F("organization__name"),
            u_actor=_no_number(),  # whoever answered: the answers stay anonymous
            u_title=_text(""),
            u_goal=_no_number(),
        )
        .values(*UPDATE_COLUMNS[:-1])
        .annotate(u_moment=Max("answered_at"))
        .values(*UPDATE_COLUMNS)
        .order_by()
    )
    return kept.union(progress, done, answered, all=True).order_by("-u_moment", "u_kind", "-u_item")


def _first_updates_with_total(updates: QuerySet, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
    """The first ``limit`` rows of ``partner_updates``, their number up to ``COUNT_CAP``, and whether there are more.

    A union cannot be annotated, so the window count goes around it in SQL,
    over its first COUNT_CAP + 1 rows; the union is worked out once instead
    of twice (once for the rows, once for ``count()``).
    """
    union = updates.order_by()
    union.query.clear_ordering(force=True)
    sql, params = union.query.sql_with_params()
    columns = ", ".join(f"u.{column}" for column in UPDATE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, COUNT(*) OVER () FROM ("  # noqa: S608 (Django's own SQL, with parameters)
            f"SELECT * FROM ({sql}) a ORDER BY a.u_moment DESC, a.u_kind, a.u_item DESC LIMIT %s"
            ") u ORDER BY u.u_moment DESC, u.u_kind, u.u_item DESC LIMIT %s",
            [*params, COUNT_CAP + 1, limit],
        )
        found = cursor.fetchall()
    # What the ORM does to a moment read from the database (SQLite answers text): the same datetimes.
    moment = Value(None, output_field=DateTimeField())
    converters = connection.ops.get_db_converters(moment)
    rows = []
    for row in found:
        update = dict(zip(UPDATE_COLUMNS, row[:-1], strict=True))
        for converter in converters:
            update["u_moment"] = converter(update["u_moment"], moment, connection)
        rows.append(update)
    total = found[0][-1] if found else 0
    return rows, min(total, COUNT_CAP), total > COUNT_CAP


UPDATE_WORDS = {
    Update.KEPT: gettext_lazy("Marked the commitment kept."),
    Update.PROGRESS: gettext_lazy("Added progress on the goal."),
    Update.DONE: gettext_lazy("Marked the activity done."),
    Update.HEALTH_CHECK: gettext_lazy("Answered the health check."),
}


def with_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill in the member group each partner who did something signs in for, in that partnership (one query)."""
    wanted = [row for row in rows if row["u_organization"] is None and row["u_actor"] is not None]
    # Never an empty ``__in``, which Django answers without asking: the query count stays the same.
    partnerships = {row["u_partnership"] for row in wanted} or {0}
    actors = {row["u_actor"] for row in wanted} or {0}
    groups: dict[tuple[int, int], tuple[int, str]] = {}
    for partnership, actor, organization, name in (
        PartnershipMember.objects.filter(partnership_id__in=partnerships, organization__members__user_id__in=actors)
        .order_by("organization_id")
        .values_list("partnership_id", "organization__members__user_id", "organization_id", "organization__name")
    ):
        groups.setdefault((partnership, actor), (organization, name))
    for row in wanted:
        row["u_organization"], row["u_organization_name"] = groups.get(
            (row["u_partnership"], row["u_actor"]), (None, None)
        )
    return rows


def _update_url(row: dict[str, Any]) -> str:
    partnership = row["u_partnership"]
    if row["u_kind"] == Update.KEPT:
        return reverse("engagements:commitment_detail", args=[partnership, row["u_item"]])
    if row["u_kind"] == Update.PROGRESS:
        return reverse("engagements:goal_detail", args=[partnership, row["u_goal"]]) + "#progress-heading"
    if row["u_kind"] == Update.DONE:
        return reverse("engagements:plan", args=[partnership]) + f"#activity-{row['u_item']}"
    return reverse("engagements:health_check_results", args=[partnership, row["u_item"]])


def _update_items(rows: list[dict[str, Any]]) -> list[Item]:
    items = []
    for row in with_groups(rows):
        kind = row["u_kind"]
        title = _("Health check") if kind == Update.HEALTH_CHECK else _short(row["u_title"])
        items.append(
            Item(
                kind=Kind.UPDATES,
                title=title,
                url=_update_url(row),
                side=row["u_organization_name"] or _("A partner member"),
                side_url=_organization_url(row["u_organization"]),
                place=row["u_partnership_title"],
                place_url=_partnership_url(row["u_partnership"]),
                detail=str(UPDATE_WORDS[kind]),
                record=row,
            )
        )
    return items


def since_last_visit(user: User, *, now: datetime.datetime | None = None) -> tuple[datetime.datetime, bool]:
    """Where "since your last visit" starts, read without recording a visit (one query); True on a first visit."""
    visit = TodayVisit.objects.filter(user=user).first()
    return since_from(visit.previous_at if visit else None, now=now)


def since_from(
    previous_at: datetime.datetime | None, *, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, bool]:
    if previous_at is not None:
        return previous_at, False
    return (now or timezone.now()) - datetime.timedelta(days=FIRST_VISIT_DAYS), True


# --- Follow-ups ------------------------------------------------------------------------


def follow_ups(user: User, *, today: datetime.date | None = None) -> QuerySet[Interaction]:
    """Interactions of the last FOLLOW_UP_DAYS days with the user's member groups that noted a follow-up."""
    today = today or timezone.localdate()
    return (
        Interaction.objects.filter(
            organization_id__in=_groups_of(user),
            occurred_on__gte=today - datetime.timedelta(days=FOLLOW_UP_DAYS),
        )
        .exclude(follow_up="")
        .select_related("organization", "recorded_by")
        .order_by("-occurred_on", "-pk")
    )


def _follow_up_items(interactions: list[Interaction]) -> list[Item]:
    items = []
    for interaction in interactions:
        organization = interaction.organization
        by = interaction.recorded_by
        side = (by.get_full_name() or by.username) if by is not None else _facilitating_side()
        detail = _("%(kind)s on %(date)s: %(summary)s") % {
            "kind": interaction.get_kind_display(),
            "date": readable_date(interaction.occurred_on),
            "summary": _short(interaction.summary, 24),
        }
        items.append(
            Item(
                kind=Kind.FOLLOW_UPS,
                title=_short(interaction.follow_up, 24),
                url=_organization_url(organization.pk, "timeline-heading"),
                side=side,
                place=organization.name,
                place_url=_organization_url(organization.pk),
                detail=detail,
                record=interaction,
            )
        )
    return items


# --- The page and the lists ------------------------------------------------------------


def today_page(*, user: User, since: datetime.datetime, first_visit: bool = False, limit: int = LIMIT) -> TodayPage:
    """Every kind's first ``limit`` items and count, in a fixed number of queries whatever the data size."""
    today = timezone.localdate()
    sections = []
    for kind, queryset, build in (
        (Kind.CHECK_INS, check_ins_due(user), _check_in_items),
        (Kind.COMMITMENTS, commitments_due(user, today=today), _commitment_items),
        (Kind.ACTIVITIES, activities_due(user, today=today), _activity_items),
    ):
        rows, count, capped = _first_with_total(queryset, limit)
        sections.append(Section(kind, build(rows), count, capped))
    rows, count, capped = _first_with_total(new_flag_rows(user), limit)
    sections.append(Section(Kind.FLAGS, _flag_items(rows), count, capped))
    rows, count, capped = _first_with_total(concerning_standings(user), limit)
    sections.append(Section(Kind.HEALTH, _health_items(live_concerns(rows)), count, capped))
    rows, count, capped = _first_with_total(leadership_changes(user, today=today), limit)
    sections.append(Section(Kind.LEADERS, _leader_items(rows), count, capped))
    rows, count, capped = _first_updates_with_total(partner_updates(user, since=since), limit)
    sections.append(Section(Kind.UPDATES, _update_items(rows), count, capped))
    rows, count, capped = _first_with_total(follow_ups(user, today=today), limit)
    sections.append(Section(Kind.FOLLOW_UPS, _follow_up_items(rows), count, capped))
    return TodayPage(sections, since=since, first_visit=first_visit)


@dataclass
class TodayList:
    kind: str
    page: Page
    items: list[Item]

    @property
    def heading(self) -> str:
        return str(HEADINGS[self.kind])

    @property
    def empty(self) -> str:
        return str(EMPTY[self.kind])


def today_list(*, user: User, kind: str, page: str | int | None, since: datetime.datetime) -> TodayList:
    """One kind in full, PAGE_SIZE a page; the items are built for the page shown only."""
    today = timezone.localdate()
    sources: dict[str, tuple[Callable[[], QuerySet], Callable[[list[Any]], list[Item]]]] = {
        Kind.CHECK_INS: (lambda: check_ins_due(user), _check_in_items),
        Kind.COMMITMENTS: (lambda: commitments_due(user, today=today), _commitment_items),
        Kind.ACTIVITIES: (lambda: activities_due(user, today=today), _activity_items),
        Kind.FLAGS: (lambda: new_flag_rows(user), _flag_items),
        Kind.HEALTH: (lambda: concerning_standings(user), lambda rows: _health_items(live_concerns(rows))),
        Kind.LEADERS: (lambda: leadership_changes(user, today=today), _leader_items),
        Kind.UPDATES: (lambda: partner_updates(user, since=since), _update_items),
        Kind.FOLLOW_UPS: (lambda: follow_ups(user, today=today), _follow_up_items),
    }
    source, build = sources[kind]
    shown = Paginator(source(), PAGE_SIZE).get_page(page)
    return TodayList(kind, shown, build(list(shown.object_list)))
