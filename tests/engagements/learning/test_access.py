"""Who reads the learning log: facilitators all of it, a partner member the shared lessons of their own partnerships.

A lesson the user may not read answers 404 on every route, as does a lesson
of another partnership under a partnership the user may open; write routes
refuse a partner member (403) only after that 404 lookup; the search across
partnerships is for facilitators; a share-link viewer reads no lesson.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import selectors, services
from engagements.models import Lesson
from tests.conftest import client_for
from tests.engagements.learning.conftest import make

pytestmark = pytest.mark.django_db

LESSON_ROUTES = ("lesson_detail", "lesson_edit", "lesson_delete")
WRITE_ROUTES = ("lesson_edit", "lesson_delete")
WRITE_DATA = {"kind": "lesson", "title": "Diubah", "body": "x", "happened_on": "2026-01-05", "tags": ""}


def url(name: str, lesson: Lesson, partnership_pk: int | None = None) -> str:
    return reverse(f"engagements:{name}", args=[partnership_pk or lesson.partnership_id, lesson.pk])


def titles(response) -> set[str]:
    return {lesson.title for lesson in response.context["page"].object_list}


def test_a_partner_member_reads_only_the_shared_lessons_of_their_partnership(
    partnership, shared, internal, partner_a
) -> None:
    client = client_for(partner_a)
    listing = client.get(reverse("engagements:lesson_list", args=[partnership.pk]))
    assert listing.status_code == 200
    assert titles(listing) == {shared.title}
    assert "RAHASIA" not in listing.content.decode()
    assert listing.context["tags"] == ["mangrove", "pembibitan"]

    assert client.get(url("lesson_detail", shared)).status_code == 200
    assert client.get(url("lesson_detail", internal)).status_code == 404


def test_the_portal_shows_the_shared_lessons_and_the_facilitators_page_every_lesson(
    partnership, shared, internal, partner_a, facilitator
) -> None:
    portal = client_for(partner_a).get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    page = portal.content.decode()
    assert 'id="learning-heading"' in page
    assert url("lesson_detail", shared) in page
    assert "RAHASIA" not in page
    assert reverse("engagements:lesson_create", args=[partnership.pk]) not in page

    own = client_for(facilitator).get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    page = own.content.decode()
    assert url("lesson_detail", shared) in page and url("lesson_detail", internal) in page
    assert reverse("engagements:lesson_create", args=[partnership.pk]) in page


def test_a_partner_member_may_not_write_nor_search(partnership, shared, internal, partner_a) -> None:
    client = client_for(partner_a)
    create = reverse("engagements:lesson_create", args=[partnership.pk])
    assert client.get(create).status_code == 403
    assert client.post(create, WRITE_DATA).status_code == 403
    for name in ("lesson_edit", "lesson_delete"):
        assert client.get(url(name, shared)).status_code == 403, name
        assert client.post(url(name, shared), WRITE_DATA).status_code == 403, name
        # Not shared: the lookup answers first, and says nothing of the lesson.
        assert client.get(url(name, internal)).status_code == 404, name
        assert client.post(url(name, internal), WRITE_DATA).status_code == 404, name
    assert client.get(reverse("engagements:learning_search")).status_code == 403
    assert Lesson.objects.get(pk=shared.pk).title == shared.title
    assert Lesson.objects.count() == 2


def test_an_outsider_gets_404_on_every_route(partnership, shared, partner_b) -> None:
    client = client_for(partner_b)
    for address in (
        reverse("engagements:lesson_list", args=[partnership.pk]),
        reverse("engagements:lesson_create", args=[partnership.pk]),
        *(url(name, shared) for name in LESSON_ROUTES),
    ):
        assert client.get(address).status_code == 404, address
    for address in (
        reverse("engagements:lesson_create", args=[partnership.pk]),
        *(url(name, shared) for name in WRITE_ROUTES),
    ):
        assert client.post(address, WRITE_DATA).status_code == 404, address
    portal_b = client.get(reverse("engagements:our_partnerships")).content.decode()
    assert shared.title not in portal_b
    assert Lesson.objects.get(pk=shared.pk).title == shared.title


def test_a_visitor_is_sent_to_log_in_on_every_route(partnership, shared, client) -> None:
    for address in (
        reverse("engagements:learning_search"),
        reverse("engagements:lesson_list", args=[partnership.pk]),
        reverse("engagements:lesson_create", args=[partnership.pk]),
        *(url(name, shared) for name in LESSON_ROUTES),
    ):
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302, address
            assert urlparse(response["Location"]).path == reverse("accounts:login")
    assert Lesson.objects.filter(pk=shared.pk).exists()


def test_a_share_link_viewer_reads_no_lesson(partnership, shared, facilitator, client) -> None:
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    page = client.get(reverse("engagements:shared_plan", args=[link.token]))
    assert page.status_code == 200
    assert shared.title not in page.content.decode()
    response = client.get(url("lesson_detail", shared))
    assert urlparse(response["Location"]).path == reverse("accounts:login")


@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_a_lesson_of_another_partnership_answers_404_on_every_route(
    partnership, partnership_b, facilitator, role, request
) -> None:
    elsewhere = make(partnership_b, facilitator, title="Lain", shared=True)
    client = client_for(request.getfixturevalue(role))
    for name in LESSON_ROUTES:
        assert client.get(url(name, elsewhere, partnership_pk=partnership.pk)).status_code == 404, name
    for name in WRITE_ROUTES:
        assert client.post(url(name, elsewhere, partnership_pk=partnership.pk), WRITE_DATA).status_code == 404, name
    assert Lesson.objects.get(pk=elsewhere.pk).title == "Lain"


def test_the_search_reads_every_partnership_for_a_facilitator(partnership, partnership_b, facilitator) -> None:
    here = make(partnership, facilitator, title="Pupuk organik cair")
    there = make(partnership_b, facilitator, title="Pupuk kandang")
    response = client_for(facilitator).get(reverse("engagements:learning_search"), {"q": "pupuk"})
    assert titles(response) == {here.title, there.title}
    page = response.content.decode()
    assert partnership.title in page and partnership_b.title in page


def test_the_organization_profile_selector_reads_what_was_learned_with_the_group(
    partnership, partnership_b, facilitator, partner_a, org_a, org_b, org_m
) -> None:
    internal = make(partnership, facilitator, title="Dalam kemitraan A")
    named = make(partnership, facilitator, title="Tentang M", shared=True, organizations=[org_m])
    make(partnership_b, facilitator, title="Kemitraan lain")

    assert {lesson.title for lesson in selectors.learning.lessons_for_organization(facilitator, org_a, 5)} == {
        internal.title,
        named.title,
    }
    # M's lessons: the one that names it (its partnership's too); B's partner member reads none of them.
    assert {lesson.title for lesson in selectors.learning.lessons_for_organization(facilitator, org_m, 1)} <= {
        internal.title,
        named.title,
    }
    assert selectors.learning.lessons_for_organization(partner_a, org_m, 5) == [named]
    assert selectors.learning.lessons_for_organization(partner_a, org_b, 5) == []
