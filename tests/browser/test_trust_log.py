"""The trust log in a real browser: a facilitator adds an entry and corrects it; a partner member reads it.

axe-core checks every page on the way, at 1280 px and at 360 px, where no
page may scroll sideways.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements.models import TrustEntry, TrustEntryKind
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.browser.test_small_screens import check_targets
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[[int], Page]
WIDTHS = (1280, 360)


def check(page: Page, width: int) -> None:
    assert_accessible(page)
    check_targets(page)
    if width == min(WIDTHS):
        assert_no_horizontal_scroll(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_it_adds_and_corrects_an_entry_and_shows_partners_the_shared_text_only(
    new_page: PageFactory, live_server: Any, facilitator: User, partner_a: User, org_a: Organization, width: int
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=1)
    page = new_page(width)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Trust log").click()
    expect(page.locator("#chain-status")).to_contain_text("2 entries, chain intact")
    check(page, width)

    page.get_by_role("link", name="Add an entry").click()
    check(page, width)
    page.get_by_label("What happened").select_option("budget_shared")
    page.get_by_label("Shared text").fill("Anggaran dibacakan di balai desa")
    page.get_by_label("Internal text").fill("Bendahara belum hadir")
    page.get_by_role("button", name="Add to the log").click()
    expect(page.locator("#chain-status")).to_contain_text("3 entries, chain intact")
    entry = TrustEntry.objects.get(kind=TrustEntryKind.BUDGET_SHARED)

    page.get_by_role("link", name=f"Correct this entry #{entry.sequence}").click()
    check(page, width)
    page.get_by_label("Shared text").fill("Anggaran dibacakan, salinan dibagikan")
    page.get_by_role("button", name="Add the correction").click()
    original = page.locator(f"#entry-{entry.sequence}")
    expect(original).to_contain_text(f"Corrected by entry #{entry.sequence + 1}")
    expect(original).to_contain_text("salinan dibagikan")
    check(page, width)

    partner = new_page(width)
    log_in(partner, live_server, partner_a.username)
    partner.goto(f"{live_server.url}/partnerships/{partnership.pk}/")
    partner.get_by_role("link", name="Trust log").click()
    expect(partner.locator(f"#entry-{entry.sequence}")).to_contain_text("Anggaran dibacakan di balai desa")
    expect(partner.locator("main")).not_to_contain_text("Bendahara belum hadir")
    check(partner, width)
