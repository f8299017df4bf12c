"""Accessibility in a real browser: axe-core, small screens, keyboard, language.

Every page is checked at 360 px (the smallest phone the design supports) and
at 1280 px. axe's "serious" and "critical" findings fail the test; at 360 px
the page must not scroll sideways.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from accounts.models import User
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
SMALLEST_WIDTH = min(WIDTHS)

PageFactory = Callable[[int], Page]


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


def h1_text(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Log in to Rekan"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/sent/", "Check your email"),
    ],
)
def test_it_serves_accessible_pages_to_anonymous_visitors(
    new_page: PageFactory, live_server: Any, width: int, path: str, heading: str
) -> None:
    page = new_page(width)
    page.goto(f"{live_server.url}{path}")
    assert h1_text(page) == heading
    check_page(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_it_brings_a_facilitator_to_accessible_today_preferences_and_password_pages(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int
) -> None:
    page = new_page(width)
    log_in(page, live_server, facilitator.username)
    assert page.url == f"{live_server.url}/today/"
    assert h1_text(page) == "Today"
    check_page(page, width)

    page.get_by_role("link", name="Preferences").click()
    page.wait_for_url(f"{live_server.url}/accounts/preferences/")
    assert h1_text(page) == "Preferences"
    check_page(page, width)

    page.get_by_role("link", name="Change password").click()
    page.wait_for_url(f"{live_server.url}/accounts/password/change/")
    assert h1_text(page) == "Change password"
    check_page(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_it_brings_a_partner_member_to_accessible_our_partnerships(
    new_page: PageFactory, live_server: Any, partner_a: User, width: int
) -> None:
    page = new_page(width)
    log_in(page, live_server, partner_a.username)
    assert page.url == f"{live_server.url}/our-partnerships/"
    assert h1_text(page) == "Our partnerships"
    check_page(page, width)


def test_it_switches_the_language_and_keeps_it_on_the_user(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    page = new_page(SMALLEST_WIDTH)
    log_in(page, live_server, facilitator.username)
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("#language-select").select_option(label="Bahasa Indonesia")
    with page.expect_navigation():
        page.get_by_role("button", name="Switch", exact=True).click()

    assert page.url == f"{live_server.url}/today/"
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("#language-select").input_value() == "id"
    # The Indonesian catalogue (locale/id) translates the heading; only that
    # it changed is checked, not the wording.
    assert h1_text(page) != "Today"
    facilitator.refresh_from_db()
    assert facilitator.language == "id"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/accounts/login/", id="login"),
        pytest.param("/accounts/password/reset/", id="password-reset"),
    ],
)
def test_it_focuses_a_visible_skip_link_on_the_first_tab(
    new_page: PageFactory, live_server: Any, width: int, path: str
) -> None:
    page = new_page(width)
    page.goto(f"{live_server.url}{path}")
    # No field may grab the focus before the skip link (accounts.forms.LoginForm).
    assert page.locator("[autofocus]").count() == 0

    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            const box = element.getBoundingClientRect();
            return {
                className: element.className,
                href: element.getAttribute("href"),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
                inViewport: box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
            };
        }"""
    )
    assert focused["className"] == "skip-link", focused
    assert focused["href"] == "#main"
    assert focused["outlineStyle"] != "none", focused
    assert focused["outlineWidth"] > 0, focused
    assert focused["inViewport"], focused

    # Following it puts the keyboard in the main content.
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
