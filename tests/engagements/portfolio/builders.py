"""Many partnerships at once (bulk inserts), in every state the portfolio shows, to count its queries."""

from __future__ import annotations

import datetime

from django.utils import timezone

from engagements.models import (
    CheckIn,
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    CommitmentState,
    HealthSnapshot,
    MemberRole,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from engagements.services.standing import standing_refresh_all
from partners.models import Contact, FundingStability, Interaction, LeadershipTerm, Organization

STATUSES = [PartnershipStatus.ACTIVE, PartnershipStatus.AGREED, PartnershipStatus.PAUSED, PartnershipStatus.EXPLORING]


def many_partnerships(count: int, *, facilitator, label: str = "Kemitraan") -> list[Partnership]:
    """``count`` partnerships of two groups each, with schedules, commitments, check-ins, contact and snapshots.

    Every third lead group has a new leader, every fourth irregular funding,
    every fifth partnership a commitment overdue; the health snapshots of
    yesterday and today differ. About twenty inserts whatever ``count``.
    """
    today = timezone.localdate()
    days = datetime.timedelta
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(title=f"{label} {n:05d}", status=STATUSES[n % len(STATUSES)], created_by=facilitator)
            for n in range(count)
        ]
    )
    Partnership.facilitators.through.objects.bulk_create(
        [Partnership.facilitators.through(partnership=p, user=facilitator) for p in partnerships]
    )
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"{label} Kelompok {n:05d}",
                funding_stability=FundingStability.IRREGULAR if n % 4 == 0 else FundingStability.STABLE,
            )
            for n in range(2 * count)
        ]
    )
    PartnershipMember.objects.bulk_create(
        [
            PartnershipMember(
                partnership=partnership,
                organization=organizations[2 * n + side],
                role=MemberRole.LEAD if side == 0 else MemberRole.MEMBER,
                joined_on=today - days(200),
            )
            for n, partnership in enumerate(partnerships)
            for side in (0, 1)
        ]
    )
    CheckInSchedule.objects.bulk_create(
        [
            CheckInSchedule(
                partnership=partnership,
                starts_on=today - days(200),
                last_held_on=today - days(10),
                planned_on=today + days(4),
                due_on=today + days(4),
                remind_from=today + days(1),
                late_from=today + days(9),
                dormant_from=today + days(30),
            )
            for partnership in partnerships
        ]
    )
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                partnership=partnership, held_at=timezone.now() - days(10 + n % 7), channel="phone", summary="Rapat"
            )
            for n, partnership in enumerate(partnerships)
        ]
    )
    Interaction.objects.bulk_create(
        [
            Interaction(organization=organization, kind="visit", occurred_on=today - days(n % 40), summary="Kunjungan")
            for n, organization in enumerate(organizations)
        ]
    )
    commitments = []
    for n, partnership in enumerate(partnerships):
        lead = organizations[2 * n]
        commitments += [
            Commitment(
                partnership=partnership,
                promised_by_side=CommitmentSide.MEMBER,
                promised_by=lead,
                text=f"Janji {n}",
                due_on=today + days(5) if n % 5 else today - days(3),
            ),
            Commitment(
                partnership=partnership,
                promised_by_side=CommitmentSide.MEMBER,
                promised_by=lead,
                text=f"Janji lama {n}",
                due_on=today - days(30),
                state=CommitmentState.KEPT,
            ),
        ]
    Commitment.objects.bulk_create(commitments)
    leads = [organizations[2 * n] for n in range(0, count, 3)]
    leaders = Contact.objects.bulk_create(
        [Contact(organization=organization, name=f"Ketua {k}") for organization in leads for k in (1, 2)]
    )
    LeadershipTerm.objects.bulk_create(
        [
            term
            for i, organization in enumerate(leads)
            for term in (
                LeadershipTerm(
                    organization=organization,
                    leader=leaders[2 * i],
                    started_on=today - days(900),
                    ended_on=today - days(20),
                ),
                LeadershipTerm(organization=organization, leader=leaders[2 * i + 1], started_on=today - days(20)),
            )
        ]
    )
    HealthSnapshot.objects.bulk_create(
        [
            HealthSnapshot(partnership=partnership, day=today - days(offset), score=(n * 7 + offset) % 101)
            for n, partnership in enumerate(partnerships)
            for offset in (0, 1)
        ]
    )
    # Bulk writes send no signal: work out the standings as beat does after them.
    standing_refresh_all()
    return partnerships
