from __future__ import annotations

import pytest

from partners.models import Contact, Interaction, LeadershipTerm, Organization
from tests.conftest import client_for

MODELS = ["organization", "focusarea", "contact", "leadershipterm", "interaction", "stagechange", "organizationmember"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_it_registers_every_partners_model_with_search(admin, org_a, model: str) -> None:
    client = client_for(admin)
    assert client.get(f"/admin/partners/{model}/").status_code == 200
    assert client.get(f"/admin/partners/{model}/", {"q": "Karang"}).status_code == 200
    assert client.get(f"/admin/partners/{model}/add/").status_code == 200


@pytest.mark.django_db
def test_it_shows_the_profile_change_history_in_the_admin(admin, facilitator, org_a) -> None:
    client_for(facilitator).post(f"/organizations/{org_a.pk}/stage/", {"stage": "dormant", "reason": "Tidak aktif"})
    html = client_for(admin).get(f"/admin/partners/organization/{org_a.pk}/history/").content.decode()
    assert "fasilitator" in html
    assert "Changed relationship stage." in html


@pytest.mark.django_db
def test_it_keeps_search_working_after_an_admin_edit(admin, facilitator, org_a) -> None:
    data = {
        "name": org_a.name,
        "kind": "youth",
        "mission": "Festival budaya pemuda",
        "legal_status": "unregistered",
        "funding_stability": "unknown",
        "stage": "identified",
    }
    for prefix in ["channels", "contacts", "leadership_terms", "stage_changes", "members"]:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client_for(admin).post(f"/admin/partners/organization/{org_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    found = client_for(facilitator).get("/organizations/", {"q": "festival"}).context["page"].object_list
    assert list(found) == [Organization.objects.get(pk=org_a.pk)]
    assert Organization.history.filter(id=org_a.pk, history_user=admin).exists()


@pytest.mark.django_db
def test_it_autocompletes_contacts_in_the_admin(admin, org_a) -> None:
    Contact.objects.create(organization=org_a, name="Bu Sri")
    response = client_for(admin).get(
        "/admin/autocomplete/",
        {"term": "Sri", "app_label": "partners", "model_name": "leadershipterm", "field_name": "leader"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Bu Sri"]
    assert Interaction.objects.count() == LeadershipTerm.objects.count() == 0
