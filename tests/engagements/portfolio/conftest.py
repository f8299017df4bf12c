"""Three partnerships that differ in every column of the portfolio, so that each sort has one right order.

=====================  ==========  ======  ============  ====================  ===============
partnership            status      health  last contact  open (overdue)        active flags
=====================  ==========  ======  ============  ====================  ===============
Bank Sampah Sejahtera  active      80      5 days ago    2 (1)                 1
Kebun Pangan Lestari   paused      30      20 days ago   0                     2 (of 3)
Mangrove Pesisir       exploring   none    none          1 (0)                 0
=====================  ==========  ======  ============  ====================  ===============

Bank Sampah's last contact is a check-in (its groups were visited 40 days
ago); Kebun Pangan's a visit (its last check-in was 60 days ago). Kebun
Pangan's latest snapshot (30, today) follows a better one (90, two days ago).
The flags are those of member groups with irregular funding; one of Kebun
Pangan's three is acknowledged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import (
    CheckIn,
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    CommitmentState,
    HealthSnapshot,
    Partnership,
    PartnershipStatus,
    Risk,
    RiskCategory,
    SharedGoal,
)
from engagements.selectors.risks import flags_of
from partners.models import Contact, FundingStability, Interaction, Organization
from tests.engagements.builders import add_activity, build_partnership, fill_trust_log
from tests.engagements.health_checks.conftest import answer
from tests.factories import OrganizationFactory

TODAY = timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def new_partnership(user, title: str, status: str, organizations: list[Organization]) -> Partnership:
    partnership = services.partnerships.partnership_save(
        user=user,
        partnership=Partnership(title=title, purpose="Bersama", internal_notes="RAHASIA-internal-partnership"),
    )
    for n, organization in enumerate(organizations):
        services.partnerships.member_add(
            partnership=partnership, organization=organization, role="lead" if n == 0 else "member"
        )
    Partnership.objects.filter(pk=partnership.pk).update(status=status)
    partnership.refresh_from_db()
    return partnership


def promise(partnership: Partnership, organization: Organization, due_on: datetime.date, text: str) -> Commitment:
    return Commitment.objects.create(
        partnership=partnership,
        promised_by_side=CommitmentSide.MEMBER,
        promised_by=organization,
        text=text,
        due_on=due_on,
    )


def check_in(user, partnership: Partnership, days: int) -> CheckIn:
    return services.checkins.check_in_record(
        user=user,
        check_in=CheckIn(
            partnership=partnership,
            held_at=timezone.now() - datetime.timedelta(days=days),
            channel="phone",
            summary="Rapat rutin",
        ),
    )


def visit(organization: Organization, days: int) -> Interaction:
    return Interaction.objects.create(organization=organization, kind="visit", occurred_on=days_ago(days), summary="x")


@dataclass
class Portfolio:
    bank: Partnership
    kebun: Partnership
    mangrove: Partnership

    @property
    def all(self) -> list[Partnership]:
        return [self.bank, self.kebun, self.mangrove]


@pytest.fixture
def portfolio(facilitator) -> Portfolio:
    return build_portfolio(facilitator)


def build_portfolio(facilitator) -> Portfolio:
    """The three partnerships of the table above (the browser tests build them too)."""
    irregular = FundingStability.IRREGULAR
    bank_groups = [OrganizationFactory(name="Bank Kelompok Satu", funding_stability=irregular), OrganizationFactory()]
    kebun_groups = [OrganizationFactory(name=f"Kebun Kelompok {n}", funding_stability=irregular) for n in (1, 2, 3)]
    mangrove_groups = [OrganizationFactory(name="Mangrove Kelompok")]
    bank = new_partnership(facilitator, "Bank Sampah Sejahtera", PartnershipStatus.ACTIVE, bank_groups)
    kebun = new_partnership(facilitator, "Kebun Pangan Lestari", PartnershipStatus.PAUSED, kebun_groups)
    mangrove = new_partnership(facilitator, "Mangrove Pesisir", PartnershipStatus.EXPLORING, mangrove_groups)

    HealthSnapshot.objects.create(partnership=bank, day=TODAY, score=80)
    HealthSnapshot.objects.create(partnership=kebun, day=days_ago(2), score=90)
    HealthSnapshot.objects.create(partnership=kebun, day=TODAY, score=30)

    check_in(facilitator, bank, 5)
    for group in bank_groups:
        visit(group, 40)
    check_in(facilitator, kebun, 60)
    visit(kebun_groups[1], 20)
    visit(kebun_groups[2], 35)

    promise(bank, bank_groups[0], days_ago(3), "Laporan kas")
    promise(bank, bank_groups[0], TODAY + datetime.timedelta(days=10), "Daftar nasabah")
    promise(mangrove, mangrove_groups[0], TODAY + datetime.timedelta(days=3), "Bibit")

    first = flags_of(kebun)[0]
    services.risks.flag_acknowledge(user=facilitator, partnership=kebun, flag=first, note="Sudah dibahas")
    return Portfolio(bank, kebun, mangrove)


def build_summary_partnership(facilitator, org_a) -> Partnership:
    """A and M (B's partner member is an outsider): a goal and five activities, the plan agreed, two commitments
    (one overdue, by a named person of A, one kept), a high risk, a shared and an internal-only log entry."""
    org_m = OrganizationFactory(name="Kelompok Nelayan Bahari")
    partnership = build_partnership(user=facilitator, organizations=[org_a, org_m])
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati bersama")
    person = Contact.objects.create(organization=org_a, name="Ibu Sumirah Rahasia")
    Commitment.objects.create(
        partnership=partnership,
        promised_by_side=CommitmentSide.MEMBER,
        promised_by=org_a,
        promised_by_contact=person,
        text="Kirim laporan kas bulanan",
        due_on=TODAY - datetime.timedelta(days=2),
        internal_notes="RAHASIA-internal-commitment",
    )
    Commitment.objects.create(
        partnership=partnership,
        promised_by_side=CommitmentSide.FACILITATORS,
        text="Cari pendamping teknis",
        due_on=TODAY - datetime.timedelta(days=20),
        state=CommitmentState.KEPT,
    )
    services.risks.risk_save(
        user=facilitator,
        risk=Risk(
            partnership=partnership,
            category=RiskCategory.FUNDING,
            title="Dana desa terlambat",
            likelihood=4,
            impact=4,
            owner_side="facilitators",
            internal_notes="RAHASIA-internal-risk",
        ),
    )
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    services.trust.trust_entry_add(
        user=facilitator,
        partnership=partnership,
        kind="budget_shared",
        happened_at=an_hour_ago,
        shared_text="Anggaran dibagikan ke semua anggota",
        internal_text="RAHASIA-internal-trust",
    )
    services.trust.trust_entry_add(
        user=facilitator,
        partnership=partnership,
        kind="conflict_raised",
        happened_at=an_hour_ago,
        internal_text="RAHASIA-internal-only",
    )
    return partnership


LONG_PURPOSE = " ".join(["Memulihkan pesisir dan hutan mangrove bersama kelompok nelayan dan karang taruna"] * 8)
LONG_GOAL = "Tanam dan rawat bibit mangrove di sepanjang pesisir Timbulsloko bersama warga"
LONG_PROMISE = (
    "Mengirim laporan kas bulanan dan daftar hadir rapat ke grup WhatsApp kemitraan sebelum rapat rutin berikutnya"
)
LONG_ENTRY = (
    "Anggaran kegiatan penanaman dan perawatan bibit dibagikan kepada semua anggota di rapat terbuka balai desa, "
    "lengkap dengan rincian belanja"
)


def give_every_health_part(partnership: Partnership, user) -> None:
    """A weekly check-in schedule and a health check answered: the health score then has all six parts."""
    services.checkins.schedule_save(
        user=user,
        schedule=CheckInSchedule(partnership=partnership, starts_on=TODAY - datetime.timedelta(days=100)),
    )
    found = services.health_checks.health_check_open(
        user=user, partnership=partnership, closes_on=TODAY + datetime.timedelta(days=14)
    )
    answer(user, found, 3)


def grow(partnership: Partnership, user, organization, *, every_health_part: bool = True) -> None:
    """More of everything than the summary shows, with long texts: the worst case for one A4 page.

    Thirty goals, forty more open commitments and twenty kept, sixty more
    activities, a log of two hundred entries and the latest ones long, a long
    purpose; and, unless told otherwise, every part of the health score.
    """
    if every_health_part:
        give_every_health_part(partnership, user)
    Partnership.objects.filter(pk=partnership.pk).update(purpose=LONG_PURPOSE)
    SharedGoal.objects.bulk_create(
        SharedGoal(
            partnership=partnership,
            statement=f"{LONG_GOAL} ({n})",
            baseline=Decimal(0),
            target=Decimal(1000),
            unit="bibit",
            start_date=datetime.date(2026, 1, 1),
            target_date=datetime.date(2026, 12, 31),
        )
        for n in range(29)
    )
    Commitment.objects.bulk_create(
        Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by=organization,
            text=f"{LONG_PROMISE} ({n})",
            due_on=TODAY + datetime.timedelta(days=n),
            state=CommitmentState.OPEN if n < 40 else CommitmentState.KEPT,
        )
        for n in range(60)
    )
    members = list(partnership.members.order_by("pk"))
    for n in range(60):
        add_activity(
            partnership, members, title=f"Penanaman bibit tahap {n} di pesisir", due=TODAY + datetime.timedelta(days=n)
        )
    fill_trust_log(partnership, 200, user=user)
    for n in range(6):
        services.trust.trust_entry_add(
            user=user,
            partnership=partnership,
            kind="report_shared",
            happened_at=timezone.now() - datetime.timedelta(minutes=n + 1),
            shared_text=f"{LONG_ENTRY} ({n})",
        )
