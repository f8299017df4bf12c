"""A commitment kept, in a real browser: the partner member marks it, the facilitator confirms.

Organization A promised something; A's partner member marks it kept from the
partnership's portal page, the facilitator confirms it from the commitment's
page, and the partnership's commitment list shows it kept and confirmed, the
two events in the log in order. axe-core checks every page on the way, at
1280 px and at 360 px (where no page may scroll sideways), in English and in
Bahasa Indonesia.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements import services
from engagements.models import Commitment, CommitmentState, Confirmation, TrustEntry, TrustEntryKind
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]
SMALLEST_WIDTH = 360
PROMISE = "Menyiapkan 500 polybag untuk pembibitan"


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
def test_a_partner_marks_a_commitment_kept_and_the_facilitator_confirms_it(
    new_page: PageFactory,
    live_server: Any,
    facilitator: User,
    partner_a: User,
    org_a: Organization,
    width: int,
    language: str,
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    commitment = services.commitments.commitment_make(
        user=facilitator,
        commitment=Commitment(
            partnership=partnership,
            promised_by=org_a,
            text=PROMISE,
            due_on=timezone.localdate() + datetime.timedelta(days=5),
            internal_notes="RAHASIA-internal-commitment",
        ),
    )
    base = live_server.url
    detail = f"{base}/partnerships/{partnership.pk}/commitments/{commitment.pk}/"

    partner = new_page(width)
    log_in(partner, live_server, speaking(partner_a, language).username)
    partner.goto(f"{base}/partnerships/{partnership.pk}/")
    expect(partner.locator("#commitments-heading")).to_be_visible()
    expect(partner.get_by_role("link", name=PROMISE)).to_be_visible()
    assert "RAHASIA" not in partner.content()
    check_page(partner, width)
    partner.locator(f"form[action$='/commitments/{commitment.pk}/kept/'] button").click()
    partner.wait_for_load_state()
    expect(partner.locator(f"#commitment-{commitment.pk} .badge-commitment-kept")).to_be_visible()
    check_page(partner, width)

    page = new_page(width)
    log_in(page, live_server, speaking(facilitator, language).username)
    page.goto(detail)
    check_page(page, width)
    page.locator(f"form[action$='/commitments/{commitment.pk}/confirm/'] button").click()
    page.wait_for_url(detail)
    expect(page.locator(".badge-commitment-confirmed").first).to_be_visible()
    check_page(page, width)

    page.goto(f"{base}/partnerships/{partnership.pk}/commitments/")
    card = page.locator(f"#commitment-{commitment.pk}")
    expect(card.locator(".badge-commitment-kept")).to_be_visible()
    expect(card.locator(".badge-commitment-confirmed")).to_be_visible()
    check_page(page, width)

    commitment.refresh_from_db()
    assert (commitment.state, commitment.confirmation) == (CommitmentState.KEPT, Confirmation.CONFIRMED)
    kinds = TrustEntry.objects.filter(subject_type="commitment", subject_id=commitment.pk).order_by("sequence")
    assert list(kinds.values_list("kind", "recorded_by")) == [
        (TrustEntryKind.COMMITMENT_MADE, facilitator.pk),
        (TrustEntryKind.COMMITMENT_KEPT, partner_a.pk),
        (TrustEntryKind.COMMITMENT_CONFIRMED, facilitator.pk),
    ]
    # The commitment's own page lists the three entries of the log in order.
    partner.goto(detail)
    expect(partner.locator(".commitment-log li")).to_have_count(3)
    check_page(partner, width)
