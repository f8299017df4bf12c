"""A partnership of A (lead) and M, where B's partner member is an outsider, and the facts that raise flags."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import (
    CheckInSchedule,
    Commitment,
    CommitmentAudience,
    CommitmentSide,
    Partnership,
    PartnershipMember,
    Risk,
    RiskCategory,
)
from partners import services as partner_services
from partners.models import Contact, LeadershipTerm, Organization
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

INTERNAL = "RAHASIA-internal-risk"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def later(days: int) -> datetime.datetime:
    """A moment ``days`` from now, to look at the flags as they will be."""
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def org_m(db: None) -> Organization:
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def partnership(facilitator, org_a, org_m) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, org_m], activities=0)


def new_leader(organization: Organization, started_on: datetime.date, user, *, name: str = "") -> LeadershipTerm:
    """A leadership change: a first term long ago (recorded once), then a new leader from ``started_on``."""
    if not LeadershipTerm.objects.filter(organization=organization).exists():
        partner_services.leadership_change(
            user=user,
            organization=organization,
            leader=None,
            new_leader_name="Pak Harjo",
            started_on=started_on - datetime.timedelta(days=700),
            title="ketua",
        )
    return partner_services.leadership_change(
        user=user,
        organization=organization,
        leader=None,
        new_leader_name=name or f"Bu Ketua {started_on:%Y%m%d}",
        started_on=started_on,
        title="ketua",
    )


def set_funding(organization: Organization, stability: str) -> Organization:
    organization.funding_stability = stability
    organization.save()
    return organization


def joined_days_ago(partnership: Partnership, organization: Organization, days: int) -> None:
    PartnershipMember.objects.filter(partnership=partnership, organization=organization).update(
        joined_on=days_ago(days)
    )


def interaction(organization: Organization, occurred_on: datetime.date, user):
    return partner_services.interaction_record(
        user=user, organization=organization, kind="visit", occurred_on=occurred_on, summary="Kunjungan ke sekretariat"
    )


def commitment(partnership: Partnership, user, organization: Organization, *, outcome: str = "") -> Commitment:
    """A commitment of ``organization``, then kept or broken (through the services: the trust log dates it)."""
    made = services.commitments.commitment_make(
        user=user,
        commitment=Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by=organization,
            promised_to_side=CommitmentAudience.ALL_MEMBERS,
            text="Menyiapkan 500 polybag",
            due_on=timezone.localdate(),
        ),
    )
    if outcome == "kept":
        return services.commitments.commitment_mark_kept(user=user, commitment=made)
    if outcome == "broken":
        return services.commitments.commitment_mark_broken(user=user, commitment=made, reason="Tidak ada kabar")
    if outcome == "withdrawn":
        return services.commitments.commitment_withdraw(user=user, commitment=made, reason="Dibatalkan bersama")
    return made


def dormant_schedule(partnership: Partnership, user, *, starts_days_ago: int = 60) -> CheckInSchedule:
    """Every week from ``starts_days_ago``, no check-in held: two cadences pass after about two weeks."""
    schedule = CheckInSchedule(
        partnership=partnership, cadence="weeks", interval=1, grace_days=2, starts_on=days_ago(starts_days_ago)
    )
    return services.checkins.schedule_save(user=user, schedule=schedule)


def risk(partnership: Partnership, user, **fields: object) -> Risk:
    values = {
        "category": RiskCategory.FUNDING,
        "title": "Iuran anggota tidak cukup",
        "description": "Kas kelompok menipis",
        "likelihood": 3,
        "impact": 4,
        "mitigation": "Cari dana desa",
        "internal_notes": INTERNAL,
    } | fields
    return services.risks.risk_save(user=user, risk=Risk(partnership=partnership, **values))


@pytest.fixture
def contact_a(org_a) -> Contact:
    return Contact.objects.create(organization=org_a, name="Bu Sri Wahyuni")


def at(day: datetime.date) -> datetime.datetime:
    """Noon of ``day`` in Jakarta: the partnerships' default zone, so that their today is ``day``."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
