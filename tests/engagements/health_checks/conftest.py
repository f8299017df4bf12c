"""A partnership of A (lead) and M run by the standing facilitator; B's partner member is an outsider."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.domain.health_checks import SLUGS
from engagements.models import HealthCheckRound, Partnership
from partners.models import Organization
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory, make_facilitator, make_partner_member


@pytest.fixture
def org_m(db: None) -> Organization:
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def partnership(facilitator, org_a, org_m) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, org_m], activities=0)


@pytest.fixture
def health_round(facilitator, partnership) -> HealthCheckRound:
    return services.health_checks.health_check_open(
        user=facilitator, partnership=partnership, closes_on=timezone.localdate() + datetime.timedelta(days=14)
    )


def url(name: str, partnership: Partnership, *args: object) -> str:
    return reverse(f"engagements:{name}", args=[partnership.pk, *args])


def scores(value: int = 4, **overrides: int) -> dict[str, int]:
    """Every statement scored ``value``; a keyword names a statement by its slug, with _ for -."""
    return {slug: overrides.get(slug.replace("-", "_"), value) for slug in SLUGS}


def answer(user: User, found: HealthCheckRound, value: int = 4, comment: str = "", **overrides: int) -> None:
    comments = {SLUGS[0]: comment} if comment else {}
    services.health_checks.health_check_answer(
        user=user, found=found, scores=scores(value, **overrides), comments=comments
    )


def form_data(value: int = 4, comment: str = "", **overrides: int) -> dict[str, object]:
    data: dict[str, object] = {f"score_{slug}": score for slug, score in scores(value, **overrides).items()}
    if comment:
        data[f"comment_{SLUGS[0]}"] = comment
    return data


def facilitators(count: int, prefix: str = "fasil") -> list[User]:
    return [make_facilitator(username=f"{prefix}_{n}", first_name=f"Fasil{n}") for n in range(count)]


def members_of(organization: Organization, count: int, prefix: str = "anggota") -> list[User]:
    return [
        make_partner_member(organization, username=f"{prefix}_{organization.pk}_{n}", first_name=f"Anggota{n}")
        for n in range(count)
    ]
