"""Partner members see their own group read-only; any other group is a 404."""

from __future__ import annotations

import pytest

from partners.models import Contact
from tests.conftest import client_for
from tests.factories import OrganizationFactory

ORGANIZATION_PAGES = [
    "/organizations/{pk}/",
    "/organizations/{pk}/edit/",
    "/organizations/{pk}/archive/",
    "/organizations/{pk}/stage/",
    "/organizations/{pk}/contacts/new/",
    "/organizations/{pk}/contacts/{contact}/edit/",
    "/organizations/{pk}/contacts/{contact}/export.json",
    "/organizations/{pk}/contacts/{contact}/erase/",
    "/organizations/{pk}/leaders/new/",
    "/organizations/{pk}/interactions/new/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("template", ORGANIZATION_PAGES)
def test_it_answers_404_to_a_partner_member_for_another_organization(partner_a, org_b, template: str) -> None:
    contact = Contact.objects.create(organization=org_b, name="Siti")
    response = client_for(partner_a).get(template.format(pk=org_b.pk, contact=contact.pk))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("template", ORGANIZATION_PAGES[1:])
def test_it_lets_a_partner_member_only_read_their_own_organization(partner_a, org_a, template: str) -> None:
    contact = Contact.objects.create(organization=org_a, name="Budi")
    response = client_for(partner_a).get(template.format(pk=org_a.pk, contact=contact.pk))
    assert response.status_code == 403


@pytest.mark.django_db
def test_it_answers_404_for_a_contact_of_another_organization(facilitator, org_a, org_b) -> None:
    contact = Contact.objects.create(organization=org_b, name="Siti")
    response = client_for(facilitator).get(f"/organizations/{org_a.pk}/contacts/{contact.pk}/edit/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_it_hides_internal_notes_stage_and_timeline_from_partner_members(partner_a, org_a) -> None:
    org_a.internal_notes = "Ketua sulit dihubungi; hati-hati soal dana."
    org_a.mission = "Mengelola bank sampah desa"
    org_a.save()
    html = client_for(partner_a).get(f"/organizations/{org_a.pk}/").content.decode()
    assert "Mengelola bank sampah desa" in html
    assert "sulit dihubungi" not in html
    assert "Timeline" not in html
    assert "Change history" not in html
    assert "/edit/" not in html


@pytest.mark.django_db
def test_it_shows_internal_notes_to_facilitators(facilitator, org_a) -> None:
    org_a.internal_notes = "Ketua sulit dihubungi"
    org_a.save()
    assert "Ketua sulit dihubungi" in client_for(facilitator).get(f"/organizations/{org_a.pk}/").content.decode()


@pytest.mark.django_db
def test_it_keeps_the_directory_from_partner_members(partner_a) -> None:
    OrganizationFactory()
    assert client_for(partner_a).get("/organizations/").status_code == 403
    assert client_for(partner_a).get("/organizations/new/").status_code == 403


@pytest.mark.django_db
def test_it_refuses_writes_by_partner_members_and_changes_nothing(partner_a, org_a) -> None:
    response = client_for(partner_a).post(f"/organizations/{org_a.pk}/stage/", {"stage": "dormant", "reason": "x"})
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.stage == "identified"


POSTED_PAGES = [p for p in ORGANIZATION_PAGES if not p.endswith(("/{pk}/", "export.json"))] + [
    "/organizations/{pk}/restore/"
]


@pytest.mark.django_db
@pytest.mark.parametrize("template", POSTED_PAGES)
def test_it_answers_posts_about_another_organization_with_404(partner_a, org_b, template: str) -> None:
    contact = Contact.objects.create(organization=org_b, name="Siti")
    response = client_for(partner_a).post(template.format(pk=org_b.pk, contact=contact.pk), {"name": "x"})
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Siti"
