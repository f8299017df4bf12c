"""Today in a real browser: the facilitator's morning, from the counts to the thing itself.

One partnership of A and M has something of every kind: a late check-in, an
overdue commitment of A, an overdue activity M is accountable for, a new
leader in A (a flag and a leadership change), a low health score, what A's
partner member did, and a follow-up noted on a visit. The facilitator opens
Today, follows a count to its full list and an item to its page. axe-core
checks every page at 1280 px and at 360 px (where no page may scroll
sideways), in English and in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements import services
from engagements.models import CheckInSchedule, Commitment, CommitmentAudience, CommitmentSide, SharedGoal
from partners import services as partner_services
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import add_activity, build_partnership
from tests.factories import OrganizationFactory, make_partner_member

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]
PHONE = 360
KINDS = ("check-ins", "commitments", "activities", "flags", "health", "leaders", "updates", "follow-ups")
HEADINGS = {
    "en": {"h1": "Today", "commitment": "Laporan keuangan kelompok"},
    "id": {"h1": "Hari ini", "commitment": "Laporan keuangan kelompok"},
}


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == PHONE:
        assert_no_horizontal_scroll(page, width)


def a_morning(facilitator: User, org_a: Organization) -> tuple[int, Commitment]:
    """A partnership with something of every kind for Today; returns its pk and the overdue commitment."""
    today = timezone.localdate()
    org_m = OrganizationFactory(name="Kelompok Nelayan Bahari")
    partnership = build_partnership(user=facilitator, organizations=[org_a, org_m], activities=0)
    members = list(partnership.members.order_by("pk"))
    services.checkins.schedule_save(
        user=facilitator,
        schedule=CheckInSchedule(
            partnership=partnership, cadence="weeks", interval=1, grace_days=2, starts_on=today - datetime.timedelta(20)
        ),
    )
    commitment = services.commitments.commitment_make(
        user=facilitator,
        commitment=Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by=org_a,
            promised_to_side=CommitmentAudience.ALL_MEMBERS,
            text="Laporan keuangan kelompok",
            due_on=today - datetime.timedelta(days=2),
        ),
    )
    add_activity(partnership, members[::-1], title="Pembibitan mangrove", due=today - datetime.timedelta(days=1))
    for name, started_on in (("Pak Harjo", today - datetime.timedelta(days=800)), ("Bu Ratna", today)):
        partner_services.leadership_change(
            user=facilitator, organization=org_a, leader=None, new_leader_name=name, started_on=started_on
        )
    partner_services.interaction_record(
        user=facilitator, organization=org_m, kind="visit", occurred_on=today - datetime.timedelta(days=1),
        summary="Kunjungan ke tambak", follow_up="Kirim jadwal pelatihan",
    )  # fmt: skip
    partner = make_partner_member(org_a, username="mitra_pagi")
    goal = SharedGoal.objects.get(partnership=partnership)
    services.goals.progress_record(user=partner, goal=goal, value=Decimal(80), measured_on=today)
    return partnership.pk, commitment


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [1280, PHONE])
def test_a_facilitator_reads_today_follows_a_count_to_its_list_and_an_item_to_its_page(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    pk, commitment = a_morning(facilitator, org_a)
    facilitator.language = language
    facilitator.save(update_fields=["language"])
    page = new_page(width)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("h1")).to_have_text(HEADINGS[language]["h1"])
    counts = page.locator("nav.today-counts a")
    expect(counts).to_have_count(len(KINDS))
    for kind in ("check-ins", "commitments", "activities", "flags", "leaders", "updates", "follow-ups"):
        expect(page.locator(f"nav.today-counts a[href='/today/{kind}/'] .today-count")).not_to_have_text("0")
    expect(page.locator("section[aria-labelledby=checkins-due-heading] .card .badge").first).to_be_visible()
    card = page.locator("section[aria-labelledby=commitments-due-heading] .card").filter(
        has_text=HEADINGS[language]["commitment"]
    )
    expect(card.locator(f"a[href='/organizations/{org_a.pk}/']")).to_have_text(org_a.name)
    expect(page.locator("section[aria-labelledby=due-heading] .card")).to_contain_text("Kelompok Nelayan Bahari")
    check_page(page, width)

    page.locator("nav.today-counts a[href='/today/flags/']").click()
    page.wait_for_url(f"{live_server.url}/today/flags/")
    expect(page.locator("main .card").first).to_contain_text(org_a.name)
    check_page(page, width)

    page.goto(f"{live_server.url}/today/")
    card.locator(f"a[href='/partnerships/{pk}/commitments/{commitment.pk}/']").click()
    page.wait_for_url(f"{live_server.url}/partnerships/{pk}/commitments/{commitment.pk}/")
    check_page(page, width)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("width", [1280, PHONE])
def test_an_empty_today_says_what_to_do_next(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int, language: str
) -> None:
    facilitator.language = language
    facilitator.save(update_fields=["language"])
    page = new_page(width)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#today-empty")).to_be_visible()
    expect(page.locator(".today-empty")).to_have_count(len(KINDS))
    check_page(page, width)
    page.locator("nav.today-counts a[href='/today/updates/']").click()
    page.wait_for_url(f"{live_server.url}/today/updates/")
    expect(page.locator("#today-list-empty")).to_be_visible()
    check_page(page, width)
