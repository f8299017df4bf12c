"""A partnership of organizations A (lead), B (member) and C (supporter)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from engagements import services
from engagements.models import Activity, Partnership, PartnershipMember, SharedGoal
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
