"""The portfolio and the one-page summary in a real browser, at 360 and 1280 px, in English and Bahasa Indonesia.

A facilitator sorts the partnership list by health both ways (the header
says which way with aria-sort), keeps only the partnerships with flags, and
reads it on a phone, where the table scrolls sideways inside its labelled
region and the page itself does not. Then the summary of a partnership that
has more of everything than the page shows: printed to PDF as Chromium
prints it, it is one A4 page. A's partner member reads the same summary.
axe-core checks every page.

Expected words come from the catalogue (gettext at test time), so the test
reads what the translators wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from accounts.models import User
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.portfolio.conftest import build_portfolio, build_summary_partnership, grow

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]
PHONE = 360
WIDE = 1280
# A PDF's pages are its "/Type /Page" objects (the tree of them is "/Type /Pages").
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-z])")


def words(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def open_as(new_page: PageFactory, live_server: Any, user: User, width: int, language: str) -> Page:
    page = new_page(width)  # the log-in page is in the browser's language; after it, the user's
    log_in(page, live_server, speaking(user, language).username)
    return page


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == PHONE:
        assert_no_horizontal_scroll(page, width)


def titles(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("main table.portfolio tbody th[scope=row] > a").all_inner_texts()]


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_a_facilitator_sorts_and_filters_the_portfolio(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int, language: str
) -> None:
    build_portfolio(facilitator)
    page = open_as(new_page, live_server, facilitator, width, language)
    page.goto(f"{live_server.url}/partnerships/")
    expect(page.locator("h1")).to_have_text(words(language, "Partnerships"))
    assert titles(page) == ["Bank Sampah Sejahtera", "Kebun Pangan Lestari", "Mangrove Pesisir"]
    region = page.get_by_role("region", name=words(language, "Portfolio of partnerships"))
    expect(region).to_be_visible()
    check_page(page, width)
    if width == PHONE:
        # The table is wider than the phone: it scrolls inside its region, which the keyboard can reach.
        assert region.evaluate("(box) => box.scrollWidth > box.clientWidth")
        assert region.get_attribute("tabindex") == "0"
        region.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
        title_cell = page.locator("main table.portfolio tbody th[scope=row]").first
        assert title_cell.bounding_box()["x"] >= 0  # the partnership's name stays pinned in view

    health = page.locator("main table.portfolio thead th.portfolio-health")
    health.get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=health"))
    expect(health).to_have_attribute("aria-sort", "ascending")
    assert titles(page) == ["Kebun Pangan Lestari", "Bank Sampah Sejahtera", "Mangrove Pesisir"]
    health.get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=-health"))
    expect(health).to_have_attribute("aria-sort", "descending")
    expect(page.locator("main table.portfolio thead th[aria-sort]")).to_have_count(1)
    assert titles(page) == ["Bank Sampah Sejahtera", "Kebun Pangan Lestari", "Mangrove Pesisir"]
    check_page(page, width)

    page.get_by_label(words(language, "Only with flags")).check()
    page.get_by_role("button", name=words(language, "Filter"), exact=True).click()
    page.wait_for_url(re.compile(r"flags=1"))
    assert "sort=-health" in page.url  # the sort survives the filter
    assert titles(page) == ["Bank Sampah Sejahtera", "Kebun Pangan Lestari"]
    kebun = page.locator("main table.portfolio tbody tr").filter(has_text="Kebun Pangan Lestari")
    expect(kebun.locator("td.portfolio-status .badge").first).to_have_text(words(language, "Paused"))
    expect(kebun.locator("td.portfolio-flags a")).to_contain_text("2")
    check_page(page, width)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_the_summary_of_a_full_partnership_prints_on_one_a4_page(
    new_page: PageFactory,
    live_server: Any,
    facilitator: User,
    partner_a: User,
    org_a: Organization,
    width: int,
    language: str,
) -> None:
    partnership = build_summary_partnership(facilitator, org_a)
    grow(partnership, facilitator, org_a)
    url = f"{live_server.url}/partnerships/{partnership.pk}/summary/"
    for user in (facilitator, partner_a):
        page = open_as(new_page, live_server, user, width, language)
        response = page.goto(url)
        assert response is not None and response.status == 200
        expect(page.locator("h1")).to_have_text(partnership.title)
        for heading in ("Shared goals", "Collaborative plan", "Commitments", "Health", "Latest trust-log entries"):
            expect(page.get_by_role("heading", name=words(language, heading), exact=True)).to_be_visible()
        assert "RAHASIA" not in page.content()
        check_page(page, width)

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(PDF_PAGE.findall(pdf)) == 1
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("nav.breadcrumbs")).to_be_hidden()
