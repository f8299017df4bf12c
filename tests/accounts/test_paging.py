"""accounts.paging.OneQueryPaginator: Django's pages and counts, from one query instead of two."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.paging import OneQueryPaginator
from partners.models import FocusArea, Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups() -> None:
    OrganizationFactory.create_batch(7)


def _ids(page) -> list[int]:
    return [organization.pk for organization in page]


@pytest.mark.parametrize("number", [1, 2, 3, "2", None, "", "abc", 0, -1, 4, 99])
def test_it_gives_the_page_and_the_count_django_gives(groups: None, number: object) -> None:
    ordered = Organization.objects.order_by("name", "pk")
    ours = OneQueryPaginator(ordered, 3).get_page(number)
    django = Paginator(ordered, 3).get_page(number)
    assert (ours.number, _ids(ours), ours.paginator.count, ours.paginator.num_pages) == (
        django.number,
        _ids(django),
        7,
        3,
    )
    assert (ours.has_next(), ours.has_previous()) == (django.has_next(), django.has_previous())


def test_a_page_in_range_costs_one_query(groups: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(Organization.objects.order_by("pk"), 3).get_page(2)
        assert page.paginator.count == 7
        assert page.paginator.num_pages == 3
        assert len(page.object_list) == 3
    assert len(queries.captured_queries) == 1


def test_an_empty_list_is_one_empty_page_in_one_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(Organization.objects.order_by("pk"), 3).get_page(1)
        assert (page.number, list(page), page.paginator.count, page.paginator.num_pages) == (1, [], 0, 1)
    assert len(queries.captured_queries) == 1


def test_a_distinct_list_is_counted_after_distinct(groups: None) -> None:
    areas = [FocusArea.objects.create(name=name, key=name) for name in ("air", "sampah")]
    for organization in Organization.objects.all():
        organization.focus_areas.set(areas)
    # Each group comes twice through the join; a window would count 14.
    joined = Organization.objects.filter(focus_areas__in=areas)
    assert joined.count() == 14
    page = OneQueryPaginator(joined.distinct().order_by("pk"), 3).get_page(1)
    assert page.paginator.count == 7
