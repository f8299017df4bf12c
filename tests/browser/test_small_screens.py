"""Small screens, measured in a real browser at 360 px (and 1280 px), in English and Indonesian.

The header with the menu and the language form stays under 120 px; no word
in the goal's progress table or in the roles matrix breaks in the middle
("Dat|e", "202|6"); the matrix keeps the activity column pinned while its
roles scroll sideways, and its rows stay short; every control is a target
of at least 24 x 24 px (WCAG 2.2, 2.5.8) and main actions are 44 px high;
and axe passes on every page measured.

At the end, the watch that every browser test's pages are under: console
errors, uncaught exceptions and CSP violations are reported with their page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from accounts.models import User
from engagements import services
from engagements.models import Partnership, SharedGoal, ShareLink
from partners.models import Organization
from tests.browser.conftest import PageProblem, assert_accessible, assert_no_horizontal_scroll, log_in, watch
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]

PHONE = 360
WIDE = 1280
WIDTHS = (PHONE, WIDE)
LANGUAGES = ("en", "id")
BROWSER_LOCALES = {"en": "en-US", "id": "id-ID"}

HEADER_MAX_HEIGHT = 120
MATRIX_ROW_MAX_HEIGHT = 120
MIN_TARGET = 24  # WCAG 2.2, 2.5.8 Target Size (Minimum)
MAIN_ACTION_HEIGHT = 44

# Long names, as real groups have them: they make the columns fight for room.
ORGANIZATIONS = ("Kelompok Nelayan Bahari", "Karang Taruna Bina Remaja", "PKK Desa Timbulsloko")
NOTES = (
    "Bibit tahap pertama tertanam di pesisir utara bersama karang taruna.",
    "Sebagian bibit hanyut karena rob; penyulaman dijadwalkan bulan depan.",
)

# Every word (split at spaces and hyphens) of the visible text under a root,
# with the number of lines it is drawn on: more than one is a word broken in
# the middle. Text that is only spoken (visually hidden) is left out.
SPLIT_WORDS = """
(root) => {
  const split = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".visually-hidden, option, script")) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))
      );
      if (lines.size > 1) split.push(`${match[0]} (on ${lines.size} lines)`);
    }
  }
  return split;
}
"""

# Cells whose computed style lets a word break anywhere, even if it fits today.
BREAKING_CELLS = """
(root) => [...root.querySelectorAll("th, td")]
  .filter((cell) => {
    const style = getComputedStyle(cell);
    return style.wordBreak === "break-all" || style.overflowWrap === "anywhere" || style.wordBreak === "break-word";
  })
  .map((cell) => `${cell.tagName.toLowerCase()} "${cell.innerText.trim().slice(0, 30)}"`)
"""

# WCAG 2.2, 2.5.8: a target under 24 x 24 px passes only if it is inline in a
# sentence of other text, or if a 24 px circle centred on it touches no other
# target and no other such circle (the spacing exception).
SMALL_TARGETS = """
(minimum) => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const shown = (element) => {
    if (!element.checkVisibility({visibilityProperty: true})) return false;
    if (element.closest(".visually-hidden")) return false;
    const rect = element.getBoundingClientRect();
    // The skip link waits above the page until it is focused.
    return rect.width > 0 && rect.height > 0 && rect.bottom + window.scrollY > 0;
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown);
  const describe = (element) => {
    const name = (element.innerText || element.value || element.getAttribute("aria-label") || element.id || "").trim();
    const classes = element.className ? "." + element.className : "";
    return `<${element.tagName.toLowerCase()}${classes}> "${name.slice(0, 40)}"`;
  };
  const inSentence = (element) => {
    if (element.tagName !== "A" || getComputedStyle(element).display !== "inline") return false;
    let block = element.parentElement;
    while (getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    let otherText = block.textContent;
    for (const link of block.querySelectorAll("a")) otherText = otherText.replace(link.textContent, "");
    return /[\\p{L}\\p{N}]/u.test(otherText);
  };
  const centre = (rect) => ({x: rect.left + rect.width / 2, y: rect.top + rect.height / 2});
  const distanceToRect = (point, rect) => Math.hypot(
    Math.max(rect.left - point.x, 0, point.x - rect.right), Math.max(rect.top - point.y, 0, point.y - rect.bottom)
  );
  const boxes = targets.map((element) => element.getBoundingClientRect());
  const undersized = targets.map(
    (element, i) => boxes[i].width < minimum - 0.5 || boxes[i].height < minimum - 0.5
  );
  const failing = [];
  targets.forEach((element, i) => {
    if (!undersized[i] || inSentence(element)) return;
    const here = centre(boxes[i]);
    const crowded = targets.some((other, j) => {
      if (j === i || other.contains(element) || element.contains(other)) return false;
      if (distanceToRect(here, boxes[j]) < minimum / 2) return true;
      const there = centre(boxes[j]);
      return undersized[j] && Math.hypot(here.x - there.x, here.y - there.y) < minimum;
    });
    if (crowded) {
      failing.push(`${describe(element)} ${Math.round(boxes[i].width)}x${Math.round(boxes[i].height)} px`);
    }
  });
  return failing;
}
"""


@dataclass(frozen=True)
class Pages:
    partnership: Partnership
    goal: SharedGoal
    link: ShareLink

    def detail(self, server: str) -> str:
        return f"{server}/partnerships/{self.partnership.pk}/"

    def plan(self, server: str) -> str:
        return f"{server}/partnerships/{self.partnership.pk}/plan/"

    def goal_page(self, server: str) -> str:
        return f"{server}/partnerships/{self.partnership.pk}/goals/{self.goal.pk}/"

    def shared(self, server: str) -> str:
        return f"{server}/shared/{self.link.token}/"


@pytest.fixture
def pages(facilitator: User, org_a: Organization) -> Pages:
    organizations = [org_a, *(OrganizationFactory(name=name) for name in ORGANIZATIONS)]
    partnership = build_partnership(user=facilitator, organizations=organizations)
    goal = partnership.goals.get()
    today = timezone.localdate()
    for days_ago, (value, note) in zip((30, 2), ((Decimal(1250), NOTES[0]), (Decimal(1100), NOTES[1])), strict=True):
        services.goals.progress_record(
            user=facilitator, goal=goal, value=value, measured_on=today - datetime.timedelta(days=days_ago), note=note
        )
    # The share page shows the plan as last agreed.
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati di balai desa.")
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=today + datetime.timedelta(days=30)
    )
    return Pages(partnership=partnership, goal=goal, link=link)


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def open_as(new_page: PageFactory, live_server: Any, user: User, width: int, language: str) -> Page:
    page = new_page(width)
    log_in(page, live_server, speaking(user, language).username)
    return page


def open_as_visitor(new_page: PageFactory, url: str, width: int, language: str) -> Page:
    """Visitors' pages follow the browser's language (the share page has no language form)."""
    page = new_page(width, locale=BROWSER_LOCALES[language])
    go(page, url, language)
    return page


def go(page: Page, url: str, language: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.locator("html").get_attribute("lang") == language


def header_height(page: Page) -> float:
    box = page.locator("header.site-header").bounding_box()
    assert box is not None
    return box["height"]


def split_words(page: Page) -> dict[str, list[str]]:
    """Per table of the main content, its words broken in the middle and its cells allowed to break so."""
    found = {}
    for number, table in enumerate(page.locator("main table").all()):
        problems = table.evaluate(SPLIT_WORDS) + table.evaluate(BREAKING_CELLS)
        if problems:
            found[f"table {number + 1} ({table.locator('caption, th').first.inner_text().strip()})"] = problems
    return found


def matrix_region(page: Page) -> Locator:
    return page.locator("div.table-scroll").filter(has=page.locator("table.matrix"))


def check_targets(page: Page) -> None:
    small = page.evaluate(SMALL_TARGETS, MIN_TARGET)
    assert not small, f"targets under {MIN_TARGET} x {MIN_TARGET} px on {page.url}:\n" + "\n".join(small)
    for button in page.locator("main .primary").all():
        if not button.is_visible():
            continue
        box = button.bounding_box()
        assert box is not None
        assert box["height"] >= MAIN_ACTION_HEIGHT - 0.5, (
            f"main action {button.inner_text()!r} on {page.url} is {box['height']:.0f} px high"
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_keeps_the_header_with_menu_and_language_under_120_px(
    new_page: PageFactory, live_server: Any, facilitator: User, partner_a: User, width: int, language: str
) -> None:
    for user, url in [(facilitator, "/today/"), (partner_a, "/our-partnerships/")]:
        page = open_as(new_page, live_server, user, width, language)
        go(page, f"{live_server.url}{url}", language)
        nav = page.get_by_role("navigation", name="Navigasi utama" if language == "id" else "Main navigation")
        assert nav.is_visible()
        assert page.locator("#language-select").is_visible()
        assert header_height(page) <= HEADER_MAX_HEIGHT, (
            f"the header of {page.url} is {header_height(page):.0f} px high at {width} px"
        )
        assert_accessible(page)
        if width == PHONE:
            assert_no_horizontal_scroll(page, width)

    anonymous = open_as_visitor(new_page, f"{live_server.url}/accounts/login/", width, language)
    assert header_height(anonymous) <= HEADER_MAX_HEIGHT


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_reaches_every_menu_link_on_a_phone(
    new_page: PageFactory, live_server: Any, facilitator: User, language: str
) -> None:
    """The menu scrolls sideways in its one-row strip: every link comes fully into view and opens its page."""
    page = open_as(new_page, live_server, facilitator, PHONE, language)
    hrefs = [link.get_attribute("href") for link in page.locator(".site-nav a").all()]
    assert len(hrefs) == 6
    for number, href in enumerate(hrefs):
        go(page, f"{live_server.url}/today/", language)
        link = page.locator(".site-nav a").nth(number)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= PHONE, f"{href} stays off-screen"
        link.click()
        page.wait_for_url(f"{live_server.url}{href}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_never_breaks_a_word_in_the_progress_table_or_the_matrix(
    new_page: PageFactory, live_server: Any, facilitator: User, pages: Pages, width: int, language: str
) -> None:
    page = open_as(new_page, live_server, facilitator, width, language)
    for url in (pages.goal_page(live_server.url), pages.plan(live_server.url)):
        go(page, url, language)
        assert page.locator("main table").count() >= 1, url
        assert split_words(page) == {}, f"words broken in the middle on {url} at {width} px"
        assert_accessible(page)
        if width == PHONE:
            assert_no_horizontal_scroll(page, width)

    shared = open_as_visitor(new_page, pages.shared(live_server.url), width, language)
    assert split_words(shared) == {}, f"words broken in the middle on the share page at {width} px"
    assert_accessible(shared)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_pins_the_activity_column_of_the_matrix_on_a_phone(
    new_page: PageFactory, live_server: Any, facilitator: User, pages: Pages, language: str
) -> None:
    page = open_as(new_page, live_server, facilitator, PHONE, language)
    go(page, pages.plan(live_server.url), language)
    shared = open_as_visitor(new_page, pages.shared(live_server.url), PHONE, language)

    for each in (page, shared):
        region = matrix_region(each)
        assert region.evaluate("(box) => box.scrollWidth > box.clientWidth"), "the matrix fits: nothing to pin"
        rows = region.locator("tbody tr")
        assert rows.count() == 5
        for row in rows.all():
            box = row.bounding_box()
            assert box is not None and box["height"] < MATRIX_ROW_MAX_HEIGHT, (
                f"a matrix row on {each.url} is {box and box['height']:.0f} px high"
            )

        region.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
        assert region.evaluate("(box) => box.scrollLeft") > 0
        frame = region.bounding_box()
        assert frame is not None
        for header in [*region.locator("tbody th[scope=row]").all(), region.locator("thead th").first]:
            header.evaluate("(cell) => cell.scrollIntoView({block: 'nearest', inline: 'nearest'})")
            region.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
            cell = header.bounding_box()
            assert cell is not None
            assert frame["x"] - 0.5 <= cell["x"] and cell["x"] + cell["width"] <= frame["x"] + frame["width"], (
                f"{header.inner_text()!r} scrolled out of the matrix on {each.url}"
            )
            # Pinned and on top: the scrolled role cells pass under it, not over it.
            on_top = header.evaluate(
                """(cell) => {
                  const box = cell.getBoundingClientRect();
                  const hit = document.elementFromPoint(box.left + 8, box.top + box.height / 2);
                  return hit !== null && cell.contains(hit);
                }"""
            )
            assert on_top, f"{header.inner_text()!r} is covered by other cells on {each.url}"
        assert_accessible(each)
        assert_no_horizontal_scroll(each, PHONE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_shows_the_whole_matrix_without_scrolling_on_a_wide_screen(
    new_page: PageFactory, live_server: Any, facilitator: User, pages: Pages, language: str
) -> None:
    page = open_as(new_page, live_server, facilitator, WIDE, language)
    go(page, pages.plan(live_server.url), language)
    shared = open_as_visitor(new_page, pages.shared(live_server.url), WIDE, language)
    for each in (page, shared):
        region = matrix_region(each)
        assert region.evaluate("(box) => box.scrollWidth <= box.clientWidth")
        for row in region.locator("tbody tr").all():
            box = row.bounding_box()
            assert box is not None and box["height"] < MATRIX_ROW_MAX_HEIGHT


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_gives_every_control_a_24_px_target_and_main_actions_44_px(
    new_page: PageFactory, live_server: Any, facilitator: User, partner_a: User, pages: Pages, width: int, language: str
) -> None:
    page = open_as(new_page, live_server, facilitator, width, language)
    for url in (
        f"{live_server.url}/today/",
        pages.detail(live_server.url),
        pages.plan(live_server.url),
        pages.goal_page(live_server.url),
    ):
        go(page, url, language)
        check_targets(page)

    portal = open_as(new_page, live_server, partner_a, width, language)
    go(portal, pages.detail(live_server.url), language)
    check_targets(portal)

    shared = open_as_visitor(new_page, pages.shared(live_server.url), width, language)
    check_targets(shared)

    login = open_as_visitor(new_page, f"{live_server.url}/accounts/login/", width, language)
    check_targets(login)
    assert login.locator("main .primary").count() >= 1


# The watch that every page of these tests is under (tests/browser/conftest.py).


def watched_page(browser: Browser) -> tuple[BrowserContext, Page, list[PageProblem]]:
    problems: list[PageProblem] = []
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    watch(context, problems)
    return context, context.new_page(), problems


def test_it_reports_a_csp_violation_with_the_page_url(browser: Browser, live_server: Any) -> None:
    context, page, problems = watched_page(browser)
    url = f"{live_server.url}/accounts/login/"
    page.goto(url)
    page.evaluate("() => { document.querySelector('main').innerHTML += '<p style=\"color: red\">inline</p>'; }")
    page.wait_for_function("() => document.querySelector('main p[style]') !== null")
    page.wait_for_timeout(200)  # the binding reports asynchronously
    context.close()
    assert {problem.kind for problem in problems} == {"console error", "CSP violation"}
    assert all(problem.url == url for problem in problems)
    assert any("style-src" in problem.text for problem in problems if problem.kind == "CSP violation")


def test_it_reports_an_uncaught_exception_and_a_missing_stylesheet(browser: Browser, live_server: Any) -> None:
    context, page, problems = watched_page(browser)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("() => { setTimeout(() => { throw new Error('boom'); }); }")
    page.evaluate(
        """() => new Promise((done) => {
          const link = Object.assign(document.createElement('link'), {rel: 'stylesheet', href: '/static/missing.css'});
          link.addEventListener('error', done);
          document.head.append(link);
        })"""
    )
    page.wait_for_timeout(200)
    context.close()
    kinds = sorted(problem.kind for problem in problems)
    assert kinds == ["console error", "uncaught exception"], problems
    assert any("boom" in problem.text for problem in problems)


def test_it_lets_a_test_open_a_page_that_answers_404(browser: Browser, live_server: Any, facilitator: User) -> None:
    context, page, problems = watched_page(browser)
    log_in(page, live_server, facilitator.username)
    response = page.goto(f"{live_server.url}/partnerships/999999/")
    assert response is not None and response.status == 404
    page.wait_for_timeout(200)
    context.close()
    assert problems == []
