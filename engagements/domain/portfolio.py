"""The portfolio's columns, sort orders and filters: what the query string asks for, read leniently.

Pure rules, no queries. ``selectors.partnerships`` reads the rows; the page and
the CSV read the same criteria, so that the export is the list the user sees.
Today's counts link here with ``?flags=1``, ``?overdue=1``, ``?mine=1`` and
``?status=<value>``: those names stay simple and stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engagements.models import PartnershipStatus


class Column:
    TITLE = "title"
    STATUS = "status"
    HEALTH = "health"
    LAST_CONTACT = "last_contact"
    OPEN_COMMITMENTS = "open_commitments"
    FLAGS = "flags"


COLUMNS = (Column.TITLE, Column.STATUS, Column.HEALTH, Column.LAST_CONTACT, Column.OPEN_COMMITMENTS, Column.FLAGS)
LABELS: dict[str, Promise] = {
    Column.TITLE: _("Partnership"),
    Column.STATUS: _("Status"),
    Column.HEALTH: _("Health"),
    Column.LAST_CONTACT: _("Last contact"),
    Column.OPEN_COMMITMENTS: _("Open commitments"),
    Column.FLAGS: _("Flags"),
}
# The direction a column sorts in when first asked: what needs attention first
# (the weakest health, the longest silence, the most open commitments and flags).
FIRST_DESCENDING = frozenset({Column.OPEN_COMMITMENTS, Column.FLAGS})
SORTS = frozenset(direction + column for column in COLUMNS for direction in ("", "-"))
DEFAULT_SORT = Column.TITLE
TRUE_VALUES = frozenset({"1", "true", "on", "yes"})


@dataclass(frozen=True)
class Criteria:
    """What the portfolio keeps and how it sorts; every value already checked."""

    status: str = ""
    flagged: bool = False  # only partnerships with an unacknowledged flag
    overdue: bool = False  # only partnerships with an overdue commitment
    mine: bool = False  # only the partnerships the user facilitates (Today's own)
    sort: str = DEFAULT_SORT  # a column, "-" in front for descending

    @property
    def column(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def is_filtered(self) -> bool:
        return bool(self.status or self.flagged or self.overdue or self.mine)

    def query(self, *, sort: str | None = None) -> str:
        """The query string of these criteria (``sort`` instead of their own), defaults left out, no page."""
        sort = self.sort if sort is None else sort
        params = {
            "status": self.status,
            "flags": "1" if self.flagged else "",
            "overdue": "1" if self.overdue else "",
            "mine": "1" if self.mine else "",
            "sort": "" if sort == DEFAULT_SORT else sort,
        }
        return urlencode({key: value for key, value in params.items() if value})


def criteria_from(params: Mapping[str, str]) -> Criteria:
    """Read ?status=, ?flags=1, ?overdue=1, ?mine=1 and ?sort=; a value not understood is ignored, never an error."""
    status = params.get("status", "")
    sort = params.get("sort", "")
    return Criteria(
        status=status if status in PartnershipStatus.values else "",
        flagged=params.get("flags", "").lower() in TRUE_VALUES,
        overdue=params.get("overdue", "").lower() in TRUE_VALUES,
        mine=params.get("mine", "").lower() in TRUE_VALUES,
        sort=sort if sort in SORTS else DEFAULT_SORT,
    )


@dataclass(frozen=True)
class Header:
    """One column header: its label, the query its link asks for, and its aria-sort ("" when not sorted by it)."""

    key: str
    label: str
    query: str
    aria_sort: str


def headers(criteria: Criteria) -> list[Header]:
    """Each header links to its column's sort: the other direction when already sorted by it, else its first."""
    found = []
    for column in COLUMNS:
        if criteria.column == column:
            aria_sort = "descending" if criteria.descending else "ascending"
            sort = column if criteria.descending else "-" + column
        else:
            aria_sort = ""
            sort = "-" + column if column in FIRST_DESCENDING else column
        found.append(Header(column, str(LABELS[column]), criteria.query(sort=sort), aria_sort))
    return found
