from __future__ import annotations

import pytest

from engagements import errors, services
from engagements.models import Partnership, PartnershipMember, StatusChange
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory(), OrganizationFactory()])


@pytest.mark.django_db
def test_it_creates_a_partnership_of_three_groups(facilitator) -> None:
    client = client_for(facilitator)
    response = client.post("/partnerships/new/", {"title": "Bank Sampah Bersama", "purpose": "Kurangi sampah"})
    partnership = Partnership.objects.get()
    assert response["Location"] == f"/partnerships/{partnership.pk}/"
    assert list(partnership.facilitators.all()) == [facilitator]
    for organization, role in zip(OrganizationFactory.create_batch(3), ["lead", "member", "supporter"], strict=True):
        client.post(f"/partnerships/{partnership.pk}/members/new/", {"organization": organization.pk, "role": role})
    assert sorted(partnership.members.values_list("role", flat=True)) == ["lead", "member", "supporter"]


@pytest.mark.django_db
def test_it_refuses_an_end_before_the_start(facilitator) -> None:
    response = client_for(facilitator).post(
        "/partnerships/new/", {"title": "X", "start_date": "2026-05-01", "end_date": "2026-01-01"}
    )
    assert "cannot be before the start date" in response.content.decode()
    assert not Partnership.objects.exists()


@pytest.mark.django_db
def test_it_refuses_the_same_organization_twice(facilitator, partnership, org_a) -> None:
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/members/new/", {"organization": org_a.pk, "role": "member"}
    )
    assert response.status_code == 200
    assert PartnershipMember.objects.filter(partnership=partnership, organization=org_a).count() == 1


@pytest.mark.django_db
def test_it_logs_status_transitions_with_who_and_why(facilitator, partnership) -> None:
    client = client_for(facilitator)
    client.post(f"/partnerships/{partnership.pk}/status/", {"status": "agreed", "reason": "Disepakati di musyawarah"})
    client.post(f"/partnerships/{partnership.pk}/status/", {"status": "active", "reason": "Mulai bekerja"})
    assert list(StatusChange.objects.order_by("changed_at").values_list("from_status", "to_status")) == [
        ("exploring", "agreed"),
        ("agreed", "active"),
    ]
    assert StatusChange.objects.filter(changed_by=facilitator).count() == 2
    html = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "Disepakati di musyawarah" in html


@pytest.mark.django_db
def test_it_refuses_a_transition_the_lifecycle_does_not_allow(facilitator, partnership) -> None:
    with pytest.raises(errors.EngagementRuleError):
        services.partnerships.partnership_set_status(
            user=facilitator, partnership=partnership, status="active", reason="lompat"
        )
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/status/", {"status": "paused", "reason": "x"}
    )
    assert response.status_code == 200  # not offered: the form says so
    partnership.refresh_from_db()
    assert partnership.status == "exploring"


@pytest.mark.django_db
def test_it_refuses_to_remove_the_accountable_member(facilitator, partnership) -> None:
    lead = partnership.members.get(role="lead")
    client_for(facilitator).post(f"/partnerships/{partnership.pk}/members/{lead.pk}/remove/")
    assert PartnershipMember.objects.filter(pk=lead.pk).exists()


@pytest.mark.django_db
def test_it_shows_internal_notes_to_facilitators_only(facilitator, partner_a, partnership) -> None:
    assert (
        "RAHASIA-internal-partnership"
        in client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    )
    partner_page = client_for(partner_a).get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "RAHASIA" not in partner_page
    assert "Catatan bersama untuk semua mitra" in partner_page


@pytest.mark.django_db
def test_it_answers_404_to_a_member_of_a_group_outside_the_partnership(partner_b, partnership) -> None:
    goal = partnership.goals.get()
    activity = partnership.activities.first()
    member = partnership.members.first()
    client = client_for(partner_b)
    for path in [
        f"/partnerships/{partnership.pk}/",
        f"/partnerships/{partnership.pk}/plan/",
        f"/partnerships/{partnership.pk}/goals/{goal.pk}/",
        f"/partnerships/{partnership.pk}/edit/",
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/edit/",
    ]:
        assert client.get(path).status_code == 404, path
    for path in [
        f"/partnerships/{partnership.pk}/goals/{goal.pk}/progress/",
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/status/",
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/roles/{member.pk}/",
        f"/partnerships/{partnership.pk}/plan/agree/",
        f"/partnerships/{partnership.pk}/members/{member.pk}/remove/",
    ]:
        assert (
            client.post(path, {"status": "done", "value": "5", "measured_on": "2026-01-02", "role": "A"}).status_code
            == 404
        ), path


@pytest.mark.django_db
def test_it_asks_before_removing_a_member_and_then_removes_it(facilitator, partnership) -> None:
    supporter = partnership.members.get(role="supporter")
    client = client_for(facilitator)
    assert "Remove it" in client.get(f"/partnerships/{partnership.pk}/members/{supporter.pk}/remove/").content.decode()
    assert PartnershipMember.objects.filter(pk=supporter.pk).exists()
    client.post(f"/partnerships/{partnership.pk}/members/{supporter.pk}/remove/")
    assert not PartnershipMember.objects.filter(pk=supporter.pk).exists()


@pytest.mark.django_db
def test_it_lists_the_lead_first(facilitator, partnership) -> None:
    members = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").context["members"]
    assert [member.role for member in members] == ["lead", "member", "supporter"]


@pytest.mark.django_db
def test_it_filters_the_directory_to_groups_in_an_active_partnership(facilitator, partnership, org_a, org_b) -> None:
    client = client_for(facilitator)
    assert list(client.get("/organizations/", {"active": "on"}).context["page"].object_list) == []
    services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status="agreed", reason="Sepakat"
    )
    found = {o.name for o in client.get("/organizations/", {"active": "on"}).context["page"].object_list}
    assert org_a.name in found and org_b.name not in found
