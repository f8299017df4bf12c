"""CSV export of the directory and CSV import with a preview (partners/transfer.py)."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlparse

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners import transfer
from partners.models import FocusArea, Organization
from partners.services import organization_save
from tests.conftest import client_for

EXPORT_URL = "/organizations/export.csv"
IMPORT_URL = "/organizations/import/"
HTMX = {"HX-Request": "true"}


def make_organization(name: str, *, focus: tuple[str, ...] = (), **fields: object) -> Organization:
    return organization_save(user=None, organization=Organization(name=name, **fields), focus_area_names=list(focus))


def csv_text(rows: list[dict[str, object]], columns: tuple[str, ...] = transfer.COLUMNS, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def many_rows(count: int) -> list[dict[str, object]]:
    kinds = ["youth", "Women's group", "SAVINGS CIRCLE", "farmer_fisher"]
    return [
        {
            "name": f"Kelompok Impor {n:04}",
            "kind": kinds[n % 4],
            "mission": "Bank sampah, daur ulang dan edukasi lingkungan",
            "focus_areas": f"waste, area {n % 25}",
            "province": "Jawa Barat" if n % 2 else "35",
            "regency": "Kota Bandung",
            "founded_year": 1990 + n % 30,
            "approx_members": n % 90,
            "approx_reach": n * 3,
            "legal_status": "association",
            "funding_stability": "Irregular",
            "stage": "first_contact",
        }
        for n in range(count)
    ]


def upload(client, text: str | bytes, *, name: str = "organizations.csv", htmx: bool = False):
    data = text.encode() if isinstance(text, str) else text
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(IMPORT_URL, {"file": file}, headers=HTMX if htmx else {})


def plan_for(text: str) -> transfer.ImportPlan:
    """What a preview of the text would sign: every row it reads without a problem."""
    preview = transfer.import_preview(transfer.organizations_check(text=text))
    return transfer.plan_from_payload(transfer.import_payload(text=text, preview=preview))


def payload_for(text: str) -> str:
    return transfer.import_payload(text=text, preview=transfer.import_preview(transfer.organizations_check(text=text)))


def confirm(client, text: str, *, htmx: bool = False):
    return client.post(IMPORT_URL, {"payload": payload_for(text)}, headers=HTMX if htmx else {})


def errors_of(response) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in response.context["check"].errors]


def file_errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


def exported(response) -> tuple[str, list[dict[str, str]]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return body, list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


# The acceptance criteria


@pytest.mark.django_db
def test_it_saves_nothing_from_1000_rows_with_one_bad_row_and_names_it(facilitator) -> None:
    rows = many_rows(1000)
    rows[636]["founded_year"] = timezone.localdate().year + 1  # file row 638: the header is row 1
    text = csv_text(rows)
    client = client_for(facilitator)

    previewed = upload(client, text)
    confirmed = confirm(client, text)  # even a forged confirm re-checks every row

    for response in (previewed, confirmed):
        assert response.status_code == 200
        assert errors_of(response) == [(638, "founded_year")]
        assert b"Import 999 organizations" not in response.content
        assert "row 638" in response.content.decode()
    assert previewed.context["check"].valid_count == 999
    assert "confirm" not in previewed.context
    assert Organization.objects.count() == 0
    assert FocusArea.objects.count() == 0
    assert Organization.history.count() == 0


@pytest.mark.django_db
def test_it_saves_1000_organizations_from_a_valid_file(facilitator) -> None:
    client = client_for(facilitator)
    text = csv_text(many_rows(1000))

    previewed = upload(client, text)
    assert previewed.context["check"].valid_count == 1000
    payload = previewed.context["confirm"]["payload"].value()
    response = client.post(IMPORT_URL, {"payload": payload})

    assert response.status_code == 302
    assert response["Location"] == reverse("partners:directory") + "?sort=updated"
    assert Organization.objects.count() == 1000
    assert Organization.history.filter(history_type="+", history_user=facilitator).count() == 1000
    assert FocusArea.objects.count() == 26
    organization = Organization.objects.get(name="Kelompok Impor 0003")
    assert (organization.kind, organization.province, organization.funding_stability) == (
        "farmer_fisher",
        "32",
        "irregular",
    )
    assert organization.created_by == facilitator
    # What search needs beyond the row's own columns (partners.search): the province's name, the focus areas.
    assert organization.search_document == "Jawa Barat\nwaste area 3"
    assert sorted(area.name for area in organization.focus_areas.all()) == ["area 3", "waste"]


# Import: one transaction


@pytest.mark.django_db
def test_it_undoes_every_saved_row_when_a_later_save_fails(facilitator, monkeypatch) -> None:
    calls = []

    def failing_save(**kwargs: object) -> Organization:
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return organization_save(**kwargs)

    monkeypatch.setattr(transfer, "organization_save", failing_save)
    with pytest.raises(RuntimeError):
        transfer.organizations_import(user=facilitator, plan=plan_for(csv_text(many_rows(5))))

    assert len(calls) == 3
    assert Organization.objects.count() == 0
    assert FocusArea.objects.count() == 0
    assert Organization.history.count() == 0


# Import: what a row may hold


@pytest.mark.django_db
def test_it_accepts_codes_english_labels_and_province_names_in_any_case(facilitator) -> None:
    text = csv_text(
        [
            {"name": "A", "kind": "YOUTH GROUP", "legal_status": "Foundation (yayasan)", "province": "jawa timur"},
            {
                "name": "B",
                "kind": "women",
                "funding_stability": "no funding",
                "stage": "Building trust",
                "province": "51",
            },
        ]
    )
    confirm(client_for(facilitator), text)

    values = Organization.objects.order_by("name").values_list(
        "kind", "legal_status", "province", "funding_stability", "stage"
    )
    assert list(values) == [
        ("youth", "foundation", "35", "unknown", "identified"),
        ("women", "unregistered", "51", "none", "building_trust"),
    ]


@pytest.mark.django_db
def test_it_reports_every_bad_cell_with_its_row_and_column(facilitator) -> None:
    year = timezone.localdate().year
    text = csv_text(
        [
            {"name": "Fine", "mission": "Line one\nline two of the same cell"},
            {"name": "", "kind": "club"},
            {"name": "C", "founded_year": 1899, "approx_members": -3, "approx_reach": "1.200"},
            {"name": "D", "founded_year": year + 1, "province": "Atlantis", "stage": "friends"},
            {"name": "E" * 201, "funding_stability": "rich", "legal_status": "pt"},
        ]
    )
    response = upload(client_for(facilitator), text)

    assert set(errors_of(response)) == {
        (3, "kind"),
        (3, "name"),
        (4, "founded_year"),
        (4, "approx_members"),
        (4, "approx_reach"),
        (5, "founded_year"),
        (5, "province"),
        (5, "stage"),
        (6, "name"),
        (6, "funding_stability"),
        (6, "legal_status"),
    }
    assert response.context["check"].valid_count == 1
    assert "confirm" not in response.context
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_it_names_unknown_columns_and_still_checks_the_rows(facilitator) -> None:
    text = "name,colour,internal_notes\nA,blue,secret\n,red,\n"
    response = upload(client_for(facilitator), text)

    assert errors_of(response) == [(1, "colour"), (1, "internal_notes"), (3, "name")]
    assert "Unknown column" in response.context["check"].errors[0].message
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_it_requires_a_header_row_with_a_name_column(facilitator) -> None:
    response = upload(client_for(facilitator), "Kelompok Tani Maju,youth\nKelompok Nelayan,women\n")

    assert (1, "name") in errors_of(response)
    assert response.context["check"].valid_count == 0


@pytest.mark.django_db
def test_it_flags_cells_beyond_the_header(facilitator) -> None:
    response = upload(client_for(facilitator), "name,kind\nA,youth,stray\nB,youth,,\n")

    assert errors_of(response) == [(2, "")]
    assert response.context["check"].valid_count == 1


@pytest.mark.django_db
def test_it_reads_semicolon_files_from_excel_in_indonesian(facilitator) -> None:
    text = csv_text([{"name": "Koperasi Sejahtera", "kind": "savings", "approx_members": 40}], delimiter=";")
    client = client_for(facilitator)
    response = upload(client, "\ufeff" + text)
    client.post(IMPORT_URL, {"payload": response.context["confirm"]["payload"].value()})

    assert list(Organization.objects.values_list("name", "kind", "approx_members")) == [
        ("Koperasi Sejahtera", "savings", 40)
    ]


# Import: files that cannot be read


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name\nKoperasi \x81\x8d\n", "cannot be read"),
        (b"", "empty"),
        (b"\xef\xbb\xbf \r\n", "empty"),
        (b"name\x00kind\nA\x00youth\n", "not a CSV file"),
        (b"name,kind\n", "no organizations"),
        (b"name\n" + b"A\n" * (transfer.MAX_ROWS + 1), f"more than {transfer.MAX_ROWS} rows"),
    ],
    ids=["undecodable", "empty", "only-bom", "binary", "header-only", "too-many-rows"],
)
def test_it_explains_a_file_it_cannot_read(facilitator, content: bytes, message: str) -> None:
    response = upload(client_for(facilitator), content)

    assert response.status_code == 200
    assert any(message in error for error in file_errors(response))
    assert "check" not in response.context
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_file_over_5_mb(facilitator) -> None:
    content = b"name,mission\n" + b"A," + b"x" * transfer.MAX_BYTES + b"\n"
    response = upload(client_for(facilitator), content)

    assert any("larger than 5 MB" in error for error in file_errors(response))
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_it_asks_for_a_file_when_none_is_sent(facilitator) -> None:
    response = client_for(facilitator).post(IMPORT_URL, {})

    assert file_errors(response) == ["Choose a CSV file to check."]


@pytest.mark.django_db
def test_it_refuses_a_tampered_confirmation(facilitator) -> None:
    payload = payload_for(csv_text(many_rows(2)))
    response = client_for(facilitator).post(IMPORT_URL, {"payload": payload[:-3] + "abc"})

    assert response.status_code == 200
    assert "Upload it again" in response.content.decode()
    assert Organization.objects.count() == 0


# Import: the page, with and without htmx


@pytest.mark.django_db
def test_it_shows_a_labelled_upload_form_that_htmx_posts_with_an_indicator(facilitator) -> None:
    response = client_for(facilitator).get(IMPORT_URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<label for="id_file">' in html
    assert 'type="file" name="file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'hx-post="{IMPORT_URL}"' in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert 'hx-indicator="#import-checking"' in html
    assert 'id="import-checking" class="htmx-indicator"' in html
    assert "<progress" in html
    assert "Checking the file…" in html
    assert "style=" not in html
    assert "hx-on" not in html


@pytest.mark.django_db
def test_it_answers_htmx_with_the_preview_fragment_then_redirects_the_client(facilitator) -> None:
    client = client_for(facilitator)
    names = ["Karang Taruna Bina Remaja", "Kelompok Nelayan Bahari", "Koperasi Wanita Sejahtera"]
    previewed = upload(client, csv_text([{"name": name, "regency": "Kota Bandung"} for name in names]), htmx=True)
    html = previewed.content.decode()

    assert html.lstrip().startswith('<div id="importer">')
    assert "<html" not in html
    assert "Import 3 organizations" in html

    confirmed = client.post(IMPORT_URL, {"payload": previewed.context["confirm"]["payload"].value()}, headers=HTMX)
    assert confirmed["HX-Redirect"] == reverse("partners:directory") + "?sort=updated"
    assert Organization.objects.count() == 3


# Import: the preview and possible duplicates


def preview_of(response) -> transfer.ImportPreview:
    return response.context["preview"]


def skip_boxes(html: str) -> list[str]:
    """The row numbers of the ticked skip checkboxes on the page."""
    return re.findall(r'<input type="checkbox" name="skip" value="(\d+)" id="import-skip-\d+" checked>', html)


def confirm_preview(client, response, *, skip: list[str]):
    payload = response.context["confirm"]["payload"].value()
    return client.post(IMPORT_URL, {"payload": payload, "skip": skip})


@pytest.mark.django_db
def test_it_previews_the_first_50_rows_and_counts_the_rest(facilitator) -> None:
    rows = many_rows(60)
    for n, row in enumerate(rows):
        row["regency"] = f"Kabupaten {n:02}"  # one group per regency: nothing looks like a duplicate
    response = upload(client_for(facilitator), csv_text(rows))
    html = response.content.decode()

    assert [entry.row.row for entry in preview_of(response).shown] == list(range(2, 52))
    assert "Kelompok Impor 0000" in html
    assert "Kelompok Impor 0049" in html
    assert "Kelompok Impor 0050" not in html
    assert "…and 10 more rows." in html
    assert "Import 60 organizations" in html
    assert skip_boxes(html) == []
    assert Organization.objects.count() == 0


DUPLICATES_FILE = [
    {"name": "kelompok tani  SRI REJEKI", "regency": "kabupaten subang"},  # row 2: already in the directory
    {"name": "Bank Sampah Berseri", "regency": "Kota Bandung"},  # row 3
    {"name": "Bank Sampah Berseri.", "regency": "KOTA BANDUNG"},  # row 4: row 3 again
    {"name": "Kelompok Tani Sri Rejeki", "regency": "Kabupaten Garut"},  # row 5: another regency
    {"name": "Karang Taruna Tunas Muda"},  # rows 6 and 7: no regency, no comparison (as in the form)
    {"name": "Karang Taruna Tunas Muda"},
]


@pytest.mark.django_db
def test_it_marks_possible_duplicates_of_the_directory_and_of_earlier_rows(facilitator) -> None:
    existing = make_organization("Kelompok Tani Sri Rejeki", regency="Kabupaten Subang")
    response = upload(client_for(facilitator), csv_text(DUPLICATES_FILE))
    html = response.content.decode()
    flagged = {entry.row.row: entry for entry in preview_of(response).flagged}

    assert sorted(flagged) == [2, 4]
    assert flagged[2].duplicates == [existing]
    assert flagged[4].earlier_row.row == 3
    assert skip_boxes(html) == ["2", "4"]
    assert f'href="/organizations/{existing.pk}/"' in html
    assert "Row 3 of this file: Bank Sampah Berseri" in html
    assert "Import, skipping the ticked rows" in html
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_it_names_three_look_alikes_of_a_row_and_counts_the_others(facilitator) -> None:
    for letter in "ABCDE":
        make_organization(f"Kelompok Tani Sri Rejeki {letter}", regency="Kabupaten Subang")
    response = upload(client_for(facilitator), csv_text([{"name": "Kelompok Tani Sri Rejeki", "regency": "Subang"}]))
    assert preview_of(response).flagged == []

    response = upload(
        client_for(facilitator), csv_text([{"name": "Kelompok Tani Sri Rejeki", "regency": "Kabupaten Subang"}])
    )
    html = response.content.decode()

    assert len(preview_of(response).flagged[0].duplicates) == 5
    assert len(re.findall(r'href="/organizations/\d+/"', html)) == 3
    assert "…and 2 more in the directory" in html


@pytest.mark.django_db
def test_it_skips_the_ticked_duplicates_and_imports_the_rest(facilitator) -> None:
    make_organization("Kelompok Tani Sri Rejeki", regency="Kabupaten Subang")
    client = client_for(facilitator)
    previewed = upload(client, csv_text(DUPLICATES_FILE))

    response = confirm_preview(client, previewed, skip=skip_boxes(previewed.content.decode()))

    assert response.status_code == 302
    assert sorted(Organization.objects.values_list("name", "regency")) == [
        ("Bank Sampah Berseri", "Kota Bandung"),
        ("Karang Taruna Tunas Muda", ""),
        ("Karang Taruna Tunas Muda", ""),
        ("Kelompok Tani Sri Rejeki", "Kabupaten Garut"),
        ("Kelompok Tani Sri Rejeki", "Kabupaten Subang"),
    ]
    assert Organization.history.filter(history_user=facilitator).count() == 4
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["4 organizations were imported.", "2 possible duplicates were skipped."]


@pytest.mark.django_db
def test_it_imports_an_unticked_duplicate_anyway(facilitator) -> None:
    make_organization("Kelompok Tani Sri Rejeki", regency="Kabupaten Subang")
    client = client_for(facilitator)
    previewed = upload(client, csv_text(DUPLICATES_FILE))

    confirm_preview(client, previewed, skip=["4"])

    assert Organization.objects.filter(name__iexact="kelompok tani  sri rejeki", regency="kabupaten subang").exists()
    assert Organization.objects.filter(name__startswith="Bank Sampah").count() == 1
    assert Organization.objects.count() == 1 + 5


@pytest.mark.django_db
def test_it_imports_what_the_preview_promised_even_if_the_directory_changed(facilitator) -> None:
    client = client_for(facilitator)
    previewed = upload(client, csv_text(DUPLICATES_FILE))
    assert [entry.row.row for entry in preview_of(previewed).flagged] == [4]
    # Someone adds row 2's group while the preview is open: the preview said it is new.
    make_organization("Kelompok Tani Sri Rejeki", regency="Kabupaten Subang")

    confirm_preview(client, previewed, skip=["4"])

    assert Organization.objects.filter(regency__iexact="kabupaten subang").count() == 2
    assert Organization.objects.count() == 1 + 5


@pytest.mark.django_db
def test_it_refuses_to_skip_a_row_the_preview_did_not_mark(facilitator) -> None:
    client = client_for(facilitator)
    previewed = upload(client, csv_text(DUPLICATES_FILE))

    response = confirm_preview(client, previewed, skip=["3", "4"])

    assert response.status_code == 200
    assert "Only rows marked as possible duplicates can be skipped" in response.content.decode()
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_it_says_so_when_every_row_is_skipped(facilitator) -> None:
    make_organization("Bank Sampah Berseri", regency="Kota Bandung")
    client = client_for(facilitator)
    previewed = upload(client, csv_text([{"name": "Bank Sampah Berseri", "regency": "Kota Bandung"}]))

    response = confirm_preview(client, previewed, skip=["2"])

    assert response.status_code == 302
    assert Organization.objects.count() == 1
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Nothing was imported: every row was skipped.", "1 possible duplicate was skipped."]


@pytest.mark.django_db
def test_it_looks_for_duplicates_in_one_query_whatever_the_number_of_rows(facilitator) -> None:
    for n in range(30):
        make_organization(f"Kelompok Lama {n:02}", regency="Kota Bandung")
    counts = []
    for total in (5, 500):
        check = transfer.organizations_check(text=csv_text(many_rows(total)))
        with CaptureQueriesContext(connection) as queries:
            preview = transfer.import_preview(check)
        counts.append(len(queries))
        assert len(preview.rows) == total
    assert counts == [1, 1]


# Import: files from Excel and other spreadsheets


ODD_NAMES = ["Kelompok Tani Sri Rejeki; Desa Ciherang", "Kopi Mbah Sumi é", "Warung “Bu Ratna” \u2013 Sleman"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "cp1252"), (",", "cp1252"), (";", "utf-8-sig"), ("\t", "utf-8"), ("\t", "utf-16")],
    ids=["excel-semicolon-ansi", "excel-comma-ansi", "excel-utf8-bom", "tab", "excel-unicode-text"],
)
def test_it_reads_spreadsheet_files_in_their_delimiter_and_encoding(facilitator, delimiter, encoding) -> None:
    rows = [{"name": name, "kind": "farmer_fisher", "approx_members": 12} for name in ODD_NAMES]
    text = csv_text(rows, delimiter=delimiter).replace("\n", "\r\n")
    client = client_for(facilitator)

    previewed = upload(client, text.encode(encoding))
    confirm_preview(client, previewed, skip=[])

    assert sorted(Organization.objects.values_list("name", "kind", "approx_members")) == sorted(
        (name, "farmer_fisher", 12) for name in ODD_NAMES
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('name,kind\nKelompok A,youth\n"Kelompok B,youth\nKelompok C,women\n', 3),
        ('name,kind\nKelompok A,youth\n"Kelompok, B" muda,youth\nKelompok C,women\n', 3),
        ('name;kind\n"Kelompok A\nbaris dua";youth\n"Kelompok B";youth\n"Kelompok C;women\n', 5),
    ],
    ids=["unclosed-quote", "text-after-quote", "unclosed-after-a-two-line-cell"],
)
def test_it_refuses_a_file_with_a_broken_quotation_mark_and_saves_nothing(facilitator, content, line) -> None:
    make_organization("Kelompok Lama", regency="Kota Bandung")
    client = client_for(facilitator)

    response = upload(client, content)
    forged_payload = transfer.import_payload(text=content, preview=transfer.ImportPreview(rows=[]))
    forged = client.post(IMPORT_URL, {"payload": forged_payload})

    errors = file_errors(response)
    assert len(errors) == 1
    assert f"The row that starts on line {line} of the file cannot be read as CSV" in errors[0]
    assert "quotation mark" in errors[0]
    assert "check" not in response.context
    assert forged.status_code == 200
    assert "cannot be read as CSV" in forged.content.decode()
    assert list(Organization.objects.values_list("name", flat=True)) == ["Kelompok Lama"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "error"),
    [
        # Line 3 opens a quotation mark that a stray one at the end of line 5 closes: three rows in one name.
        (
            'name,kind\nKelompok A,youth\n"Kelompok B,youth\nKelompok C,women\nKelompok D,youth"\nKelompok E,youth\n',
            (3, "name", 3, 5),
        ),
        # The same in the regency column: the rows below vanish into one group's regency.
        (
            'name,regency,kind\nKelompok A,Kota Malang,youth\nKelompok B,"Kota Batu,youth\n'
            'Kelompok C,Kota Blitar,women\nKelompok D,Kota Kediri",youth\n',
            (3, "regency", 3, 5),
        ),
    ],
    ids=["name", "regency"],
)
def test_it_refuses_rows_swallowed_by_a_quotation_mark_closed_lines_later(facilitator, content, error) -> None:
    make_organization("Kelompok Lama", regency="Kota Bandung")
    client = client_for(facilitator)

    previewed = upload(client, content)
    confirmed = confirm(client, content)  # a forged confirmation is checked again

    row, column, first, last = error
    for response in (previewed, confirmed):
        assert response.status_code == 200
        assert (row, column) in errors_of(response)
        page = response.content.decode()
        assert f"lines {first} to {last}" in page
        assert "quotation mark" in page
    assert "confirm" not in previewed.context
    assert list(Organization.objects.values_list("name", flat=True)) == ["Kelompok Lama"]


@pytest.mark.django_db
def test_it_keeps_line_breaks_in_the_long_text_columns(facilitator) -> None:
    text = csv_text(
        [{"name": "Kelompok A", "mission": "Bank sampah,\ndaur ulang, edukasi", "values": "Gotong\nroyong"}]
    )
    client = client_for(facilitator)
    confirm_preview(client, upload(client, text), skip=[])
    assert list(Organization.objects.values_list("mission", "values")) == [
        ("Bank sampah,\ndaur ulang, edukasi", "Gotong\nroyong")
    ]


# Import: names by the rule of the forms (partners/text.py)


@pytest.mark.django_db
def test_it_refuses_a_row_whose_name_is_only_invisible_characters(facilitator) -> None:
    text = csv_text(
        [
            {"name": "Kelompok A", "kind": "youth"},
            {"name": "\u200b", "kind": "youth"},
            {"name": "\u200c\u200d\u2060\ufeff\u00ad \u3164", "kind": "youth"},
        ]
    )
    client = client_for(facilitator)
    response = upload(client, text)
    confirmed = confirm(client, text)

    for checked in (response, confirmed):
        assert errors_of(checked) == [(3, "name"), (4, "name")]
        assert "only spaces or invisible characters" in checked.content.decode()
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_it_imports_names_without_bidirectional_controls_and_leaves_indonesian_names_as_they_are(
    facilitator,
) -> None:
    names = [
        "Kelompok\u202eTani",
        "\u2066Karang Taruna\u2069 Tunas\u200f",
        "Kelompok Nelayan Ma'rifat",
        "Paguyuban Sêni Jâwa",
    ]
    text = csv_text([{"name": name, "kind": "youth", "regency": f"Kota {n}\u202e"} for n, name in enumerate(names)])
    client = client_for(facilitator)
    confirm_preview(client, upload(client, text), skip=[])
    assert sorted(Organization.objects.values_list("name", "regency")) == sorted(
        [
            ("KelompokTani", "Kota 0"),
            ("Karang Taruna Tunas", "Kota 1"),
            ("Kelompok Nelayan Ma'rifat", "Kota 2"),
            ("Paguyuban Sêni Jâwa", "Kota 3"),
        ]
    )


# Export


@pytest.mark.django_db
def test_it_exports_the_filtered_directory_without_internal_notes(facilitator) -> None:
    make_organization(
        "Karang Taruna Bina Remaja",
        kind="youth",
        province="32",
        mission="Bank sampah",
        focus=("waste", "Digital literacy"),
        founded_year=2004,
        internal_notes="Ketua sedang sakit: jangan hubungi",
    )
    make_organization("Kelompok Wanita Tani", kind="women", province="32", internal_notes="rahasia")
    make_organization("Karang Taruna Lama", kind="youth", province="32", archived_at=timezone.now())
    make_organization("Karang Taruna Bali", kind="youth", province="51")

    response = client_for(facilitator).get(EXPORT_URL, {"kind": "youth", "province": "32"})
    body, rows = exported(response)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organizations-')
    assert body.startswith("\ufeffname,kind,mission,")
    assert list(rows[0]) == list(transfer.COLUMNS)
    assert [row["name"] for row in rows] == ["Karang Taruna Bina Remaja"]
    assert rows[0]["focus_areas"] == "Digital literacy, waste"
    assert (rows[0]["province"], rows[0]["founded_year"], rows[0]["approx_members"]) == ("32", "2004", "")
    assert "internal_notes" not in body
    assert "jangan hubungi" not in body
    assert "rahasia" not in body


@pytest.mark.django_db
def test_it_exports_every_match_not_one_page_in_fixed_queries(facilitator) -> None:
    client = client_for(facilitator)
    counts = []
    for total in (3, 60):
        while Organization.objects.count() < total:
            make_organization(f"Kelompok {Organization.objects.count():03}", focus=("waste", "youth"))
        with CaptureQueriesContext(connection) as queries:
            _body, rows = exported(client.get(EXPORT_URL, {"q": "kelompok", "sort": "relevance"}))
        counts.append(len(queries))
        assert len(rows) == total
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_it_imports_what_it_exported(facilitator) -> None:
    make_organization(
        "Komunitas Difabel Mandiri",
        kind="advocacy",
        mission='Advokasi hak, "aksesibilitas"\nbaris kedua',
        values="Inklusi",
        own_goals="=1+1 bukan rumus",
        focus=("disability rights", "Advocacy"),
        province="34",
        regency="Sleman",
        founded_year=2011,
        approx_members=35,
        approx_reach=0,
        legal_status="association",
        registration_number="AHU-0012.AH.01.07",
        funding_sources="-Iuran anggota",
        funding_stability="stable",
        stage="partnering",
        internal_notes="tidak ikut diekspor",
    )
    make_organization("Kelompok Kosong")
    fields = [column for column in transfer.COLUMNS if column != "focus_areas"]
    before = list(Organization.objects.order_by("name").values(*fields))
    client = client_for(facilitator)
    body, _rows = exported(client.get(EXPORT_URL))

    Organization.objects.all().delete()
    previewed = upload(client, body.encode("utf-8"))
    client.post(IMPORT_URL, {"payload": previewed.context["confirm"]["payload"].value()})

    assert list(Organization.objects.order_by("name").values(*fields)) == before
    imported = Organization.objects.get(name="Komunitas Difabel Mandiri")
    assert sorted(area.name for area in imported.focus_areas.all()) == ["Advocacy", "disability rights"]
    assert imported.internal_notes == ""


@pytest.mark.django_db
def test_it_neutralises_spreadsheet_formulas_in_the_export(facilitator) -> None:
    make_organization("=HYPERLINK(1)", mission="@SUM(A1)")
    _body, rows = exported(client_for(facilitator).get(EXPORT_URL))

    assert (rows[0]["name"], rows[0]["mission"]) == ("'=HYPERLINK(1)", "'@SUM(A1)")


# Who may use it


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT_URL, IMPORT_URL])
def test_it_forbids_partner_members(partner_a, url: str) -> None:
    client = client_for(partner_a)

    assert client.get(url).status_code == 403
    if url == IMPORT_URL:
        assert confirm(client, csv_text(many_rows(2))).status_code == 403
        assert Organization.objects.filter(name__startswith="Kelompok Impor").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT_URL, IMPORT_URL])
def test_it_sends_anonymous_visitors_to_log_in(url: str) -> None:
    client = client_for(None)

    for response in (client.get(url), client.post(url, {"payload": "x"})):
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("accounts:login")
    assert Organization.objects.count() == 0
