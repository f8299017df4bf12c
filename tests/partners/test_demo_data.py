"""The demo data that `make run` loads: varied, current, fictional, idempotent.

The `load_demo_data` command lives in engagements (partners never imports
engagements) and is tested in tests/engagements/test_demo_data.py.
"""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from partners.demo.loader import demo_data_load
from partners.demo.users import DEMO_LOGINS, demo_users_create
from partners.models import (
    Channel,
    Contact,
    FocusArea,
    Interaction,
    LeadershipTerm,
    LegalStatus,
    Organization,
    OrganizationMember,
    Stage,
    StageChange,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> int:
    demo_users_create()
    return demo_data_load()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            Contact,
            LeadershipTerm,
            Interaction,
            StageChange,
            Channel,
            FocusArea,
            OrganizationMember,
            User,
            Organization.history.model,
            Contact.history.model,
        )
    }


def test_it_loads_at_least_30_varied_organizations(loaded: int) -> None:
    organizations = list(Organization.objects.all())
    assert loaded == len(organizations) >= 30
    assert len({o.kind for o in organizations}) >= 8
    assert len({o.province for o in organizations}) >= 25
    assert {o.stage for o in organizations} == set(Stage.values)
    assert len({o.funding_stability for o in organizations}) == 4
    unregistered = sum(o.legal_status == LegalStatus.UNREGISTERED for o in organizations)
    assert unregistered > len(organizations) * 0.8
    for organization in organizations:
        assert organization.mission and organization.values and organization.own_goals, organization
        assert organization.province and organization.regency and organization.founded_year, organization
        # Searchable by the province's name too (partners.search); name and mission are indexed as columns.
        assert organization.search_document.startswith(organization.get_province_display())
        assert organization.created_at.date() < timezone.localdate()
    with_areas = Organization.objects.annotate(n=Count("focus_areas")).filter(n__gt=0).count()
    assert with_areas == len(organizations)
    assert Channel.objects.values("organization").distinct().count() >= 30


def test_it_gives_every_organization_one_to_four_contacts_with_indonesian_phones(loaded: int) -> None:
    per_organization = Organization.objects.annotate(n=Count("contacts")).values_list("n", flat=True)
    assert all(1 <= n <= 4 for n in per_organization)
    phones = [phone for phone in Contact.objects.values_list("phone", flat=True) if phone]
    assert len(phones) >= 60
    assert all(re.fullmatch(r"\+62[1-9]\d{7,12}", phone) for phone in phones), phones
    assert len(set(phones)) == len(phones)
    emails = [email for email in Contact.objects.values_list("email", flat=True) if email]
    assert emails and all(email.endswith("@example.org") for email in emails)
    consenting = Contact.objects.filter(consent_to_contact=True)
    assert consenting.exists() and not consenting.filter(consent_recorded_on__isnull=True).exists()


def test_it_records_leadership_histories_with_recent_changes(loaded: int) -> None:
    today = timezone.localdate()
    for organization in Organization.objects.prefetch_related("leadership_terms"):
        terms = sorted(organization.leadership_terms.all(), key=lambda t: t.started_on)
        assert terms, organization
        assert [t.ended_on for t in terms][-1] is None
        for older, newer in itertools.pairwise(terms):
            assert older.ended_on == newer.started_on, organization
    successions = Organization.objects.annotate(n=Count("leadership_terms")).filter(n__gte=3)
    assert successions.count() >= 3
    recent = LeadershipTerm.objects.filter(
        ended_on__isnull=True, started_on__gte=today - datetime.timedelta(days=180)
    ).filter(organization__leadership_terms__ended_on__gte=today - datetime.timedelta(days=180))
    assert recent.values("organization").distinct().count() >= 3


def test_it_records_stage_histories_and_current_interactions(loaded: int) -> None:
    today = timezone.localdate()
    for organization in Organization.objects.prefetch_related("stage_changes", "interactions"):
        changes = sorted(organization.stage_changes.all(), key=lambda c: c.changed_at)
        if organization.stage == Stage.IDENTIFIED:
            assert not changes
        else:
            assert changes[0].from_stage == Stage.IDENTIFIED
            assert changes[-1].to_stage == organization.stage
            assert all(c.reason for c in changes)
            assert all(a.to_stage == b.from_stage for a, b in itertools.pairwise(changes))
        interactions = organization.interactions.all()
        assert 1 <= len(interactions) <= 5, organization
        assert all(i.occurred_on <= today for i in interactions)
    assert StageChange.objects.filter(changed_at__date__lt=today - datetime.timedelta(days=30)).exists()
    assert Interaction.objects.filter(occurred_on__gte=today - datetime.timedelta(days=14)).count() >= 5
    assert len(set(Interaction.objects.values_list("kind", flat=True))) == 5
    facilitator = User.objects.get(username="fasilitator")
    assert Interaction.objects.filter(participants=facilitator).count() == Interaction.objects.count()


def test_it_fills_in_the_organizations_of_the_demo_partner_members(loaded: int) -> None:
    for login in DEMO_LOGINS:
        if not login.organization:
            continue
        organization = Organization.objects.get(name=login.organization)
        assert organization.stage == Stage.PARTNERING
        assert organization.mission and organization.contacts.exists() and organization.interactions.exists()
        assert OrganizationMember.objects.filter(organization=organization, user__username=login.username).exists()


def test_it_changes_nothing_when_run_twice(loaded: int) -> None:
    before = counts()
    assert demo_users_create() and demo_data_load() == 0
    assert counts() == before


def test_it_creates_the_demo_facilitator_it_records_as_when_run_alone() -> None:
    loaded = demo_data_load()
    assert Organization.objects.count() == loaded >= 30
    facilitator = User.objects.get(username="fasilitator")
    assert set(LeadershipTerm.objects.values_list("recorded_by", flat=True)) == {facilitator.pk}
    assert Organization.objects.get(name="Karang Taruna Tunas Harapan").members.get().user.username == "mitra"


def test_it_records_as_another_user_when_given_one() -> None:
    other = User.objects.create(username="fasilitator2")
    demo_data_load(user=other)
    assert set(Interaction.objects.values_list("recorded_by", flat=True)) == {other.pk}
    assert Organization.history.filter(history_user=other).exists()
