"""Organizations in and out of the directory as CSV files.

Export streams what the directory shows, in constant memory. Import checks
a whole file first, reports every problem with its row and column, previews
the rows with the possible duplicates marked (the rule of the "Add an
organization" form), and then saves every row the user kept or none, each
through ``organization_save`` so that search documents and the change
history stay complete.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import PROFILE_FIELDS, FundingStability, Kind, LegalStatus, Organization, Stage
from partners.regions import PROVINCES
from partners.selectors import possible_duplicates_of_many, possible_duplicates_within
from partners.services import focus_areas_get_or_create, organization_save, parse_focus_areas
from partners.text import clean_name, clean_names_list, clean_text, validate_name

# The file's columns, in the order the export writes them. Never
# internal_notes: an export leaves Rekan, and those notes must not.
COLUMNS = ("name", *PROFILE_FIELDS, "stage")
CHOICE_COLUMNS: dict[str, type[models.TextChoices]] = {
    "kind": Kind,
    "legal_status": LegalStatus,
    "funding_stability": FundingStability,
    "stage": Stage,
}
COUNT_COLUMNS = ("approx_members", "approx_reach")
# The columns whose cells may hold line breaks; in any other a line break means a cell
# ran on into the next rows (a quotation mark closed much later than it should have).
TEXT_COLUMNS = frozenset(
    field.name for field in Organization._meta.get_fields() if isinstance(field, models.TextField)
) & frozenset(COLUMNS)
_LINE_BREAK = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
MAX_MEGABYTES = 5
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
# 5 MB of one-word rows would be a million organizations. Each one is saved
# through organization_save (8 queries, about 4 ms on PostgreSQL), so this
# keeps a confirm request well inside gunicorn's 30-second timeout.
MAX_ROWS = 2000
MAX_SHOWN_ERRORS = 200
# Rows of an export read, and sent, at a time.
EXPORT_CHUNK = 2000
PAYLOAD_SALT = "partners.transfer.import"
PAYLOAD_MAX_AGE = datetime.timedelta(hours=12)
# Spreadsheets run a cell that starts with one of these as a formula
# ("CSV injection"); the export neutralises it with a leading apostrophe and
# the import takes that apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t")
PREVIEW_ROWS = 50
PREVIEW_DUPLICATES = 3  # per row: enough to recognise the group, short enough for 2000 rows


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user, translated."""


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    organization: Organization
    focus_area_names: list[str]


@dataclass(frozen=True)
class ImportCheck:
    rows: list[ImportRow]  # the rows without a problem
    errors: list[RowError]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def valid_count(self) -> int:
        return len(self.rows)

    @property
    def first_error_row(self) -> int | None:
        return min((error.row for error in self.errors), default=None)

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def more_errors(self) -> int:
        return max(len(self.errors) - MAX_SHOWN_ERRORS, 0)


class ImportRejected(Exception):
    """A file with problems: nothing was saved."""

    def __init__(self, check: ImportCheck) -> None:
        super().__init__(f"{len(check.errors)} problems")
        self.check = check


# Export


class Echo:
    """A file-like object for csv.writer that hands each line back."""

    def write(self, value: str) -> str:
        return value


def export_cell(value: object) -> str:
    """Text for one cell of an exported CSV; a leading apostrophe keeps spreadsheets from running it as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def directory_csv(organizations: QuerySet[Organization]) -> Iterator[str]:
    """The organizations as CSV text, byte order mark first (for Excel), in pieces of EXPORT_CHUNK rows.

    Constant memory at any number of rows: one cursor over the organizations'
    own columns, read EXPORT_CHUNK rows at a time (a server-side cursor on
    PostgreSQL), and for each chunk one query for its focus areas. So the
    queries are 1 + one per EXPORT_CHUNK rows, and what is held at any time
    is one chunk, never the whole file or the whole directory.
    """
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    fields = [column for column in COLUMNS if column != "focus_areas"]
    rows = organizations.prefetch_related(None).values_list("pk", *fields).iterator(chunk_size=EXPORT_CHUNK)
    for chunk in itertools.batched(rows, EXPORT_CHUNK):
        focus_areas = _focus_areas_of([pk for pk, *_values in chunk])
        lines = []
        for pk, *values in chunk:
            row = dict(zip(fields, values, strict=True))
            row["focus_areas"] = ", ".join(focus_areas.get(pk, []))
            lines.append(writer.writerow([export_cell(row[column]) for column in COLUMNS]))
        yield "".join(lines)


def _focus_areas_of(pks: list[int]) -> dict[int, list[str]]:
    """Each organization's focus areas, by name (one query)."""
    focus_areas: dict[int, list[str]] = {}
    tags = (
        Organization.focus_areas.through.objects.filter(organization_id__in=pks)
        .order_by("focusarea__name")
        .values_list("organization_id", "focusarea__name")
    )
    for organization_id, name in tags:
        focus_areas.setdefault(organization_id, []).append(name)
    return focus_areas


# Import: reading the file


def read_csv_upload(upload: UploadedFile) -> str:
    """The uploaded file as text, or an ImportFileError saying why not."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Split it into smaller files.") % {"size": MAX_MEGABYTES}
        )
    try:
        text = _decoded(data)
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The characters of this file cannot be read. In Excel, save it as “CSV UTF-8”; "
                "in LibreOffice, choose the UTF-8 character set."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV file. Save or export the spreadsheet as CSV first."))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text


def _decoded(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # Excel's "Unicode text"
    data = data.removeprefix(codecs.BOM_UTF8)  # Excel's "CSV UTF-8"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows writes the ANSI code page: é is one byte.
        return data.decode("cp1252")


def _column_name(header_cell: str) -> str:
    """'Founded year ' -> 'founded_year'."""
    return "_".join(header_cell.strip().lower().split())


def _delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most known column names.

    Excel in an Indonesian locale saves CSV with semicolons, "Unicode text"
    with tabs. Column names contain none of them, so the header row tells which
    one the file uses; ties, such as a lone "name" column, go to the comma.
    """

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            return (-1, 0)
        return (sum(_column_name(cell) in COLUMNS for cell in cells), len(cells))

    return max(DELIMITERS, key=score)  # max keeps the first of equal scores


def _english_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    with translation.override("en"):
        lookup = {str(label).casefold(): value for value, label in choices.choices}
    return lookup | {value.casefold(): value for value in choices.values}


PROVINCE_LOOKUP = {name.casefold(): code for code, name in PROVINCES} | {code: code for code, _name in PROVINCES}


def _unescape(value: str) -> str:
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _parse_cell(column: str, value: str, *, labels: dict[str, dict[str, str]], this_year: int) -> str | int:
    """The model value of a non-blank cell; ValidationError with a message for the user."""
    if column in CHOICE_COLUMNS:
        code = labels[column].get(value.casefold())
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not a valid choice. Use one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(CHOICE_COLUMNS[column].values)}
            )
        return code
    if column == "province":
        code = PROVINCE_LOOKUP.get(" ".join(value.split()).casefold())
        if code is None:
            raise ValidationError(
                _(
                    "“%(value)s” is not a province. "
                    "Use its two-digit code (such as 32) or its name (such as Jawa Barat)."
                )
                % {"value": value}
            )
        return code
    if column == "founded_year":
        if not re.fullmatch(r"\d{1,9}", value) or not 1900 <= int(value) <= this_year:
            raise ValidationError(_("The founding year must be a year from 1900 to %(year)s.") % {"year": this_year})
        return int(value)
    if column in COUNT_COLUMNS:
        if not re.fullmatch(r"\d{1,12}", value):
            raise ValidationError(_("Enter a whole number of 0 or more, without dots or commas."))
        return int(value)
    return value


def _model_errors(row: int, error: ValidationError) -> list[RowError]:
    return [
        RowError(row, "" if field == NON_FIELD_ERRORS else field, message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


@dataclass(frozen=True)
class _Header:
    columns: dict[int, str]  # cell index -> column name
    unknown: set[int]  # indexes of columns already reported as unknown or repeated
    width: int
    errors: list[RowError]


def _read_header(cells: list[str]) -> _Header:
    columns: dict[int, str] = {}
    unknown: set[int] = set()
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        column = _column_name(cell)
        if not column:
            continue
        if column not in COLUMNS:
            unknown.add(index)
            errors.append(
                RowError(
                    1,
                    cell.strip(),
                    _("Unknown column. The columns Rekan reads are: %(columns)s.") % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif column in columns.values():
            unknown.add(index)
            errors.append(RowError(1, column, _("This column appears twice in the header row.")))
        else:
            columns[index] = column
    if "name" not in columns.values():
        errors.append(
            RowError(1, "name", _("The header row has no “name” column. The first row must name the columns."))
        )
    return _Header(columns=columns, unknown=unknown, width=len(cells), errors=errors)


def _cleaned_cell(column: str, value: str, lines: tuple[int, int]) -> str:
    """The cell's text by the rules of the forms (partners.text); ValidationError with a message for the user."""
    if column in TEXT_COLUMNS:
        return clean_text(value)
    if _LINE_BREAK.search(value):
        raise ValidationError(
            _(
                "This cell runs over several lines of the file (lines %(first)s to %(last)s), and this column "
                "holds one line. A quotation mark is probably not closed where it should be: rows below it were "
                "read into this cell. Correct it and check the file again; nothing was saved."
            )
            % {"first": lines[0], "last": lines[1]}
        )
    return validate_name(value) if column == "name" else clean_name(value)


def _check_row(
    number: int,
    cells: list[str],
    header: _Header,
    *,
    labels: dict[str, dict[str, str]],
    this_year: int,
    lines: tuple[int, int] = (0, 0),
) -> ImportRow | list[RowError]:
    errors: list[RowError] = []
    values: dict[str, str | int] = {}
    focus_area_names: list[str] = []
    for index, cell in enumerate(cells):
        value = _unescape(cell.strip())
        column = header.columns.get(index)
        if not value or index in header.unknown:
            continue  # a blank cell keeps the model's default: no text, no number, the usual choice
        if column is None:
            message = (
                _("This row has more cells than the header row has columns.")
                if index >= header.width
                else _("This cell is in a column that the header row does not name.")
            )
            errors.append(RowError(number, "", message))
            continue
        try:
            value = _cleaned_cell(column, value, lines)
        except ValidationError as error:
            errors.extend(RowError(number, column, message) for message in error.messages)
            continue
        if not value:
            continue
        if column == "focus_areas":
            # A list, not a model field: saved with the row.
            focus_area_names = parse_focus_areas(clean_names_list(value))
            continue
        try:
            values[column] = _parse_cell(column, value, labels=labels, this_year=this_year)
        except ValidationError as error:
            errors.extend(RowError(number, column, message) for message in error.messages)
    if "name" not in values and not any(error.column == "name" for error in errors):
        errors.append(RowError(number, "name", _("Every organization needs a name.")))
    organization = Organization(**values)
    try:
        organization.full_clean(exclude=[error.column for error in errors if error.column])
    except ValidationError as error:
        errors.extend(_model_errors(number, error))
    return errors or ImportRow(number, organization, focus_area_names)


class _NumberedRows:
    """Rows numbered as a spreadsheet shows them (a quoted cell may span lines).

    ``start_line`` is the line of the file where the row being read starts,
    for the message about a quotation mark that is never closed.
    """

    def __init__(self, text: str) -> None:
        # Strict: an unclosed quotation mark is an error, not one cell holding the rest of the file.
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        self.start_line = 1

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(self._reader, start=1):
            yield number, cells
            self.start_line = self._reader.line_num + 1

    @property
    def lines(self) -> tuple[int, int]:
        """The lines of the file that the row being read spans, first and last."""
        return (self.start_line, self._reader.line_num)


def organizations_check(*, text: str) -> ImportCheck:
    """Every row of a CSV file checked, without saving anything (and without a query)."""
    reader = _NumberedRows(text)
    numbered = iter(reader)
    try:
        header = _read_header(next(numbered)[1])
        if "name" not in header.columns.values():
            return ImportCheck(rows=[], errors=header.errors)
        labels = {column: _english_labels(choices) for column, choices in CHOICE_COLUMNS.items()}
        this_year = timezone.localdate().year
        rows: list[ImportRow] = []
        errors = list(header.errors)
        for number, cells in numbered:
            if number - 1 > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(count)s rows. Split it into smaller files.") % {"count": MAX_ROWS}
                )
            if not any(cell.strip() for cell in cells):
                continue
            checked = _check_row(number, cells, header, labels=labels, this_year=this_year, lines=reader.lines)
            if isinstance(checked, ImportRow):
                rows.append(checked)
            else:
                errors.extend(checked)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error:
        raise ImportFileError(
            _(
                "The row that starts on line %(line)s of the file cannot be read as CSV: a quotation mark is "
                "not closed, or text follows a closing one. Correct it and check the file again; nothing was saved."
            )
            % {"line": reader.start_line}
        ) from None
    if not rows and not errors:
        raise ImportFileError(_("The file has a header row but no organizations under it."))
    return ImportCheck(rows=rows, errors=errors)


# Import: the preview


@dataclass(frozen=True)
class PreviewRow:
    row: ImportRow
    duplicates: list[Organization]  # in the directory, by the rule of the "Add an organization" form
    earlier_row: ImportRow | None  # of the same file, by the same rule

    @property
    def is_flagged(self) -> bool:
        return bool(self.duplicates) or self.earlier_row is not None

    @property
    def shown_duplicates(self) -> list[Organization]:
        return self.duplicates[:PREVIEW_DUPLICATES]

    @property
    def more_duplicates(self) -> int:
        return max(len(self.duplicates) - PREVIEW_DUPLICATES, 0)


@dataclass(frozen=True)
class ImportPreview:
    rows: list[PreviewRow]  # every row that would be created, in the order of the file

    @property
    def flagged(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.is_flagged]

    @property
    def shown(self) -> list[PreviewRow]:
        """The first rows of the file, and every flagged row after them: each needs its own choice."""
        return [row for index, row in enumerate(self.rows) if index < PREVIEW_ROWS or row.is_flagged]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown)


def import_preview(check: ImportCheck) -> ImportPreview:
    """The rows of a checked file, each with what it may duplicate (one query)."""
    entries = [(row.organization.name, row.organization.regency) for row in check.rows]
    in_directory = possible_duplicates_of_many(entries=entries)
    in_file = possible_duplicates_within(entries=entries)
    return ImportPreview(
        rows=[
            PreviewRow(row=row, duplicates=duplicates, earlier_row=None if earlier is None else check.rows[earlier])
            for row, duplicates, earlier in zip(check.rows, in_directory, in_file, strict=True)
        ]
    )


# Import: the round trip through the preview page


@dataclass(frozen=True)
class ImportPlan:
    """What the preview showed: the text, the rows it would create, those it flagged."""

    text: str
    rows: tuple[int, ...]
    flagged: frozenset[int]


def import_payload(*, text: str, preview: ImportPreview) -> str:
    """The previewed file for the confirm form: signed, so no server-side state and no tampering.

    It carries the preview's verdicts too, so the confirmed import creates
    exactly the rows the preview listed, whatever was added to the directory
    in between.
    """
    plan = {
        "text": text,
        "rows": [entry.row.row for entry in preview.rows],
        "flagged": [entry.row.row for entry in preview.flagged],
    }
    payload = signing.dumps(plan, salt=PAYLOAD_SALT, compress=True)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and len(payload) > limit - 10_000:
        raise ImportFileError(_("This file is too large to import in one go. Split it into smaller files."))
    return payload


def plan_from_payload(payload: str) -> ImportPlan:
    try:
        plan = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportFileError(_("This preview is too old. Upload the file again.")) from None
    except signing.BadSignature:
        raise ImportFileError(_("The checked file could not be read back. Upload it again.")) from None
    try:
        text, rows, flagged = plan["text"], plan["rows"], plan["flagged"]
        if not isinstance(text, str) or not all(isinstance(row, int) for row in [*rows, *flagged]):
            raise TypeError
    except (KeyError, TypeError):
        raise ImportFileError(_("The checked file could not be read back. Upload it again.")) from None
    return ImportPlan(text=text, rows=tuple(rows), flagged=frozenset(flagged))


# Import: saving


@transaction.atomic
def organizations_import(*, user: User, plan: ImportPlan, skip: Collection[int] = ()) -> list[Organization]:
    """Save every previewed row but the skipped ones, or nothing (ImportRejected, ImportFileError).

    The file is checked again, as a forged confirmation would not have been;
    duplicates are not looked for again: the preview's verdicts are the plan.
    """
    check = organizations_check(text=plan.text)
    if not check.is_valid:
        raise ImportRejected(check)
    if tuple(row.row for row in check.rows) != plan.rows:
        raise ImportFileError(_("The file no longer reads as it did in the preview. Upload it again."))
    if not plan.flagged.issuperset(skip):
        raise ImportFileError(_("Only rows marked as possible duplicates can be skipped. Upload the file again."))
    rows = [row for row in check.rows if row.row not in skip]
    focus_areas_get_or_create([name for row in rows for name in row.focus_area_names])
    saved = []
    for row in rows:
        try:
            organization = organization_save(
                user=user, organization=row.organization, focus_area_names=row.focus_area_names
            )
        except ValidationError as error:
            # Raising out of the atomic block undoes the rows already saved.
            raise ImportRejected(ImportCheck(rows=[], errors=_model_errors(row.row, error))) from error
        saved.append(organization)
    return saved
