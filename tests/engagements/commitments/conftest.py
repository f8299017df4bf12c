"""A partnership of A (lead) and M, where B's partner member is an outsider, and commitments in it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import CheckIn, Commitment, CommitmentAudience, CommitmentSide, Partnership
from partners.models import Contact, Organization
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

INTERNAL = "RAHASIA-internal-commitment"


@pytest.fixture
def org_m(db: None) -> Organization:
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def partnership(facilitator, org_a, org_m) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, org_m], activities=0)


def make(
    partnership: Partnership,
    user,
    *,
    by: Organization | None,
    to: Organization | None = None,
    text: str = "Menyiapkan 500 polybag",
    due: datetime.date | None = None,
    **fields: object,
) -> Commitment:
    commitment = Commitment(
        partnership=partnership,
        promised_by_side=CommitmentSide.MEMBER if by else CommitmentSide.FACILITATORS,
        promised_by=by,
        promised_to_side=CommitmentAudience.MEMBER if to else CommitmentAudience.ALL_MEMBERS,
        promised_to=to,
        text=text,
        due_on=due or timezone.localdate() + datetime.timedelta(days=10),
        internal_notes=INTERNAL,
        **fields,
    )
    return services.commitments.commitment_make(user=user, commitment=commitment)


@pytest.fixture
def ours(partnership, facilitator, org_a, org_m) -> Commitment:
    """A commitment organization A made to M."""
    return make(partnership, facilitator, by=org_a, to=org_m)


@pytest.fixture
def theirs(partnership, facilitator, org_m) -> Commitment:
    """A commitment M made: A's partner member may read it, not mark it."""
    return make(partnership, facilitator, by=org_m, text="Patroli pantai mingguan")


@pytest.fixture
def check_in(partnership, facilitator) -> CheckIn:
    check_in = CheckIn(
        partnership=partnership,
        held_at=timezone.now() - datetime.timedelta(hours=1),
        channel="phone",
        summary="Rapat bulanan",
        decisions="Sewa perahu bersama\n- Iuran 10 ribu per bulan",
        next_steps="Cari bibit\nHubungi dinas",
    )
    return services.checkins.check_in_record(user=facilitator, check_in=check_in)


@pytest.fixture
def contact_a(org_a) -> Contact:
    return Contact.objects.create(organization=org_a, name="Bu Sri Wahyuni")
