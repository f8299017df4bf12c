"""Demo partnerships and check-in rhythms for `make run`: fictional work between the demo organizations.

Everything in ``partnerships.json`` and ``check_ins.json`` is made up. Dates
are offsets in days from today (negative is in the past), so the demo always
looks current: some activities are overdue, some are due within two weeks,
some are done, one check-in is late. Loading is idempotent: a partnership
whose title is already there is skipped, and so is a partnership that already
has a check-in schedule.

Every write goes through ``engagements.services``; only the timestamps those
services stamp as "now" (status changes, agreed revisions, progress
recorded-at, member joined-on) are moved back afterwards, as
``partners.demo.loader`` does for stage changes.

``partnerships.json`` is a list of partnerships, each an object with
``title``, ``purpose``, ``shared_notes``, ``internal_notes``, the offsets
``created``, ``start`` and ``end``, and (choices as their stored values,
decimals as strings):

- ``members``: ``{alias: {"organization": name, "role": MemberRole,
  "joined": offset}}``; the aliases name the members in goals and activities
- ``statuses``: ``[{"offset": int, "status": PartnershipStatus, "reason":
  str}]``, oldest first, from "exploring"
- ``goals``: ``[{"statement", "indicator", "baseline", "target", "unit",
  "start", "target_date", "benefits", "progress"}]``; ``baseline`` and
  ``target`` are decimal strings, ``start`` and ``target_date`` offsets,
  ``benefits`` is ``{alias: what they gain}``, ``progress`` is
  ``[{"offset": int, "value": decimal string, "note": shared note}]``
- ``activities``: ``[{"title", "goal", "due", "status", "roles",
  "description"?, "shared_notes"?, "internal_notes"?, "phase"?}]``; ``goal``
  is an index into ``goals`` (or null); ``due`` an offset; ``roles`` is
  ``{alias: "R" | "A" | "C" | "I" | {"role": letter, "contact": contact
  name}}`` with exactly one "A"; ``status`` (ActivityStatus) is the status
  when the last revision was agreed; ``phase`` is the revision the activity
  first appears in (default 0, the first)
- ``revisions``: ``[{"offset": int, "summary": str}]``, oldest first; each
  freezes the plan as it stood then
- ``changes``: made after the last revision, so the plan page shows them:
  ``{"activity": title, "due": offset}``, ``{"activity": title, "status":
  ActivityStatus}``, ``{"activity": title, "roles": {...}}`` or ``{"add":
  activity}``

``check_ins.json`` maps a partnership title to its rhythm: ``{"cadence":
Cadence, "interval": int, "days_ago": days since the last check-in,
"channel": CheckInChannel, "summary": summary of that check-in}``.

``commitments.json`` maps a partnership title to its promises and its trust
log (``demo_commitments_load``): ``commitments`` is ``[{"by": alias or null
(the facilitating side), "to": alias or null (all members), "text", "made":
offset, "due": offset, "outcome": CommitmentState, "reason"?, "new_due"?}]``
(a renegotiated one gets ``new_due``; kept ones are kept today, so "kept"
needs a due date from today on and "kept_late" one in the past); ``log`` is
``[{"kind": a hand-written TrustEntryKind, "offset", "shared", "internal"?}]``;
``correction`` is ``{"of": index into log, "shared"}``; ``leadership``
(optional) is ``{"member": alias, "name", "title", "days_ago"}``, a new leader
recorded through the partners service, which the trust log shows at read
time. The trust log is append-only: entries are written with their
``happened_at`` and never moved afterwards; what the commitment services
stamp "now" (their log entries, the day marked kept) stays "now".
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.models import (
    Activity,
    ActivityStatus,
    CheckIn,
    CheckInSchedule,
    Commitment,
    CommitmentAudience,
    CommitmentSide,
    CommitmentState,
    Partnership,
    PartnershipMember,
    PlanRevision,
    ProgressUpdate,
    SharedGoal,
    StatusChange,
)
from partners.demo.loader import demo_data_load
from partners.demo.users import DEMO_FACILITATOR, demo_users_create
from partners.models import Contact, LeadershipTerm, Organization
from partners.services import leadership_change

PARTNERSHIPS_FILE = Path(__file__).with_name("partnerships.json")
CHECK_INS_FILE = Path(__file__).with_name("check_ins.json")
COMMITMENTS_FILE = Path(__file__).with_name("commitments.json")
NEXT_STEPS = "Kirim notulen ke grup WhatsApp\nKonfirmasi tanggal pertemuan berikutnya"


def demo_partnerships() -> list[dict[str, Any]]:
    """The demo partnerships as ``partnerships.json`` describes them."""
    return json.loads(PARTNERSHIPS_FILE.read_text(encoding="utf-8"))


def demo_check_in_rhythms() -> dict[str, dict[str, Any]]:
    """The demo check-in rhythms by partnership title, as ``check_ins.json`` describes them."""
    return json.loads(CHECK_INS_FILE.read_text(encoding="utf-8"))


def demo_partnerships_load(*, user: User | None = None) -> int:
    """Load the demo partnerships that are not there yet; return how many were loaded.

    Recorded as the demo facilitator unless another user is given. Loads the
    demo users and organizations first if they are missing.
    """
    if user is None:
        user = User.objects.filter(username=DEMO_FACILITATOR).first()
    if user is None:
        demo_users_create()
        user = User.objects.get(username=DEMO_FACILITATOR)
    partnerships = demo_partnerships()
    needed = {member["organization"] for data in partnerships for member in data["members"].values()}
    if Organization.objects.filter(name__in=needed).exclude(mission="").count() < len(needed):
        demo_data_load(user=user)
    today = timezone.localdate()
    loaded = 0
    for data in partnerships:
        with transaction.atomic():
            if Partnership.objects.filter(title=data["title"]).exists():
                continue
            _partnership_load(data, user=user, today=today)
            loaded += 1
    return loaded


@transaction.atomic
def demo_check_ins_load(*, user: User) -> int:
    """Give the demo partnerships their check-in rhythms; a partnership that already has a schedule is left alone."""
    rhythms = demo_check_in_rhythms()
    loaded = 0
    for partnership in Partnership.objects.filter(title__in=rhythms, schedule__isnull=True):
        rhythm = rhythms[partnership.title]
        days_ago = rhythm["days_ago"]
        held_at = timezone.now() - datetime.timedelta(days=days_ago, hours=2)
        schedule = CheckInSchedule(
            partnership=partnership,
            cadence=rhythm["cadence"],
            interval=rhythm["interval"],
            channel=rhythm["channel"],
            starts_on=timezone.localdate() - datetime.timedelta(days=days_ago + 30),
            paused=partnership.status == "paused",
        )
        services.checkins.schedule_save(user=user, schedule=schedule)
        check_in = CheckIn(
            partnership=partnership, held_at=held_at, channel=rhythm["channel"], summary=rhythm["summary"]
        )
        check_in.next_steps = NEXT_STEPS
        services.checkins.check_in_record(user=user, check_in=check_in)
        loaded += 1
    return loaded


def demo_commitments_load(*, user: User) -> int:
    """Give the demo partnerships their commitments and trust logs; a partnership with commitments is left alone."""
    specs = json.loads(COMMITMENTS_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    loaded = 0
    for partnership in Partnership.objects.filter(title__in=specs).order_by("pk"):
        with transaction.atomic():
            if partnership.commitments.exists():
                continue
            _commitments_load(partnership, specs[partnership.title], user=user, today=today)
            loaded += 1
    return loaded


def _commitments_load(partnership: Partnership, data: dict[str, Any], *, user: User, today: datetime.date) -> None:
    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    aliases = demo_aliases(partnership.title)
    organizations = {alias: Organization.objects.get(name=name) for alias, name in aliases.items()}
    if spec := data.get("leadership"):
        organization = organizations[spec["member"]]
        started_on = day(-spec["days_ago"])
        if not LeadershipTerm.objects.filter(organization=organization, started_on=started_on).exists():
            leadership_change(
                user=user,
                organization=organization,
                leader=None,
                new_leader_name=spec["name"],
                started_on=started_on,
                title=spec["title"],
            )
    # The hand-written entries first, oldest first, each with the day it happened.
    entries = [
        services.trust.trust_entry_add(
            user=user,
            partnership=partnership,
            kind=spec["kind"],
            happened_at=_moment(day(spec["offset"])),
            shared_text=spec.get("shared", ""),
            internal_text=spec.get("internal", ""),
        )
        for spec in data["log"]
    ]
    for spec in data["commitments"]:
        _commitment_load(partnership, spec, organizations, user=user, day=day)
    if correction := data.get("correction"):
        services.trust.trust_entry_correct(user=user, entry=entries[correction["of"]], shared_text=correction["shared"])


def _commitment_load(
    partnership: Partnership,
    spec: dict[str, Any],
    organizations: dict[str, Organization],
    *,
    user: User,
    day: Callable[[int], datetime.date],
) -> None:
    by, to = spec["by"], spec["to"]
    commitment = services.commitments.commitment_make(
        user=user,
        commitment=Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER if by else CommitmentSide.FACILITATORS,
            promised_by=organizations[by] if by else None,
            promised_to_side=CommitmentAudience.MEMBER if to else CommitmentAudience.ALL_MEMBERS,
            promised_to=organizations[to] if to else None,
            text=spec["text"],
            due_on=day(spec["due"]),
        ),
    )
    # The commitment itself is not part of the log: the day it was made may move back.
    Commitment.objects.filter(pk=commitment.pk).update(created_at=_moment(day(spec["made"])))
    outcome, reason = spec["outcome"], spec.get("reason", "")
    if outcome in (CommitmentState.KEPT, CommitmentState.KEPT_LATE):
        services.commitments.commitment_mark_kept(user=user, commitment=commitment)
    elif outcome == CommitmentState.BROKEN:
        services.commitments.commitment_mark_broken(user=user, commitment=commitment, reason=reason)
    elif outcome == CommitmentState.WITHDRAWN:
        services.commitments.commitment_withdraw(user=user, commitment=commitment, reason=reason)
    elif outcome == CommitmentState.RENEGOTIATED:
        services.commitments.commitment_renegotiate(
            user=user, commitment=commitment, due_on=day(spec["new_due"]), reason=reason
        )


def demo_aliases(title: str) -> dict[str, str]:
    """The member aliases of a demo partnership (as ``partnerships.json`` names them) and their organizations."""
    for data in demo_partnerships():
        if data["title"] == title:
            return {alias: member["organization"] for alias, member in data["members"].items()}
    return {}


def _partnership_load(data: dict[str, Any], *, user: User, today: datetime.date) -> None:
    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    partnership = services.partnerships.partnership_save(
        user=user,
        partnership=Partnership(
            title=data["title"],
            purpose=data["purpose"],
            shared_notes=data["shared_notes"],
            internal_notes=data["internal_notes"],
            start_date=day(data["start"]),
            end_date=day(data["end"]),
            created_at=_moment(day(data["created"])),
        ),
    )

    members: dict[str, PartnershipMember] = {}
    for alias, spec in data["members"].items():
        organization = Organization.objects.get(name=spec["organization"])
        member = services.partnerships.member_add(partnership=partnership, organization=organization, role=spec["role"])
        PartnershipMember.objects.filter(pk=member.pk).update(joined_on=day(spec["joined"]))
        members[alias] = member

    for spec in data["statuses"]:
        change = services.partnerships.partnership_set_status(
            user=user, partnership=partnership, status=spec["status"], reason=spec["reason"]
        )
        StatusChange.objects.filter(pk=change.pk).update(changed_at=_moment(day(spec["offset"])))

    goals = []
    for spec in data["goals"]:
        goal = services.goals.goal_save(
            user=user,
            goal=SharedGoal(
                partnership=partnership,
                statement=spec["statement"],
                success_indicator=spec["indicator"],
                baseline=Decimal(spec["baseline"]),
                target=Decimal(spec["target"]),
                unit=spec["unit"],
                start_date=day(spec["start"]),
                target_date=day(spec["target_date"]),
                created_at=_moment(day(spec["start"])),
            ),
            benefits={members[alias]: text for alias, text in spec["benefits"].items()},
        )
        for progress in spec["progress"]:
            measured_on = day(progress["offset"])
            update = services.goals.progress_record(
                user=user, goal=goal, value=Decimal(progress["value"]), measured_on=measured_on, note=progress["note"]
            )
            ProgressUpdate.objects.filter(pk=update.pk).update(recorded_at=_moment(measured_on))
        goals.append(goal)

    def activity_add(spec: dict[str, Any], status: str) -> Activity:
        roles, contacts = _roles(spec["roles"], members)
        return services.plans.activity_save(
            user=user,
            activity=Activity(
                partnership=partnership,
                goal=goals[spec["goal"]] if spec.get("goal") is not None else None,
                title=spec["title"],
                description=spec.get("description", ""),
                due_date=day(spec["due"]),
                status=status,
                shared_notes=spec.get("shared_notes", ""),
                internal_notes=spec.get("internal_notes", ""),
            ),
            roles=roles,
            contacts=contacts,
        )

    # The plan grows revision by revision: activities start out planned, and
    # reach the status they have in the data by the last agreed revision.
    revisions = data["revisions"]
    last_phase = max(0, len(revisions) - 1)
    activities: dict[str, Activity] = {}
    for phase in range(last_phase + 1):
        if phase == last_phase:
            for spec in data["activities"]:
                activity = activities.get(spec["title"])
                if activity is not None and activity.status != spec["status"]:
                    services.plans.activity_set_status(user=user, activity=activity, status=spec["status"])
        for spec in data["activities"]:
            if spec.get("phase", 0) == phase:
                status = spec["status"] if phase == last_phase else ActivityStatus.PLANNED
                activities[spec["title"]] = activity_add(spec, status)
        if revisions:
            revision = services.plans.plan_agree(
                user=user, partnership=partnership, summary=revisions[phase]["summary"]
            )
            PlanRevision.objects.filter(pk=revision.pk).update(agreed_at=_moment(day(revisions[phase]["offset"])))

    for change in data["changes"]:
        if "add" in change:
            activities[change["add"]["title"]] = activity_add(change["add"], change["add"]["status"])
            continue
        activity = activities[change["activity"]]
        if "status" in change:
            services.plans.activity_set_status(user=user, activity=activity, status=change["status"])
        if "due" in change:
            activity.due_date = day(change["due"])
            services.plans.activity_save(user=user, activity=activity, changed_fields=["due_date"])
        if "roles" in change:
            roles, contacts = _roles(change["roles"], members)
            services.plans.activity_save(
                user=user, activity=activity, roles=roles, contacts=contacts, changed_fields=["roles"]
            )


def _roles(
    spec: dict[str, str | dict[str, str]], members: dict[str, PartnershipMember]
) -> tuple[dict[PartnershipMember, str], dict[PartnershipMember, Contact]]:
    """RACI letters by member, and the named person where the data gives one."""
    roles, contacts = {}, {}
    for alias, value in spec.items():
        member = members[alias]
        role, person = (value, None) if isinstance(value, str) else (value["role"], value["contact"])
        roles[member] = role
        if person:
            contact = Contact.objects.filter(organization_id=member.organization_id, name=person).first()
            if contact is not None:
                contacts[member] = contact
    return roles, contacts


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone())
