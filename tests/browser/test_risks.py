"""The risk register in a real browser: a leadership-change flag acknowledged, a funding flag made a risk.

Organization A has a new leader and organization M irregular funding: the
facilitator sees both flags on the partnership page and in the register,
acknowledges the first with a note, and turns the second into a risk from
the prefilled form. axe-core checks every page on the way, at 1280 px and
at 360 px (where no page may scroll sideways), in English and in Bahasa
Indonesia.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements.models import FlagAcknowledgement, FlagKind, Risk, RiskCategory, TrustEntry, TrustEntryKind
from engagements.selectors.risks import flags_of
from partners import services as partner_services
from partners.models import FundingStability, Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]
SMALLEST_WIDTH = 360
NOTE = "Sudah bertemu ketua baru; rencana kolaboratif tetap berjalan"


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def new_leader(user: User, organization: Organization) -> None:
    today = timezone.localdate()
    for name, started_on in (("Pak Harjo", today - datetime.timedelta(days=800)), ("Bu Ratna", today)):
        partner_services.leadership_change(
            user=user, organization=organization, leader=None, new_leader_name=name, started_on=started_on
        )


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [1280, SMALLEST_WIDTH])
def test_a_facilitator_acknowledges_a_leadership_flag_and_turns_a_funding_flag_into_a_risk(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    org_m = OrganizationFactory(name="Kelompok Nelayan Bahari", funding_stability=FundingStability.IRREGULAR)
    partnership = build_partnership(user=facilitator, organizations=[org_a, org_m], activities=0)
    new_leader(facilitator, org_a)
    flags = {flag.kind: flag for flag in flags_of(partnership)}
    leader, funding = flags[FlagKind.LEADER_CHANGE], flags[FlagKind.UNSTABLE_FUNDING]
    base = f"{live_server.url}/partnerships/{partnership.pk}"

    page = new_page(width)
    log_in(page, live_server, speaking(facilitator, language).username)
    page.goto(f"{base}/")
    panel = page.locator("section[aria-labelledby=risks-heading]")
    expect(panel.locator(".badge-flag-active")).to_be_visible()
    check_page(page, width)

    panel.locator(f"a[href='/partnerships/{partnership.pk}/risks/']").click()
    page.wait_for_url(f"{base}/risks/")
    card = page.locator(f"#flag-{leader.key}")
    expect(card).to_contain_text(org_a.name)
    expect(card.locator(".badge-flag-active")).to_be_visible()
    check_page(page, width)

    # Acknowledge the new leader, with a note.
    card.locator(f"a[href$='/risks/flags/{leader.key}/acknowledge/']").click()
    page.wait_for_url(f"{base}/risks/flags/{leader.key}/acknowledge/")
    check_page(page, width)
    page.locator("textarea[name=note]").fill(NOTE)
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url(f"{base}/risks/")
    card = page.locator(f"#flag-{leader.key}")
    expect(card.locator(".badge-flag-acknowledged")).to_be_visible()
    expect(card).to_contain_text(NOTE)
    check_page(page, width)

    # Turn the funding flag into a risk: the form comes prefilled.
    page.locator(f"#flag-{funding.key} a[href$='/risks/flags/{funding.key}/risk/']").click()
    page.wait_for_url(f"{base}/risks/flags/{funding.key}/risk/")
    expect(page.locator("input[name=title]")).to_have_value(re.compile(rf".+: {re.escape(org_m.name)}$"))
    expect(page.locator(f"input[name=category][value={RiskCategory.FUNDING}]")).to_be_checked()
    check_page(page, width)
    page.locator("input[name=mitigation], textarea[name=mitigation]").fill("Cari dana desa bersama")
    page.locator("form.stacked-form button[type=submit].primary").click()
    made = Risk.objects.get(partnership=partnership)
    page.wait_for_url(f"{base}/risks/{made.pk}/")
    expect(page.locator("h1")).to_have_text(made.title)
    check_page(page, width)

    page.goto(f"{base}/risks/")
    expect(page.locator(f"#flag-{funding.key} a[href$='/risks/{made.pk}/']")).to_be_visible()
    expect(page.locator(f"#risk-{made.pk}")).to_be_visible()
    check_page(page, width)

    acknowledgement = FlagAcknowledgement.objects.get(partnership=partnership)
    assert (acknowledgement.flag_key, acknowledgement.note, acknowledgement.acknowledged_by) == (
        leader.key,
        NOTE,
        facilitator,
    )
    assert TrustEntry.objects.filter(
        partnership=partnership, kind=TrustEntryKind.FLAG_ACKNOWLEDGED, subject_id=acknowledgement.pk
    ).exists()
    assert (made.from_flag, made.category, made.owner_organization, made.mitigation) == (
        funding.key,
        RiskCategory.FUNDING,
        org_m,
        "Cari dana desa bersama",
    )
