"""Search of the learning log: word prefixes in the title, body and tags, on PostgreSQL and on SQLite alike.

These tests run on whichever database the suite runs on (SQLite without
DATABASE_URL, PostgreSQL with it); one more checks on PostgreSQL that the
search is answered from the GIN index the migration made.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from engagements import selectors
from engagements.models import Lesson, LessonKind
from engagements.selectors.learning import LessonQuery
from tests.conftest import client_for
from tests.engagements.learning.conftest import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(partnership, partnership_b, facilitator) -> dict[str, Lesson]:
    return {
        "title": make(partnership, facilitator, title="Pupuk organik dari limbah dapur", body="Ibu-ibu membuatnya."),
        "body": make(
            partnership_b,
            facilitator,
            title="Arisan jadi tabungan",
            body="Kelompok menyisihkan iuran arisan untuk simpan pinjam darurat.",
            kind=LessonKind.INNOVATION,
        ),
        "tag": make(partnership, facilitator, title="Patroli pantai", body="Jadwal bergilir.", tags="mangrove,abrasi"),
    }


def search(user, **query: str) -> list[str]:
    response = client_for(user).get(reverse("engagements:learning_search"), query)
    assert response.status_code == 200
    return [lesson.title for lesson in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("pupu", "title"),  # the start of a word of the title
        ("ORGAN", "title"),  # whatever the case
        ("simpan pinj", "body"),  # every word, each a prefix, in the body
        ("mangr", "tag"),
        ("abrasi patroli", "tag"),  # a tag and a word of the title
    ],
)
def test_it_finds_a_lesson_by_the_start_of_a_word(log, facilitator, words: str, found: str) -> None:
    assert search(facilitator, q=words) == [log[found].title]


def test_it_needs_every_word(log, facilitator) -> None:
    assert search(facilitator, q="pupuk arisan") == []


def test_it_filters_the_search_by_kind_and_tag(log, facilitator) -> None:
    assert search(facilitator, kind="innovation") == [log["body"].title]
    assert search(facilitator, tag="Abrasi") == [log["tag"].title]
    assert search(facilitator, q="patroli", tag="mangrove", kind="lesson") == [log["tag"].title]
    assert search(facilitator, q="patroli", kind="impact") == []
    assert sorted(search(facilitator)) == sorted(lesson.title for lesson in log.values())


def test_it_ranks_a_title_above_a_mention_in_the_body_on_postgresql(partnership, facilitator) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's; SQLite lists the newest first")
    make(partnership, facilitator, title="Rapat bulanan", body="Kami bahas kompos juga.", days_ago=1)
    make(partnership, facilitator, title="Kompos bersama", body="Sisa panen jadi kompos.", days_ago=30)
    assert search(facilitator, q="kompos") == ["Kompos bersama", "Rapat bulanan"]


def test_the_search_is_answered_from_the_gin_index_on_postgresql(log, facilitator) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    found = selectors.learning.lesson_search(user=facilitator, query=LessonQuery(text="pupuk"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.explain()
    assert "lesson_search" in plan, plan


HOSTILE_QUERIES = [
    "<script>alert(1)</script>",
    "%",
    "'",
    "%' OR 1=1 --",
    "\\",
    "pupuk:* & | ! ( ) <-> :A",
    "__",
    "'; DROP TABLE engagements_lesson; --",
    "\u0000",
    "\u202epupuk",
    "\uff50\uff55\uff50\uff55\uff4b",  # full-width letters
    "x" * 10_000,
    "pupuk " * 2_000,
]


@pytest.mark.parametrize("words", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_a_hostile_query_never_fails(log, facilitator, partnership, words: str) -> None:
    client = client_for(facilitator)
    for address in (
        reverse("engagements:learning_search"),
        reverse("engagements:lesson_list", args=[partnership.pk]),
    ):
        for query in ({"q": words}, {"tag": words, "kind": "lesson"}, {"q": words, "tag": words, "page": words}):
            response = client.get(address, query)
            assert response.status_code == 200
            assert "<script>alert(1)</script>" not in response.content.decode()
    assert Lesson.objects.count() == 3


def test_what_people_type_is_escaped_everywhere(partnership, facilitator, partner_a) -> None:
    script = "<script>alert('x')</script>"
    lesson = make(
        partnership,
        facilitator,
        title=f"Judul {script}",
        body=f"Isi {script} & <b>tebal</b>",
        tags=f"{script}, <img src=x onerror=alert(1)>",
        shared=True,
    )
    pages = [
        (facilitator, reverse("engagements:lesson_list", args=[partnership.pk])),
        (facilitator, reverse("engagements:lesson_detail", args=[partnership.pk, lesson.pk])),
        (facilitator, reverse("engagements:lesson_edit", args=[partnership.pk, lesson.pk])),
        (facilitator, reverse("engagements:lesson_delete", args=[partnership.pk, lesson.pk])),
        (facilitator, reverse("engagements:learning_search") + "?q=judul"),
        (facilitator, reverse("engagements:learning_search") + "?q=%3Cscript%3E"),
        (facilitator, reverse("engagements:partnership_detail", args=[partnership.pk])),
        (partner_a, reverse("engagements:partnership_detail", args=[partnership.pk])),
        (partner_a, reverse("engagements:lesson_detail", args=[partnership.pk, lesson.pk])),
    ]
    for user, address in pages:
        page = client_for(user).get(address).content.decode()
        assert "<script>alert" not in page, address
        assert "<img src=x" not in page and "<b>tebal" not in page, address
        assert "&lt;script&gt;alert(" in page, address


def test_a_very_long_text_is_refused_with_a_message_not_a_failure(partnership, facilitator) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:lesson_create", args=[partnership.pk]),
        {
            "kind": "lesson",
            "title": "T" * 5_000,
            "body": "kata " * 5_000,
            "happened_on": "2026-01-05",
            "tags": "a" * 5_000,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "body", "tags"}
    assert not Lesson.objects.exists()


def test_a_long_text_within_the_limit_is_kept_and_found(partnership, facilitator) -> None:
    body = ("Catatan panjang tentang pembibitan mangrove. " * 220)[:10_000]
    lesson = make(partnership, facilitator, title="Panjang", body=body)
    assert Lesson.objects.get(pk=lesson.pk).body == body.strip()
    assert search(facilitator, q="pembibit") == ["Panjang"]
