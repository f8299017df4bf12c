"""The learning log's pages cost the same SQL queries at 10 lessons and at 200."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Lesson, LessonKind
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

KINDS = list(LessonKind.values)


def add(partnerships, user, count: int, start: int) -> None:
    """Lessons in bulk, a mix of kinds, tags, sharing and partnerships."""
    today = timezone.localdate()
    Lesson.objects.bulk_create(
        Lesson(
            partnership=partnerships[n % len(partnerships)],
            kind=KINDS[n % len(KINDS)],
            title=f"Pelajaran pupuk {n}",
            body=f"Catatan ke-{n} tentang pupuk dan pembibitan.",
            tags=",".join(["pupuk", f"musim {n % 7}", "air bersih"][: 1 + n % 3]),
            shared_with_partners=n % 2 == 0,
            happened_on=today - datetime.timedelta(days=n),
            created_by=user,
        )
        for n in range(start, start + count)
    )


def queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200, address
    return len(captured)


@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_the_pages_cost_the_same_queries_for_10_and_200_lessons(
    partnership, partnership_b, facilitator, role, request
) -> None:
    viewer = client_for(request.getfixturevalue(role))
    listing = reverse("engagements:lesson_list", args=[partnership.pk])
    pages = [
        listing,
        f"{listing}?kind=lesson&tag=pupuk",
        f"{listing}?page=2",
        reverse("engagements:partnership_detail", args=[partnership.pk]),
    ]
    if role == "facilitator":
        search = reverse("engagements:learning_search")
        pages += [search, f"{search}?q=pupuk+pembib", f"{search}?q=pupuk&kind=exchange&tag=air+bersih&page=2"]
    add([partnership, partnership_b], facilitator, 10, 0)
    first = Lesson.objects.filter(partnership=partnership, shared_with_partners=True).first()
    pages.append(reverse("engagements:lesson_detail", args=[partnership.pk, first.pk]))
    at_10 = [queries(viewer, page) for page in pages]

    add([partnership, partnership_b], facilitator, 190, 10)

    assert Lesson.objects.count() == 200
    assert [queries(viewer, page) for page in pages] == at_10
