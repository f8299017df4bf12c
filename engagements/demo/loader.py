"""Demo partnerships and check-in rhythms for `make run`: fictional work between the demo organizations.

Everything in the JSON files here is made up. Dates are offsets in days from
today (negative is in the past), so the demo always looks current: some
activities are overdue, some are due within two weeks, some are done, one
check-in is late, one partnership has gone quiet. Loading is idempotent: a
partnership whose title is already there is skipped, and so is a partnership
that already has a check-in schedule, commitments, or risks, lessons and
health checks.

The demo tells two stories side by side, with the others in between.
"Sekolah Lapang Mangrove Pesisir" is healthy: promises kept on time, a
check-in every two weeks, goals on track, every flag answered, a good health
check. "Lumbung Benih dan Pasar Bersama Petani" is falling: a member group
changed its leader, a promise to the new board was broken, the check-ins
stopped, and its health check shows the facilitators satisfied where the
partner members are not.

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
"channel": CheckInChannel, "summary": summary of that check-in, "since"?:
days ago the schedule starts counting (default 30 days before that
check-in), "earlier"?: [{"days_ago", "summary"}] the check-ins before it,
oldest first}``.

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

``demo_health_load`` reads three more files, after the commitments (the flags
it answers are raised by them):

- ``risks.json`` maps a title to ``{"risks": [{"category": RiskCategory,
  "title", "description", "likelihood", "impact", "owner": alias or null
  (the facilitating side), "mitigation", "status": RiskStatus, "made",
  "review", "closed"? (offsets), "internal"?, "from_flag"?: {"kind":
  FlagKind, "member": alias}}], "acknowledged": [{"kind": FlagKind,
  "member": alias, "note"}]}``: a risk with ``from_flag`` is made from that
  flag when the facts raise it today; each acknowledgement goes through the
  risks service, which writes it into the trust log ("now": the log is
  append-only)
- ``learning.json`` maps a title to its lessons: ``[{"kind": LessonKind,
  "title", "body", "tags", "happened": offset, "shared": bool,
  "organizations": [aliases], "goals": [indexes], "activities": [titles]}]``
- ``health.json`` holds ``statements`` (the slugs, in the order the scores
  are listed), ``people`` (``[{"username", "first_name", "last_name",
  "role": "facilitator"}]`` or with ``"organization"`` for a partner member:
  extra people with no password, who answer but do not log in) and, per
  title, ``facilitators`` (usernames added as co-facilitators), ``rounds``
  (``[{"opened", "closes", "answers": {username: {"scores": [1-5 per
  statement], "comments"?: {slug: text}}}}]``, answered and closed through
  the services, then dated back), ``open_round`` (``{"closes": offset}``,
  opened today through the service, which invites both sides) and ``trend``
  (``[[days ago, score]]``, oldest first: the daily health scores of the
  days before today, drawn in straight lines from one to the next and on to
  today's real score, which the daily snapshot service writes).
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import FACILITATOR, PARTNER_MEMBER
from engagements import selectors, services
from engagements.models import (
    Activity,
    ActivityStatus,
    CheckIn,
    CheckInSchedule,
    Commitment,
    CommitmentAudience,
    CommitmentSide,
    CommitmentState,
    HealthCheckAnswer,
    HealthCheckRound,
    HealthSnapshot,
    Lesson,
    Partnership,
    PartnershipMember,
    PlanRevision,
    ProgressUpdate,
    Risk,
    RiskOwnerSide,
    RiskStatus,
    SharedGoal,
    StatusChange,
)
from engagements.selectors.risks import Flag
from partners.demo.loader import demo_data_load
from partners.demo.users import DEMO_FACILITATOR, demo_users_create
from partners.models import Contact, LeadershipTerm, Organization, OrganizationMember
from partners.services import leadership_change

PARTNERSHIPS_FILE = Path(__file__).with_name("partnerships.json")
CHECK_INS_FILE = Path(__file__).with_name("check_ins.json")
COMMITMENTS_FILE = Path(__file__).with_name("commitments.json")
RISKS_FILE = Path(__file__).with_name("risks.json")
LEARNING_FILE = Path(__file__).with_name("learning.json")
HEALTH_FILE = Path(__file__).with_name("health.json")
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
        schedule = CheckInSchedule(
            partnership=partnership,
            cadence=rhythm["cadence"],
            interval=rhythm["interval"],
            channel=rhythm["channel"],
            starts_on=timezone.localdate() - datetime.timedelta(days=rhythm.get("since", days_ago + 30)),
            paused=partnership.status == "paused",
        )
        services.checkins.schedule_save(user=user, schedule=schedule)
        # Oldest first: each one restarts the clock, and the last one held sets it.
        for earlier in rhythm.get("earlier", []):
            _check_in_load(partnership, earlier["days_ago"], earlier["summary"], rhythm["channel"], user=user)
        _check_in_load(partnership, days_ago, rhythm["summary"], rhythm["channel"], user=user, next_steps=NEXT_STEPS)
        loaded += 1
    return loaded


def _check_in_load(
    partnership: Partnership, days_ago: int, summary: str, channel: str, *, user: User, next_steps: str = ""
) -> None:
    held_at = timezone.now() - datetime.timedelta(days=days_ago, hours=2)
    check_in = CheckIn(partnership=partnership, held_at=held_at, channel=channel, summary=summary)
    check_in.next_steps = next_steps
    services.checkins.check_in_record(user=user, check_in=check_in)


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


# Risks, the learning log, health checks and the health score's trend


def demo_health_load(*, user: User) -> int:
    """Give the demo partnerships their risks, flag answers, lessons, health checks and two months of health scores.

    Run after the commitments and check-ins: the flags answered here are
    raised by them. A partnership that already has risks, lessons, health
    checks or answered flags is left alone; the health scores of the days
    before today are drawn only for a partnership that has none yet. Returns
    how many partnerships were given something.
    """
    health = json.loads(HEALTH_FILE.read_text(encoding="utf-8"))
    risks = json.loads(RISKS_FILE.read_text(encoding="utf-8"))
    lessons = json.loads(LEARNING_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    titles = set(health["partnerships"]) | set(risks) | set(lessons)
    partnerships = list(Partnership.objects.filter(title__in=titles).order_by("pk"))
    if not partnerships:
        return 0
    people = _people_load(health["people"], health["partnerships"].values())
    loaded = 0
    for partnership in partnerships:
        spec = health["partnerships"].get(partnership.title, {})
        with transaction.atomic():
            if _has_follow_up(partnership):
                continue
            aliases = {
                alias: Organization.objects.get(name=name) for alias, name in demo_aliases(partnership.title).items()
            }
            context = _Context(partnership, aliases, people, user, today)
            if spec.get("facilitators"):
                services.partnerships.partnership_save(
                    user=user,
                    partnership=partnership,
                    facilitators=[*partnership.facilitators.all(), *(people[name] for name in spec["facilitators"])],
                )
            wrote = _risks_load(context, risks.get(partnership.title, {}))
            wrote |= _lessons_load(context, lessons.get(partnership.title, []))
            wrote |= _health_checks_load(context, spec, health["statements"])
            loaded += wrote
    _health_history_load(partnerships, health["partnerships"], today=today)
    return loaded


@dataclass(frozen=True)
class _Context:
    partnership: Partnership
    organizations: dict[str, Organization]  # by member alias
    people: dict[str, User]  # by username
    user: User
    today: datetime.date

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)


def _has_follow_up(partnership: Partnership) -> bool:
    return (
        partnership.risks.exists()
        or partnership.lessons.exists()
        or partnership.health_check_rounds.exists()
        or partnership.flag_acknowledgements.exists()
    )


def _people_load(specs: list[dict[str, str]], partnerships: Iterable[dict[str, Any]]) -> dict[str, User]:
    """The people who answer the demo health checks, by username: the demo log-ins, and others made here.

    Those made here have no password: they answer, they do not log in.
    """
    facilitators, _ = Group.objects.get_or_create(name=FACILITATOR)
    partner_members, _ = Group.objects.get_or_create(name=PARTNER_MEMBER)
    for spec in specs:
        person, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "email": f"{spec['username']}@example.org",
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
            },
        )
        if created:
            person.set_unusable_password()
            person.save()
        if spec.get("role") == "facilitator":
            person.groups.add(facilitators)
        else:
            person.groups.add(partner_members)
            organization = Organization.objects.get(name=spec["organization"])
            OrganizationMember.objects.get_or_create(organization=organization, user=person)
    named = {spec["username"] for spec in specs}
    for plan in partnerships:
        named |= set(plan.get("facilitators", []))
        named |= {username for found in plan.get("rounds", []) for username in found["answers"]}
    return {person.username: person for person in User.objects.filter(username__in=named)}


def _flag(context: _Context, kind: str, alias: str | None) -> Flag | None:
    """The flag of that kind raised now (about that member group), if the facts raise it today."""
    organization = context.organizations[alias] if alias else None
    return next(
        (
            flag
            for flag in selectors.risks.flags_of(context.partnership)
            if flag.kind == kind and (organization is None or flag.organization == organization)
        ),
        None,
    )


def _risks_load(context: _Context, data: dict[str, Any]) -> bool:
    """The register (some risks made from a flag), then the flags acknowledged with a note (the trust log says so)."""
    for spec in data.get("risks", []):
        owner = context.organizations[spec["owner"]] if spec["owner"] else None
        risk = Risk(
            partnership=context.partnership,
            category=spec["category"],
            title=spec["title"],
            description=spec["description"],
            likelihood=spec["likelihood"],
            impact=spec["impact"],
            owner_side=RiskOwnerSide.MEMBER if owner else RiskOwnerSide.FACILITATORS,
            owner_organization=owner,
            mitigation=spec["mitigation"],
            status=RiskStatus.OPEN if spec["status"] == RiskStatus.CLOSED else spec["status"],
            review_on=context.day(spec["review"]),
            internal_notes=spec.get("internal", ""),
            created_at=_moment(context.day(spec["made"])),
        )
        flag_spec = spec.get("from_flag")
        flag = _flag(context, flag_spec["kind"], flag_spec["member"]) if flag_spec else None
        if flag is not None:
            risk = services.risks.risk_from_flag(
                user=context.user, partnership=context.partnership, flag=flag, risk=risk
            )
        else:
            risk = services.risks.risk_save(user=context.user, risk=risk)
        if spec["status"] == RiskStatus.CLOSED:
            services.risks.risk_close(user=context.user, risk=risk)
            Risk.objects.filter(pk=risk.pk).update(closed_at=_moment(context.day(spec["closed"])))
    for spec in data.get("acknowledged", []):
        flag = _flag(context, spec["kind"], spec["member"])
        if flag is not None and flag.is_active:
            services.risks.flag_acknowledge(
                user=context.user, partnership=context.partnership, flag=flag, note=spec["note"]
            )
    return bool(data)


def _lessons_load(context: _Context, specs: list[dict[str, Any]]) -> bool:
    goals = list(context.partnership.goals.order_by("pk"))
    activities = {activity.title: activity for activity in context.partnership.activities.all()}
    for spec in specs:
        happened_on = context.day(spec["happened"])
        services.learning.lesson_save(
            user=context.user,
            lesson=Lesson(
                partnership=context.partnership,
                kind=spec["kind"],
                title=spec["title"],
                body=spec["body"],
                tags=spec["tags"],
                shared_with_partners=spec["shared"],
                happened_on=happened_on,
                created_at=_moment(happened_on),
            ),
            organizations=[context.organizations[alias] for alias in spec["organizations"]],
            goals=[goals[index] for index in spec["goals"]],
            activities=[activities[title] for title in spec["activities"]],
        )
    return bool(specs)


def _health_checks_load(context: _Context, spec: dict[str, Any], statements: list[str]) -> bool:
    """Past rounds, answered and closed through the services then dated back; and a round open now."""
    for round_spec in spec.get("rounds", []):
        opened_on, closes_on = context.day(round_spec["opened"]), context.day(round_spec["closes"])
        # A round held weeks ago is recorded, not opened: opening it today would invite both sides to answer it.
        found = HealthCheckRound(
            partnership=context.partnership,
            opened_on=opened_on,
            closes_on=context.today + datetime.timedelta(days=1),
            opened_by=context.user,
        )
        found.full_clean()
        found.save()
        for number, (username, answer) in enumerate(round_spec["answers"].items()):
            services.health_checks.health_check_answer(
                user=context.people[username],
                found=found,
                scores=dict(zip(statements, answer["scores"], strict=True)),
                comments=answer.get("comments", {}),
            )
            answered_on = min(closes_on, opened_on + datetime.timedelta(days=1 + number))
            HealthCheckAnswer.objects.filter(round=found, respondent=context.people[username]).update(
                answered_at=_moment(answered_on)
            )
        services.health_checks.health_check_close(user=context.user, found=found)
        HealthCheckRound.objects.filter(pk=found.pk).update(closes_on=closes_on, closed_at=_moment(closes_on))
    if open_round := spec.get("open_round"):
        services.health_checks.health_check_open(
            user=context.user, partnership=context.partnership, closes_on=context.day(open_round["closes"])
        )
    return bool(spec.get("rounds") or spec.get("open_round"))


def _health_history_load(
    partnerships: list[Partnership], specs: dict[str, dict[str, Any]], *, today: datetime.date
) -> None:
    """Today's health score through the daily snapshot; the days before drawn along each partnership's trend.

    The snapshot service writes today's row of every live partnership, as the daily task does.
    """
    services.health.health_snapshot_all(day=today)
    now = dict(
        HealthSnapshot.objects.filter(partnership__in=partnerships, day=today).values_list("partnership_id", "score")
    )
    rows = []
    for partnership in partnerships:
        trend = specs.get(partnership.title, {}).get("trend")
        if not trend or partnership.health_snapshots.filter(day__lt=today).exists():
            continue
        for days_ago, score in drawn_trend(trend, now.get(partnership.pk)):
            day = today - datetime.timedelta(days=days_ago)
            rows.append(HealthSnapshot(partnership=partnership, day=day, score=score, created_at=_moment(day)))
    HealthSnapshot.objects.bulk_create(rows, ignore_conflicts=True)


def drawn_trend(anchors: list[list[int]], today_score: int | None) -> list[tuple[int, int]]:
    """(days ago, score) for every day from the first anchor to yesterday, in straight lines between the anchors.

    ``anchors`` are ``[days ago, score]``, oldest first; the line ends at
    today's real score (or stays level at the last anchor's when today has
    none).
    """
    points = [(days, score) for days, score in anchors]
    points.append((0, today_score if today_score is not None else points[-1][1]))
    drawn = []
    for (older, start), (newer, end) in itertools.pairwise(points):
        for days_ago in range(older, newer, -1):
            drawn.append((days_ago, round(start + (end - start) * (older - days_ago) / (older - newer))))
    return [(days_ago, score) for days_ago, score in drawn if days_ago > 0]
