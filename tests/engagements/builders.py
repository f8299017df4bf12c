"""A partnership of organizations A (lead), B (member) and C (supporter)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from engagements import services
from engagements.domain.trust import entry_hash
from engagements.models import Activity, CheckIn, Partnership, PartnershipMember, SharedGoal, TrustEntry, TrustEntryKind
from partners.models import Organization
from tests.factories import OrganizationFactory


def build_partnership(
    *, user, organizations: list[Organization], activities: int = 5, title: str = "Mangrove Pesisir Demak"
) -> Partnership:
    partnership = services.partnerships.partnership_save(
        user=user,
        partnership=Partnership(
            title=title,
            purpose="Memulihkan pesisir bersama",
            shared_notes="Catatan bersama untuk semua mitra",
            internal_notes="RAHASIA-internal-partnership",
            start_date=datetime.date(2026, 1, 1),
        ),
    )
    roles = ["lead", "member", "supporter", "member"]
    members = [
        services.partnerships.member_add(partnership=partnership, organization=organization, role=roles[i % 4])
        for i, organization in enumerate(organizations)
    ]
    goal = services.goals.goal_save(
        user=user,
        goal=SharedGoal(
            partnership=partnership,
            statement="Tanam 1000 bibit mangrove",
            baseline=Decimal(0),
            target=Decimal(1000),
            unit="bibit",
            start_date=datetime.date(2026, 1, 1),
            target_date=datetime.date(2026, 12, 31),
            internal_notes="RAHASIA-internal-goal",
        ),
        benefits={members[0]: "Pesisir lebih aman"},
    )
    for n in range(activities):
        add_activity(
            partnership,
            members,
            title=f"Kegiatan {n + 1}",
            goal=goal,
            due=datetime.date(2026, 2, 1) + datetime.timedelta(days=7 * n),
        )
    return partnership


def add_activity(partnership, members: list[PartnershipMember], *, title: str, goal=None, due=None) -> Activity:
    roles = {members[0]: "A"} | {member: "R" for member in members[1:2]} | {member: "I" for member in members[2:]}
    return services.plans.activity_save(
        activity=Activity(
            partnership=partnership, title=title, goal=goal, due_date=due, internal_notes="RAHASIA-internal-activity"
        ),
        roles=roles,
    )


def three_organizations() -> list[Organization]:
    return [OrganizationFactory(name=name) for name in ("Kelompok A", "Kelompok B", "Kelompok C")]


def fill_trust_log(partnership: Partnership, count: int, *, user) -> None:
    """Append ``count`` entries quickly (one insert), continuing the chain: a mix of every kind of subject."""
    K = TrustEntryKind
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    check_in = services.checkins.check_in_record(
        user=user, check_in=CheckIn(partnership=partnership, held_at=an_hour_ago, channel="phone", summary="x")
    )
    revision = services.plans.plan_agree(user=user, partnership=partnership, summary="Disepakati")
    member = partnership.members.order_by("pk").first()
    last = partnership.trust_entries.order_by("-sequence").first()
    sequence, previous = last.sequence, last.hash
    mix = [
        {"kind": K.OPEN_MEETING, "shared_text": "Rapat terbuka di balai desa"},
        {"kind": K.CONFLICT_RAISED, "internal_text": "Catatan internal fasilitator"},
        {"kind": K.CHECK_IN_HELD, "subject_type": "check_in", "subject_id": check_in.pk},
        {"kind": K.PLAN_AGREED, "subject_type": "revision", "subject_id": revision.pk},
        {"kind": K.MEMBER_JOINED, "subject_type": "member", "subject_id": member.pk},
    ]
    start = timezone.now() - datetime.timedelta(days=count)
    rows = []
    for n in range(count):
        sequence += 1
        entry = TrustEntry(
            partnership=partnership, sequence=sequence, happened_at=start + datetime.timedelta(days=n),
            recorded_at=timezone.now().replace(microsecond=0), recorded_by=user, previous_hash=previous,
            **mix[n % len(mix)],
        )  # fmt: skip
        entry.hash = previous = entry_hash(entry.chained_content(), previous)
        rows.append(entry)
    TrustEntry.objects.bulk_create(rows)
