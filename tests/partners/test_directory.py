from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import FocusArea, Organization
from partners.services import organization_save
from tests.conftest import client_for


def make_organization(name: str, *, mission: str = "", focus: tuple[str, ...] = (), **fields: object) -> Organization:
    return organization_save(
        user=None, organization=Organization(name=name, mission=mission, **fields), focus_area_names=list(focus)
    )


def bulk_organizations(count: int) -> None:
    """Many organizations quickly, as an import would leave them."""
    waste = FocusArea.objects.get_or_create(key="waste", defaults={"name": "waste"})[0]
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Kelompok {n:04}",
            mission="Bank sampah dan daur ulang",
            search_document=f"Kelompok {n:04}\nBank sampah dan daur ulang\nwaste",
        )
        for n in range(count)
    )
    Organization.focus_areas.through.objects.bulk_create(
        Organization.focus_areas.through(organization_id=o.pk, focusarea_id=waste.pk) for o in organizations
    )


def names(response) -> list[str]:
    return [organization.name for organization in response.context["page"].object_list]


@pytest.mark.django_db
def test_it_finds_a_group_by_part_of_a_word_of_its_mission(facilitator) -> None:
    make_organization("Karang Taruna Bina Remaja", mission="Mengelola bank sampah dan edukasi lingkungan")
    make_organization("Kelompok Nelayan Bahari", mission="Menjaga hutan mangrove pesisir")
    response = client_for(facilitator).get("/organizations/", {"q": "mangr"})
    assert names(response) == ["Kelompok Nelayan Bahari"]


@pytest.mark.django_db
def test_it_finds_a_group_by_focus_area_and_needs_every_word(facilitator) -> None:
    make_organization("Komunitas Difabel Mandiri", mission="Advokasi hak", focus=("disability rights",))
    make_organization("Komunitas Hak Warga", mission="Advokasi hak", focus=("housing",))
    response = client_for(facilitator).get("/organizations/", {"q": "advokasi disability"})
    assert names(response) == ["Komunitas Difabel Mandiri"]


@pytest.mark.django_db
def test_it_filters_by_kind_province_stage_and_funding(facilitator) -> None:
    make_organization("A", kind="youth", province="32", stage="partnering", funding_stability="stable")
    make_organization("B", kind="youth", province="33", stage="partnering", funding_stability="stable")
    make_organization("C", kind="women", province="32", stage="partnering", funding_stability="stable")
    make_organization("D", kind="youth", province="32", stage="dormant", funding_stability="stable")
    make_organization("E", kind="youth", province="32", stage="partnering", funding_stability="none")
    query = {"kind": "youth", "province": "32", "stage": "partnering", "funding": "stable"}
    assert names(client_for(facilitator).get("/organizations/", query)) == ["A"]


@pytest.mark.django_db
def test_it_sorts_and_keeps_archived_groups_out_unless_asked(facilitator) -> None:
    make_organization("Old", founded_year=1990)
    make_organization("New", founded_year=2020)
    make_organization("Gone", archived_at=timezone.now())
    client = client_for(facilitator)
    assert names(client.get("/organizations/", {"sort": "founded"})) == ["Old", "New"]
    assert names(client.get("/organizations/", {"archived": "on"})) == ["Gone"]


@pytest.mark.django_db
def test_it_ignores_nonsense_in_the_url_instead_of_failing(facilitator) -> None:
    make_organization("A")
    response = client_for(facilitator).get(
        "/organizations/", {"kind": "spaceship", "sort": "'; DROP TABLE", "page": "last-but-one", "q": "%%%"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_paginates_with_the_filters_in_every_link(facilitator) -> None:
    bulk_organizations(30)
    response = client_for(facilitator).get("/organizations/", {"q": "sampah", "page": "2"})
    assert len(names(response)) == 5
    assert 'href="?q=sampah&amp;page=1"' in response.content.decode()


@pytest.mark.django_db
def test_it_answers_htmx_with_the_results_fragment_only(facilitator) -> None:
    make_organization("Kelompok Tani Makmur")
    response = client_for(facilitator).get("/organizations/", {"q": "makmur"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Kelompok Tani Makmur" in html
    assert "<html" not in html and "<form" not in html


@pytest.mark.django_db
def test_it_says_what_to_do_when_the_directory_is_empty(facilitator) -> None:
    html = client_for(facilitator).get("/organizations/").content.decode()
    assert "Add the first group you work with" in html


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 1000])
def test_it_costs_the_same_queries_at_10_and_1000_organizations(facilitator, size: int) -> None:
    bulk_organizations(size)
    client = client_for(facilitator)
    organization = Organization.objects.order_by("pk").first()
    counts = {}
    for label, path in [
        ("directory", "/organizations/"),
        ("search", "/organizations/?q=sampah&sort=updated"),
        # An old link past the last page gets the last page: the count, then that page.
        ("search, past the end", "/organizations/?q=sampah&sort=updated&page=99"),
        ("profile", f"/organizations/{organization.pk}/"),
    ]:
        client.get(path)  # warm per-process caches (content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[label] = len(queries)
    # Session + user + role groups, then the page's own queries (the profile's
    # change history: two per kind of record, its rows and their predecessors; with the panels: partnerships (2),
    # lessons (1)). A search's count comes with its page (accounts.paging).
    assert counts == {"directory": 6, "search": 5, "search, past the end": 7, "profile": 22}
