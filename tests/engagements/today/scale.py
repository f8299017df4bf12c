"""Many partnerships for one facilitator, built with bulk_create: every section of Today has items at any size.

Each partnership is active, with two member groups of its own and a partner
member for the first: a check-in schedule (late), a goal with the partner's
progress update, an overdue open commitment and one the partner marked kept,
an overdue activity with its Accountable group (and the partner's "done" on
another one, as the history records it), a follow-up on a recent
interaction with each group, a new leader in the first group, two health
snapshots 30 days apart (a fall), an open risk and a health check the
partner answered. The services are bypassed for speed; the rows are what
the services would write. Used by the query-count test and by bench/today.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import PARTNER_MEMBER
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckInSchedule,
    Commitment,
    CommitmentAudience,
    CommitmentSide,
    CommitmentState,
    HealthCheckAnswer,
    HealthCheckRound,
    HealthCheckSide,
    HealthSnapshot,
    MemberRole,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    ProgressUpdate,
    Raci,
    Risk,
    RiskCategory,
    SharedGoal,
)
from engagements.services.standing import standing_refresh_all
from partners.models import Contact, Interaction, LeadershipTerm, Organization, OrganizationMember

BATCH = 2000
GROUPS = 2


def build_portfolio(facilitator: User, count: int, *, start: int = 0) -> list[Partnership]:
    """``count`` partnerships of ``facilitator``, numbered from ``start``; each first group has a partner member."""
    made: list[Partnership] = []
    for first in range(start, start + count, BATCH):
        made += _chunk(facilitator, range(first, min(start + count, first + BATCH)))
    # Bulk writes send no signal: work out the standings as beat does after them.
    standing_refresh_all()
    return made


def _partners(numbers: range) -> list[User]:
    """One partner member per partnership, for its first group."""
    group = Group.objects.get_or_create(name=PARTNER_MEMBER)[0]
    users = User.objects.bulk_create([User(username=f"mitra-{n}", email=f"mitra{n}@example.org") for n in numbers])
    User.groups.through.objects.bulk_create([User.groups.through(user=user, group=group) for user in users])
    return users


def _chunk(facilitator: User, numbers: range) -> list[Partnership]:
    today = timezone.localdate()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(title=f"Kemitraan {n}", status=PartnershipStatus.ACTIVE, start_date=today - 200 * day)
            for n in numbers
        ]
    )
    through = Partnership.facilitators.through
    through.objects.bulk_create([through(partnership=p, user=facilitator) for p in partnerships])
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Kelompok {n}-{k}") for n in numbers for k in range(GROUPS)]
    )
    partners = _partners(numbers)
    OrganizationMember.objects.bulk_create(
        [OrganizationMember(organization=o, user=u) for o, u in zip(organizations[::GROUPS], partners, strict=True)]
    )
    members = PartnershipMember.objects.bulk_create(
        [
            PartnershipMember(
                partnership=p,
                organization=organizations[i * GROUPS + k],
                role=MemberRole.LEAD if k == 0 else MemberRole.MEMBER,
                joined_on=today - 150 * day,
            )
            for i, p in enumerate(partnerships)
            for k in range(GROUPS)
        ]
    )
    leaders = Contact.objects.bulk_create(
        [Contact(organization=o, name=f"Ketua {o.pk}") for o in organizations[::GROUPS] for _ in range(2)]
    )
    LeadershipTerm.objects.bulk_create(
        [
            term
            for i, o in enumerate(organizations[::GROUPS])
            for term in (
                LeadershipTerm(
                    organization=o,
                    leader=leaders[2 * i],
                    started_on=today - 700 * day,
                    ended_on=today - 6 * day,
                ),
                LeadershipTerm(organization=o, leader=leaders[2 * i + 1], started_on=today - 5 * day),
            )
        ]
    )
    Interaction.objects.bulk_create(
        [
            Interaction(
                organization=o,
                kind="visit",
                occurred_on=today - 2 * day,
                summary="Kunjungan ke sekretariat",
                follow_up="Kirim notulen rapat",
                recorded_by=facilitator,
            )
            for o in organizations
        ]
    )
    CheckInSchedule.objects.bulk_create(
        [
            CheckInSchedule(
                partnership=p,
                starts_on=today - 120 * day,
                planned_on=today - 3 * day,
                due_on=today - 3 * day,
                remind_from=today - 5 * day,
                late_from=today,
                dormant_from=today + 11 * day,
                next_reminder_on=today + 3 * day,
            )
            for p in partnerships
        ]
    )
    goals = SharedGoal.objects.bulk_create(
        [
            SharedGoal(
                partnership=p,
                statement="Tanam 1000 bibit mangrove",
                target=Decimal(1000),
                unit="bibit",
                start_date=today - 100 * day,
                target_date=today + 100 * day,
            )
            for p in partnerships
        ]
    )
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(goal=g, value=Decimal(120), measured_on=today, recorded_by=u)
            for g, u in zip(goals, partners, strict=True)
        ]
    )
    commitment = {
        "promised_by_side": CommitmentSide.MEMBER,
        "promised_to_side": CommitmentAudience.ALL_MEMBERS,
        "text": "Menyiapkan 500 polybag",
    }
    Commitment.objects.bulk_create(
        [
            row
            for i, p in enumerate(partnerships)
            for row in (
                Commitment(partnership=p, promised_by=organizations[i * GROUPS], due_on=today - 2 * day, **commitment),
                Commitment(
                    partnership=p,
                    promised_by=organizations[i * GROUPS],
                    due_on=today - day,
                    state=CommitmentState.KEPT,
                    marked_kept_by=partners[i],
                    marked_kept_at=now - datetime.timedelta(hours=1),
                    **commitment,
                ),
            )
        ]
    )
    activities = Activity.objects.bulk_create(
        [
            row
            for p, g in zip(partnerships, goals, strict=True)
            for row in (
                Activity(partnership=p, goal=g, title="Pembibitan", due_date=today - 4 * day),
                Activity(partnership=p, goal=g, title="Laporan dana", due_date=today - day, status=ActivityStatus.DONE),
            )
        ]
    )
    ActivityRole.objects.bulk_create(
        [
            ActivityRole(activity=a, member=members[(i // 2) * GROUPS], role=Raci.ACCOUNTABLE)
            for i, a in enumerate(activities)
        ]
    )
    history = Activity.history.model
    history.objects.bulk_create(
        [
            history(
                id=a.pk,
                partnership_id=a.partnership_id,
                goal_id=a.goal_id,
                title=a.title,
                due_date=a.due_date,
                status=status,
                position=0,
                updated_at=moment,
                history_date=moment,
                history_type=kind,
                history_user=user,
            )
            for a, partner in zip(activities[1::2], partners, strict=True)
            for status, kind, user, moment in (
                (ActivityStatus.PLANNED, "+", facilitator, now - 10 * day),
                (ActivityStatus.DONE, "~", partner, now - datetime.timedelta(hours=2)),
            )
        ]
    )
    HealthSnapshot.objects.bulk_create(
        [
            HealthSnapshot(partnership=p, day=when, score=score)
            for i, p in enumerate(partnerships)
            for when, score in ((today - 31 * day, 80), (today - day, 40 + i % 30))
        ]
    )
    Risk.objects.bulk_create(
        [
            Risk(partnership=p, category=RiskCategory.FUNDING, title="Kas menipis", likelihood=3, impact=4)
            for p in partnerships
        ]
    )
    rounds = HealthCheckRound.objects.bulk_create(
        [HealthCheckRound(partnership=p, opened_on=today - 3 * day, closes_on=today + 11 * day) for p in partnerships]
    )
    HealthCheckAnswer.objects.bulk_create(
        [
            HealthCheckAnswer(
                round=r,
                respondent=partners[i],
                side=HealthCheckSide.MEMBER,
                organization=organizations[i * GROUPS],
                statement=statement,
                score=4,
                answered_at=now - datetime.timedelta(hours=3),
            )
            for i, r in enumerate(rounds)
            for statement in ("goals-clear", "trust-commitments")
        ]
    )
    return partnerships
