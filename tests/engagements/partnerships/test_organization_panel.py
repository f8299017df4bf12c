"""The organization profile lists the group's partnerships, drawn by engagements through partners.panels."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import Partnership, PartnershipMember
from partners.panels import PROFILE_PANELS
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def profile(client, organization) -> str:
    response = client.get(reverse("partners:organization_detail", args=[organization.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_groups_partnerships_with_its_role_on_the_profile(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    page = profile(client_for(facilitator), org_a)
    assert 'id="partnerships-panel-heading"' in page
    assert partnership.title in page
    assert reverse("engagements:partnership_detail", args=[partnership.pk]) in page


def test_it_shows_a_partner_member_only_the_partnerships_they_are_in(facilitator, org_a, partner_a) -> None:
    ours = build_partnership(user=facilitator, organizations=[org_a], activities=0, title="Kemitraan Kami")
    other_group = OrganizationFactory()
    theirs = build_partnership(user=facilitator, organizations=[other_group], activities=0, title="Kemitraan Lain")
    # org_a also joins a partnership partner_a is in through org_a itself: visible. One without org_a is not.
    page = profile(client_for(partner_a), org_a)
    assert ours.title in page
    assert theirs.title not in page


def test_it_says_what_to_do_when_the_group_is_in_no_partnership(facilitator) -> None:
    lonely = OrganizationFactory()
    page = profile(client_for(facilitator), lonely)
    assert "The group is in no partnership you can see yet." in page


def test_it_costs_the_same_queries_for_a_group_in_2_or_60_partnerships(facilitator, org_a) -> None:
    client = client_for(facilitator)

    def add(count: int) -> None:
        partnerships = Partnership.objects.bulk_create(Partnership(title=f"Kemitraan {n}") for n in range(count))
        PartnershipMember.objects.bulk_create(
            PartnershipMember(partnership=p, organization=org_a) for p in partnerships
        )

    add(2)
    with CaptureQueriesContext(connection) as small:
        profile(client, org_a)
    add(58)
    with CaptureQueriesContext(connection) as large:
        page = profile(client, org_a)
    assert len(large) == len(small)
    assert page.count('href="/partnerships/') >= 20
    assert "60 partnerships in all" in page


def test_the_panel_is_registered_once() -> None:
    from engagements.panels import partnerships_panel

    assert PROFILE_PANELS.count(partnerships_panel) == 1


def test_it_shows_what_was_learned_with_the_group_to_those_who_may_read_it(facilitator, org_a, partner_a) -> None:
    from engagements import services
    from engagements.models import Lesson

    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0)
    for title, shared in (("Iuran lewat QRIS", True), ("RAHASIA-catatan-fasilitator", False)):
        services.learning.lesson_save(
            user=facilitator, lesson=Lesson(partnership=partnership, title=title, body="x", shared_with_partners=shared)
        )
    facilitator_page = profile(client_for(facilitator), org_a)
    partner_page = profile(client_for(partner_a), org_a)
    assert "Iuran lewat QRIS" in facilitator_page and "RAHASIA-catatan-fasilitator" in facilitator_page
    assert "Iuran lewat QRIS" in partner_page and "RAHASIA-catatan-fasilitator" not in partner_page
    assert 'id="lessons-panel-heading"' not in profile(client_for(facilitator), OrganizationFactory())
