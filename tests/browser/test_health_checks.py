"""The health check in a real browser: a facilitator opens a round and answers, a partner member too.

Two more people on each side have answered already, so that both sides have
three respondents and their averages may be shown. axe-core checks every
page on the way, at 1280 px and at 360 px (where no page may scroll
sideways), in English and in Bahasa Indonesia.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements.domain.health_checks import SLUGS
from engagements.models import HealthCheckAnswer, HealthCheckRound, HealthCheckSide
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import build_partnership
from tests.engagements.health_checks.conftest import answer, facilitators, members_of
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]
SMALLEST_WIDTH = 360
COMMENT = "Rapat rutin perlu lebih sering"


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def fill_in(page: Page, score: int, width: int) -> None:
    """Every statement scored by clicking its visible label; the first gets a comment."""
    for slug in SLUGS:
        page.locator(f"label[for=id_score_{slug}_{score - 1}]").click()
    page.locator(f"textarea[name=comment_{SLUGS[0]}]").fill(COMMENT)
    check_page(page, width)
    page.locator("form.health-form button[type=submit].primary").click()


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [1280, SMALLEST_WIDTH])
def test_both_sides_answer_a_health_check_and_read_the_results(
    new_page: PageFactory,
    live_server: Any,
    facilitator: User,
    partner_a: User,
    org_a: Organization,
    width: int,
    language: str,
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    base = f"{live_server.url}/partnerships/{partnership.pk}"

    page = new_page(width)
    log_in(page, live_server, speaking(facilitator, language).username)
    page.goto(f"{base}/health-checks/")
    expect(page.locator(".empty-state")).to_be_visible()
    check_page(page, width)

    # Open a round: the confirmation page, then the form to answer it.
    page.locator(f"a[href='/partnerships/{partnership.pk}/health-checks/new/']").click()
    page.wait_for_url(f"{base}/health-checks/new/")
    check_page(page, width)
    page.locator("form.stacked-form button[type=submit].primary").click()
    found = HealthCheckRound.objects.get(partnership=partnership)
    page.wait_for_url(f"{base}/health-checks/{found.pk}/answer/")
    for user in facilitators(2):
        answer(user, found, 5)
    for user in members_of(org_a, 2):
        answer(user, found, 2)
    fill_in(page, 5, width)
    page.wait_for_url(f"{base}/health-checks/{found.pk}/")

    # The partner member sees "answer now" on the portal, and answers.
    member_page = new_page(width)
    log_in(member_page, live_server, speaking(partner_a, language).username)
    member_page.goto(f"{base}/")
    panel = member_page.locator("section[aria-labelledby=health-checks-heading]")
    panel.locator(f"a[href='/partnerships/{partnership.pk}/health-checks/{found.pk}/answer/']").click()
    member_page.wait_for_url(f"{base}/health-checks/{found.pk}/answer/")
    fill_in(member_page, 2, width)
    member_page.wait_for_url(f"{base}/health-checks/{found.pk}/")
    expect(member_page.locator(f"#side-{org_a.pk}")).to_contain_text("3")
    check_page(member_page, width)

    # Both sides, side by side, and where they differ most.
    page.reload()
    expect(page.locator("#side-facilitators")).to_contain_text("3")
    expect(page.locator(f"#side-{org_a.pk}")).to_contain_text(org_a.name)
    expect(page.locator("#disagreement-goals-clear")).to_be_visible()
    expect(page.locator(".health-table")).to_contain_text("5")
    expect(page.locator(".health-lines").first).to_contain_text(COMMENT)
    check_page(page, width)

    assert HealthCheckAnswer.objects.filter(round=found, respondent=facilitator).count() == len(SLUGS)
    assert set(
        HealthCheckAnswer.objects.filter(round=found, respondent=partner_a).values_list("side", "organization", "score")
    ) == {(HealthCheckSide.MEMBER, org_a.pk, 2)}
