"""Back to a directory page that htmx has no snapshot of: the whole page comes back, not the results alone.

The directory filters with htmx and pushes each filtered address into the
history. Going Back to such an address, htmx puts back its own snapshot of
the page (kept in sessionStorage in htmx 2, localStorage in htmx 1); when
there is none, because the cache is full, was cleared or the tab was
restored, it asks the server again with ``HX-Request`` and
``HX-History-Restore-Request`` and replaces the whole <body> with the answer.
An answer of just the results fragment left a page without its header,
heading and filters.

The session history shares one document between the directory's own entry
and the ones its filtering pushed, so after visiting a profile and coming
back, one more Back is still htmx's to restore; that is the step measured.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from accounts.models import User
from partners import services
from partners.models import Kind, Organization
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PageFactory = Callable[[int], Page]

WIDE = 1280
FARMERS = "Kelompok Tani Sri Rejeki"
SAVERS = "Koperasi Simpan Pinjam Mekar Sari"
# htmx 2 keeps its snapshots in sessionStorage; htmx 1 kept them in localStorage.
CLEAR_HISTORY_CACHE = """() => {
  sessionStorage.removeItem("htmx-history-cache");
  localStorage.removeItem("htmx-history-cache");
}"""


def add_organization(name: str, kind: str) -> Organization:
    organization = Organization(name=name, kind=kind, regency="Demak")
    return services.organization_save(user=None, organization=organization, focus_area_names=[])


def result_links(page: Page) -> list[str]:
    return sorted(text.strip() for text in page.locator("#directory-results .card-title a").all_inner_texts())


def test_it_restores_the_whole_directory_page_after_a_history_cache_miss(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    farmers = add_organization(FARMERS, Kind.FARMER_FISHER)
    add_organization(SAVERS, Kind.SAVINGS)
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    restores: list[str] = []

    def on_request(request: Request) -> None:
        if request.headers.get("hx-history-restore-request") == "true":
            restores.append(request.url)

    page.on("request", on_request)
    directory = f"{live_server.url}/organizations/"
    page.goto(directory)
    assert result_links(page) == sorted([FARMERS, SAVERS])

    # Filter with htmx: the results change in place and the address is pushed.
    page.get_by_label(re.compile(r"^Kind:?$")).select_option(label="Farmer or fisher group")
    page.wait_for_url(re.compile(r"/organizations/\?(.*&)?kind=farmer_fisher(&|$)"))
    expect(page.locator("#directory-results").get_by_role("link", name=SAVERS)).to_have_count(0)

    # Another page, and back to the filtered directory (the browser loads it).
    page.locator("#directory-results").get_by_role("link", name=FARMERS).click()
    page.wait_for_url(f"{directory}{farmers.pk}/")
    page.go_back()
    page.wait_for_url(re.compile(r"kind=farmer_fisher"))
    expect(page.locator("h1")).to_have_text("Organizations")

    # No snapshot left: htmx must fetch the unfiltered directory from the server.
    page.evaluate(CLEAR_HISTORY_CACHE)
    page.go_back()
    page.wait_for_url(directory)
    # Both groups are listed again, whether in the whole page or in a bare fragment.
    expect(page.get_by_role("link", name=SAVERS)).to_be_visible()

    assert restores == [directory], "the step did not reach the server as a history restore"
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Organizations")
    filters = page.get_by_role("search")
    expect(filters).to_be_visible()
    expect(filters.get_by_label("Search name, mission or focus areas")).to_be_visible()
    expect(filters.get_by_label(re.compile(r"^Kind:?$"))).to_have_value("")
    assert result_links(page) == sorted([FARMERS, SAVERS])
    expect(page.locator("footer.site-footer")).to_have_count(1)
