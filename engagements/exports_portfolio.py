"""The portfolio as a CSV file: the partnership list's columns, filters and order, every row, streamed.

A downloaded file leaves Rekan, so, as in ``engagements.exports``, it holds
no internal notes and no person's name: groups, statuses and numbers. Every
cell goes through ``export_cell``, so that a title starting with "=" reaches
a spreadsheet as text, not as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from engagements.models import Partnership
from partners.transfer import Echo, export_cell


def portfolio_csv(chunks: Iterable[list[Partnership]]) -> Iterator[str]:
    """CSV text, a piece per chunk of rows as ``selectors.partnerships.portfolio_rows`` reads them.

    The rows come annotated, with members and flag counts.

    UTF-8 with a byte order mark, so that Excel reads Indonesian names right.
    Health is the latest daily snapshot, empty with not enough data yet; its
    day is in the next column.
    """
    writer = csv.writer(Echo())
    header = [
        _("Partnership"),
        _("Member organizations"),
        _("Status"),
        _("Health"),
        _("Health measured on"),
        _("Last contact"),
        _("Open commitments"),
        _("Overdue commitments"),
        _("Flags"),
    ]
    yield "\ufeff" + writer.writerow([export_cell(cell) for cell in header])
    for chunk in chunks:
        yield "".join(_line(writer, partnership) for partnership in chunk)


def _line(writer: Any, partnership: Partnership) -> str:
    cells: list[object] = [
        partnership.title,
        "; ".join(member.organization.name for member in partnership.members.all()),
        partnership.get_status_display(),
        partnership.health,  # type: ignore[attr-defined]
        partnership.health_day.isoformat() if partnership.health_day else "",  # type: ignore[attr-defined]
        partnership.last_contact.isoformat() if partnership.last_contact else "",  # type: ignore[attr-defined]
        partnership.open_commitments,  # type: ignore[attr-defined]
        partnership.overdue_commitments,  # type: ignore[attr-defined]
        partnership.flag_count,  # type: ignore[attr-defined]
    ]
    return writer.writerow([export_cell(cell) for cell in cells])
