"""The commitments as CSV: shared content only, organizations only, formula-safe, for facilitators and partners."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from engagements import services
from tests.conftest import client_for
from tests.engagements.commitments.conftest import INTERNAL, make

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid","klik")'


def export_rows(user, partnership, **query: str) -> list[list[str]]:
    response = client_for(user).get(reverse("engagements:commitment_export", args=[partnership.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def commitments(partnership, facilitator, org_a, org_m, contact_a):
    named = make(partnership, facilitator, by=org_a, to=org_m, text=FORMULA, promised_by_contact=contact_a)
    broken = make(partnership, facilitator, by=None, to=org_m, text="Mengirim laporan dana")
    services.commitments.commitment_mark_broken(user=facilitator, commitment=broken, reason="Listrik padam seminggu")
    return named, broken


@pytest.mark.parametrize("who", ["facilitator", "partner_a"])
def test_it_exports_the_commitments_without_internal_notes_or_names_and_formula_safe(
    who, request, partnership, commitments, org_a, org_m
) -> None:
    rows = export_rows(request.getfixturevalue(who), partnership)

    text = "\n".join(",".join(row) for row in rows)
    assert INTERNAL not in text
    assert "Bu Sri Wahyuni" not in text
    assert len(rows) == 3
    by_text = {row[0]: row for row in rows[1:]}
    assert "'" + FORMULA in by_text
    assert FORMULA not in by_text
    named = by_text["'" + FORMULA]
    assert (named[1], named[2], named[5]) == (org_a.name, org_m.name, "Open")
    broken = by_text["Mengirim laporan dana"]
    assert (broken[1], broken[2], broken[5], broken[7]) == (
        "The facilitating side",
        org_m.name,
        "Broken",
        "Listrik padam seminggu",
    )


def test_it_applies_the_lists_filters_to_the_export(facilitator, partnership, commitments) -> None:
    rows = export_rows(facilitator, partnership, state="broken")
    assert [row[0] for row in rows[1:]] == ["Mengirim laporan dana"]


def test_it_links_the_export_from_the_commitment_list(partner_a, partnership, commitments) -> None:
    page = client_for(partner_a).get(reverse("engagements:commitment_list", args=[partnership.pk]))
    assert reverse("engagements:commitment_export", args=[partnership.pk]) in page.content.decode()


def test_it_refuses_the_export_to_a_partner_member_of_another_partnership(partner_b, partnership, commitments) -> None:
    response = client_for(partner_b).get(reverse("engagements:commitment_export", args=[partnership.pk]))
    assert response.status_code == 404
