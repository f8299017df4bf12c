"""The learning log in a real browser: a lesson recorded, shared, read on the portal and found by the search.

The facilitator records an innovation and shares it with the partner
members; A's partner member reads it on the partnership's portal page and
opens it; the facilitator finds it again by the start of a word on the
search page across partnerships. axe-core checks every page on the way, at
1280 px and at 360 px (where no page may scroll sideways), in English and in
Bahasa Indonesia.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements.models import Lesson, LessonKind
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]
SMALLEST_WIDTH = 360
TITLE = "Iuran kelompok lewat QRIS"
BODY = "Bendahara memakai QRIS: iuran masuk tepat waktu, tercatat, dan bisa dilihat semua anggota."


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [1280, SMALLEST_WIDTH])
def test_a_facilitator_shares_a_lesson_the_partner_reads_it_and_the_search_finds_it(
    new_page: PageFactory,
    live_server: Any,
    facilitator: User,
    partner_a: User,
    org_a: Organization,
    width: int,
    language: str,
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=1)
    base = live_server.url

    page = new_page(width)
    log_in(page, live_server, speaking(facilitator, language).username)
    page.goto(f"{base}/partnerships/{partnership.pk}/")
    expect(page.locator("#learning-heading")).to_be_visible()
    check_page(page, width)
    page.goto(f"{base}/partnerships/{partnership.pk}/learning/")
    expect(page.locator(".empty-state")).to_be_visible()
    check_page(page, width)
    page.goto(f"{base}/partnerships/{partnership.pk}/learning/new/")
    check_page(page, width)
    page.locator("input[name=kind][value=innovation]").check()
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=body]").fill(BODY)
    page.locator("input[name=tags]").fill("Keuangan, Transparansi")
    page.locator(f"input[name=organizations][value='{org_a.pk}']").check()
    page.locator("input[name=shared_with_partners]").check()
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url(f"{base}/partnerships/{partnership.pk}/learning/*/")
    expect(page.locator("h1")).to_have_text(TITLE)
    check_page(page, width)

    lesson = Lesson.objects.get()
    assert (lesson.kind, lesson.tags, lesson.shared_with_partners) == (
        LessonKind.INNOVATION,
        "keuangan,transparansi",
        True,
    )
    assert list(lesson.organizations.all()) == [org_a]

    partner = new_page(width)
    log_in(partner, live_server, speaking(partner_a, language).username)
    partner.goto(f"{base}/partnerships/{partnership.pk}/")
    panel = partner.locator("section[aria-labelledby=learning-heading]")
    expect(panel.get_by_role("link", name=TITLE)).to_be_visible()
    check_page(partner, width)
    panel.get_by_role("link", name=TITLE).click()
    partner.wait_for_url(f"{base}/partnerships/{partnership.pk}/learning/{lesson.pk}/")
    expect(partner.locator(".lesson-body")).to_contain_text("tepat waktu")
    check_page(partner, width)

    page.goto(f"{base}/learning/?q=qri+tepat")
    expect(page.locator(f"#lesson-{lesson.pk}")).to_be_visible()
    expect(page.locator("nav.site-nav a[aria-current=page]")).to_have_attribute("href", "/learning/")
    check_page(page, width)
    page.goto(f"{base}/learning/?q=tidak+ada+yang+cocok")
    expect(page.locator(".empty-state")).to_be_visible()
    check_page(page, width)
