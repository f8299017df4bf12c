"""The directory's search: name, place, focus areas and mission, each word as the start of a word, ranked.

These run on whichever database the suite runs on (PostgreSQL's full-text
search on the generated, GIN-indexed column; SQLite's LIKE over the same
columns). Ranking is PostgreSQL's; SQLite lists the matches by name. The
EXPLAIN of the search at a few thousand groups is in test_scale.py.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from partners.models import Organization
from partners.services import search_document
from tests.conftest import client_for
from tests.partners.test_directory import make_organization, names

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://...: ranking is PostgreSQL's"
)


def search(user, **query: str) -> list[str]:
    response = client_for(user).get("/organizations/", query)
    assert response.status_code == 200
    return names(response)


@pytest.fixture
def groups() -> dict[str, Organization]:
    return {
        "klaten": make_organization(
            "Kelompok Tani Sri Rejeki", province="33", regency="Kabupaten Klaten", mission="Pupuk organik"
        ),
        "sleman": make_organization(
            "Karang Taruna Bina Remaja", province="34", regency="Kabupaten Sleman", focus=("waste", "digital literacy")
        ),
        "bali": make_organization("Subak Tirta", province="51", regency="Kabupaten Gianyar", mission="Irigasi sawah"),
    }


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("Klaten", ["Kelompok Tani Sri Rejeki"]),  # the regency
        ("klat", ["Kelompok Tani Sri Rejeki"]),  # the start of its name
        ("kabupaten klaten", ["Kelompok Tani Sri Rejeki"]),  # every word
        ("Jawa Tengah", ["Kelompok Tani Sri Rejeki"]),  # the province's name
        ("yogyakarta", ["Karang Taruna Bina Remaja"]),
        ("digital lit", ["Karang Taruna Bina Remaja"]),  # a focus area
        ("irigasi", ["Subak Tirta"]),  # the mission
        ("subak", ["Subak Tirta"]),  # the name
        ("sleman pupuk", []),  # words of two different groups
    ],
)
def test_it_finds_a_group_by_its_name_place_focus_areas_or_mission(groups, facilitator, words, found) -> None:
    assert search(facilitator, q=words) == found


def test_it_finds_every_group_of_a_regency_and_keeps_the_other_filters(groups, facilitator) -> None:
    make_organization("Paguyuban Petani Klaten", province="33", regency="Kabupaten Klaten", kind="youth")
    assert search(facilitator, q="klaten", sort="name") == ["Kelompok Tani Sri Rejeki", "Paguyuban Petani Klaten"]
    assert search(facilitator, q="klaten", kind="youth") == ["Paguyuban Petani Klaten"]


def test_it_keeps_the_search_document_as_the_service_saves_it(groups) -> None:
    sleman = Organization.objects.get(pk=groups["sleman"].pk)
    # The province's name, then the focus areas on the last line (the change history reads that line).
    assert sleman.search_document == "DI Yogyakarta\nwaste digital literacy"
    assert search_document(Organization(), []) == "\n"


def test_a_group_written_past_the_services_is_still_found_by_its_own_columns(facilitator) -> None:
    # bulk_create leaves search_document empty; the columns the database indexes itself are enough.
    Organization.objects.bulk_create([Organization(name="Kelompok Massal", regency="Kota Ambon", mission="Sasi laut")])
    assert search(facilitator, q="ambon") == ["Kelompok Massal"]
    assert search(facilitator, q="sasi") == ["Kelompok Massal"]


def test_a_renamed_group_is_found_by_its_new_name_at_once(groups, facilitator) -> None:
    # The generated column follows every UPDATE, even one that skips the services.
    Organization.objects.filter(pk=groups["bali"].pk).update(name="Subak Abian Jaya", regency="Kabupaten Bangli")
    assert search(facilitator, q="bangli jaya") == ["Subak Abian Jaya"]
    assert search(facilitator, q="gianyar") == []


@needs_postgres
def test_it_ranks_the_name_above_the_place_and_the_place_above_the_mission(facilitator) -> None:
    make_organization("Kelompok Nelayan Bahari", mission="Menjaga hutan mangrove")
    make_organization("Mangrove Lestari", mission="Pembibitan")
    make_organization("Kelompok Pesisir", regency="Mangrove Hilir")
    # Best match is the default order of a search; by name when asked.
    assert search(facilitator, q="mangrove") == ["Mangrove Lestari", "Kelompok Pesisir", "Kelompok Nelayan Bahari"]
    assert search(facilitator, q="mangrove", sort="name") == [
        "Kelompok Nelayan Bahari",
        "Kelompok Pesisir",
        "Mangrove Lestari",
    ]


def test_the_sort_menu_offers_best_match_first(facilitator) -> None:
    html = client_for(facilitator).get("/organizations/").content.decode()
    assert html.index('value="relevance"') < html.index('value="name"')


HOSTILE = ["'", "%", "_", "\\", "a:* & | ! ( ) <-> :A", "'; DROP TABLE partners_organization; --", "x" * 300, "\u0000"]


@pytest.mark.parametrize("words", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_search_never_fails(groups, facilitator, words) -> None:
    client = client_for(facilitator)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        assert client.get("/organizations/", {"q": words}, **headers).status_code == 200
    assert client.get("/organizations/export.csv", {"q": words}).status_code == 200
    assert Organization.objects.count() == 3


def test_the_migration_rewrites_old_documents_and_keeps_their_focus_area_line() -> None:
    migration = importlib.import_module("partners.migrations.0005_search_and_indexes")
    organization = make_organization("Kelompok Lama", province="33", mission="Misi")
    Organization.objects.filter(pk=organization.pk).update(search_document="Kelompok Lama\nMisi\nwaste Fisheries")

    migration.province_and_focus_areas(apps, None)
    assert Organization.objects.get(pk=organization.pk).search_document == "Jawa Tengah\nwaste Fisheries"

    migration.name_mission_and_focus_areas(apps, None)
    assert Organization.objects.get(pk=organization.pk).search_document == "Kelompok Lama\nMisi\nwaste Fisheries"
