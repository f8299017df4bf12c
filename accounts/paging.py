"""A page of rows and the count of all of them in one query, for lists that read every match anyway.

Django's ``Paginator`` asks twice: ``COUNT(*)`` for the page numbers, then
the page's rows. A ranked full-text search has to find and rank every match
before it knows the first 25, so the count repeats the search: at the
bench's LARGE size, a directory word found in 1,034 of 10,000 groups took
7 ms to count and 9 ms to rank and page. ``count(*) OVER ()`` on the page
query gives both from one scan.

Only for such lists: where an index hands over the first rows in order (the
directory by name, no search), the window would make PostgreSQL read every
row instead of stopping after a page, and a DISTINCT query would count rows
before DISTINCT. Those keep ``Paginator``.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "rows_in_all_pages"


class OneQueryPaginator(Paginator):
    """``Paginator`` whose ``get_page`` reads the rows and their total together."""

    object_list: QuerySet[Any]

    def get_page(self, number: Any) -> Page:
        if self.object_list.query.distinct or self.object_list.query.combinator:
            return super().get_page(number)  # the window would count before DISTINCT; a UNION takes no annotation
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # as Django: the first page
        if number < 1:
            return super().get_page(number)  # as Django: the last page
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(**{TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
        if rows:
            self.count = getattr(rows[0], TOTAL)  # what the cached property would have counted
        elif number == 1 and self.allow_empty_first_page:
            self.count = 0  # nothing found: still one query, as when something is
        else:
            # A page past the end (an old link): Django's own answer, the last
            # page, with its count query.
            return super().get_page(number)
        return Page(rows, number, self)
