"""The portfolio as CSV: the list's columns, filters and order, every row, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from engagements.models import Partnership
from tests.conftest import client_for
from tests.engagements.portfolio.builders import many_partnerships
from tests.engagements.portfolio.conftest import Portfolio, days_ago

URL = "/partnerships.csv"
HEADER = [
    "Partnership",
    "Member organizations",
    "Status",
    "Health",
    "Health measured on",
    "Last contact",
    "Open commitments",
    "Overdue commitments",
    "Flags",
]


def rows_of(user, query: str = "") -> list[list[str]]:
    response = client_for(user).get(URL + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.django_db
def test_it_writes_the_columns_of_the_list(facilitator, portfolio: Portfolio) -> None:
    rows = rows_of(facilitator)
    today = timezone.localdate().isoformat()
    assert rows == [
        HEADER,
        ["Bank Sampah Sejahtera", rows[1][1], "Active", "80", today, days_ago(5).isoformat(), "2", "1", "1"],
        [
            "Kebun Pangan Lestari",
            "Kebun Kelompok 1; Kebun Kelompok 2; Kebun Kelompok 3",
            "Paused",
            "30",
            today,
            days_ago(20).isoformat(),
            "0",
            "0",
            "2",
        ],
        ["Mangrove Pesisir", "Mangrove Kelompok", "Exploring", "", "", "", "1", "0", "0"],
    ]
    assert rows[1][1].startswith("Bank Kelompok Satu; ")


@pytest.mark.django_db
def test_it_applies_the_filters_and_the_order_of_the_list(facilitator, portfolio: Portfolio) -> None:
    assert [row[0] for row in rows_of(facilitator, "?sort=-flags")[1:]] == [
        "Kebun Pangan Lestari",
        "Bank Sampah Sejahtera",
        "Mangrove Pesisir",
    ]
    assert [row[0] for row in rows_of(facilitator, "?flags=1&sort=health")[1:]] == [
        "Kebun Pangan Lestari",
        "Bank Sampah Sejahtera",
    ]
    assert [row[0] for row in rows_of(facilitator, "?overdue=1")[1:]] == ["Bank Sampah Sejahtera"]
    assert rows_of(facilitator, "?status=closed") == [HEADER]
    assert len(rows_of(facilitator, "?sort=bogus&status=nope&page=abc")) == 4


@pytest.mark.django_db
def test_it_writes_every_row_not_one_page(facilitator) -> None:
    many_partnerships(120, facilitator=facilitator)
    rows = rows_of(facilitator, "?sort=-title")
    assert [row[0] for row in rows[1:]] == list(Partnership.objects.order_by("-title").values_list("title", flat=True))


@pytest.mark.django_db
def test_it_keeps_a_spreadsheet_from_running_a_cell_as_a_formula(facilitator, portfolio: Portfolio) -> None:
    Partnership.objects.filter(pk=portfolio.bank.pk).update(title='=HYPERLINK("http://evil.example","x")')
    group = portfolio.mangrove.members.get().organization
    group.name = "+62 Kelompok @pesisir"
    group.save()
    Partnership.objects.filter(pk=portfolio.kebun.pk).update(title="-1+1")
    rows = {row[0]: row for row in rows_of(facilitator)[1:]}
    assert '\'=HYPERLINK("http://evil.example","x")' in rows
    assert "'-1+1" in rows
    assert rows["Mangrove Pesisir"][1] == "'+62 Kelompok @pesisir"


@pytest.mark.django_db
def test_it_holds_no_internal_notes_and_is_never_cached(facilitator, portfolio: Portfolio) -> None:
    response = client_for(facilitator).get(URL)
    assert "RAHASIA" not in b"".join(response.streaming_content).decode()
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'attachment; filename="partnerships-{timezone.localdate():%Y-%m-%d}.csv"'


@pytest.mark.django_db
def test_it_writes_the_header_in_the_users_language(facilitator, portfolio: Portfolio) -> None:
    facilitator.language = "id"
    facilitator.save()
    rows = rows_of(facilitator)
    assert rows[0][0] == "Kemitraan" and rows[0][2] == "Status"
    assert rows[1][2] == "Aktif"
