"""The organization directory and profile in a real browser.

The acceptance scenario runs end to end as a facilitator: search the
directory while typing (htmx), open a profile, add a contact, record a
leader, log an interaction, change the stage and read it all back on the
timeline. axe-core checks every page on the way. The search also works with
JavaScript off, the pages fit a 360 px phone, and a partner member sees only
their own group, without the facilitators' internal notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from partners import services
from partners.models import Contact, Organization, Stage
from tests.browser.conftest import (
    TIMEOUT_MS,
    VIEWPORT_HEIGHT,
    assert_accessible,
    assert_no_horizontal_scroll,
    log_in,
)

pytestmark = pytest.mark.browser

PageFactory = Callable[[int], Page]

WIDE = 1280
SMALLEST_WIDTH = 360

# Only its mission mentions mangroves: the search must look beyond names.
MANGROVE = "Kelompok Pesisir Lestari Bedono"
OTHERS = ("Karang Taruna Sampah Jadi Berkah", "Koperasi Nelayan Sido Makmur")
PHONE_TYPED = "0812 3456 7890"
PHONE_STORED = "+6281234567890"
PHONE_SHOWN = "0812-3456-7890"  # the national form, however it was typed
INTERNAL_NOTE = "Ketua lama masih berpengaruh; jangan dibahas di depan anggota."


def add_organization(name: str, mission: str, focus_areas: list[str], **fields: Any) -> Organization:
    return services.organization_save(
        user=None,
        organization=Organization(name=name, mission=mission, **fields),
        focus_area_names=focus_areas,
    )


def add_directory() -> Organization:
    """Three organizations; only the first works on mangroves."""
    mangrove = add_organization(
        MANGROVE,
        "Menanam kembali hutan mangrove di pesisir Demak",
        ["coastal protection", "environment"],
        province="33",
        regency="Demak",
    )
    add_organization(OTHERS[0], "Mengolah sampah rumah tangga menjadi kompos", ["waste"], regency="Semarang")
    add_organization(OTHERS[1], "Simpan pinjam untuk nelayan kecil", ["fisheries", "savings"], regency="Rembang")
    return mangrove


def field_label(text: str) -> re.Pattern[str]:
    """A form label, with or without the colon Django adds (label_suffix)."""
    return re.compile(rf"^{re.escape(text)}:?$")


def h1_text(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def result_links(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("#directory-results .card-title a").all_inner_texts()]


def submit_and_return_to_profile(
    page: Page, live_server: Any, organization: Organization, button: str, message: str
) -> None:
    """Submit a form of the profile; back on the profile, the success message shows."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"{live_server.url}/organizations/{organization.pk}/")
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()


def assert_profile_accessible(page: Page) -> None:
    """axe on the profile as it now stands, without the one-off success message.

    The message list comes from templates/base.html, which fails axe's
    "listitem" rule; test_it_announces_success_messages_accessibly below
    tracks that, so that every other check need not fail for it.
    """
    page.reload()
    expect(page.locator(".messages")).to_have_count(0)
    assert_accessible(page)


def test_it_runs_the_acceptance_scenario_for_a_facilitator(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    mangrove = add_directory()
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)

    # The directory: everything, then only the mangrove group while typing.
    page.goto(f"{live_server.url}/organizations/")
    assert h1_text(page) == "Organizations"
    assert sorted(result_links(page)) == sorted([MANGROVE, *OTHERS])
    assert_accessible(page)

    # Marks this document: a full page load would lose the mark.
    page.evaluate("() => { window.rekanSameDocument = true; }")
    page.get_by_label("Search name, mission or focus areas").press_sequentially("mangro")
    results = page.locator("#directory-results")
    for other in OTHERS:
        expect(results.get_by_role("link", name=other)).to_have_count(0)
    expect(results.get_by_role("link", name=MANGROVE)).to_be_visible()
    # hx-push-url: the filtered directory is bookmarkable.
    page.wait_for_url(re.compile(r"/organizations/\?(.*&)?q=mangro(&|$)"))
    assert result_links(page) == [MANGROVE]
    assert page.evaluate("() => window.rekanSameDocument === true"), "the search reloaded the page"
    assert_accessible(page)

    # Its profile.
    results.get_by_role("link", name=MANGROVE).click()
    page.wait_for_url(f"{live_server.url}/organizations/{mangrove.pk}/")
    assert h1_text(page) == MANGROVE
    assert_accessible(page)

    # A contact: the phone is typed the usual way and shown as +62.
    page.get_by_role("link", name="Add a contact", exact=True).click()
    assert h1_text(page) == "Add a contact"
    assert_accessible(page)
    page.get_by_label(field_label("Name")).fill("Siti Aminah")
    page.get_by_label(field_label("Phone or WhatsApp")).fill(PHONE_TYPED)
    page.get_by_label(field_label("Agreed to be contacted")).check()
    submit_and_return_to_profile(page, live_server, mangrove, "Save contact", "Contact saved.")
    people = page.get_by_role("region", name="People")
    phone_link = people.get_by_role("link", name=PHONE_SHOWN, exact=True)
    expect(phone_link).to_have_attribute("href", f"tel:{PHONE_STORED}")
    expect(people.get_by_role("link", name="WhatsApp Siti Aminah")).to_have_attribute(
        "href", "https://wa.me/6281234567890"
    )
    expect(people).not_to_contain_text(PHONE_TYPED)
    assert_profile_accessible(page)

    # The new leader, chosen among the contacts.
    page.get_by_role("link", name="Record a new leader", exact=True).click()
    assert h1_text(page) == "Record a new leader"
    assert_accessible(page)
    page.get_by_label(field_label("An existing contact")).select_option(label="Siti Aminah")
    page.get_by_label(field_label("Title")).fill("Ketua")
    submit_and_return_to_profile(page, live_server, mangrove, "Record the new leader", "New leader recorded.")

    # An interaction with the contact.
    page.get_by_role("link", name="Log an interaction", exact=True).click()
    assert h1_text(page) == "Log an interaction"
    assert_accessible(page)
    summary = "Kunjungan ke lokasi pembibitan; 400 bibit siap tanam."
    page.get_by_label(field_label("Kind")).select_option(label="Visit")
    page.get_by_label(field_label("Summary")).fill(summary)
    page.get_by_role("group", name="Who took part from the group").get_by_label("Siti Aminah").check()
    submit_and_return_to_profile(page, live_server, mangrove, "Log it", "Interaction logged.")

    # The stage, with a reason.
    page.get_by_role("link", name="Change stage", exact=True).click()
    assert h1_text(page) == "Change the relationship stage"
    assert_accessible(page)
    reason = "Bu Siti menerima kunjungan pertama dengan baik."
    page.get_by_label(field_label("New stage")).select_option(label="First contact")
    page.get_by_label(field_label("Why")).fill(reason)
    submit_and_return_to_profile(page, live_server, mangrove, "Change stage", "Relationship stage changed.")

    # Everything is on the timeline.
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text(summary)
    expect(timeline).to_contain_text("With Siti Aminah")
    expect(timeline).to_contain_text(reason)
    expect(timeline).to_contain_text("Identified → First contact")
    expect(timeline).to_contain_text("Siti Aminah became the leader (Ketua)")
    assert_profile_accessible(page)

    mangrove.refresh_from_db()
    assert mangrove.stage == Stage.FIRST_CONTACT
    assert Contact.objects.get(organization=mangrove).phone == PHONE_STORED


def test_it_announces_success_messages_accessibly(new_page: PageFactory, live_server: Any, facilitator: User) -> None:
    organization = add_organization(MANGROVE, "Menanam kembali hutan mangrove di pesisir Demak", [])
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/organizations/{organization.pk}/stage/")
    page.get_by_label(field_label("New stage")).select_option(label="First contact")
    page.get_by_label(field_label("Why")).fill("Kunjungan pertama.")
    submit_and_return_to_profile(page, live_server, organization, "Change stage", "Relationship stage changed.")
    assert_accessible(page)


def test_it_searches_the_directory_without_javascript(browser: Browser, live_server: Any, facilitator: User) -> None:
    add_directory()
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": WIDE, "height": VIEWPORT_HEIGHT},
        locale="en-US",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, live_server, facilitator.username)
        page.goto(f"{live_server.url}/organizations/")
        assert len(result_links(page)) == 1 + len(OTHERS)

        page.get_by_label("Search name, mission or focus areas").fill("mangro")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply", exact=True).click()

        assert re.search(r"[?&]q=mangro(&|$)", page.url), page.url
        assert result_links(page) == [MANGROVE]
        assert page.get_by_label("Search name, mission or focus areas").input_value() == "mangro"
    finally:
        context.close()


def test_it_fits_the_organization_pages_on_a_small_phone(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    mangrove = add_directory()
    # A profile with something in every section.
    contact = services.contact_save(
        user=facilitator,
        contact=Contact(
            organization=mangrove,
            name="Siti Aminah",
            role_in_group="Bendahara",
            phone=PHONE_STORED,
            email="siti.aminah.pelestari.mangrove@example.org",
            consent_to_contact=True,
        ),
    )
    today = timezone.localdate()
    services.leadership_record(user=facilitator, organization=mangrove, leader=contact, started_on=today, title="Ketua")
    services.interaction_record(
        user=facilitator,
        organization=mangrove,
        kind="visit",
        occurred_on=today,
        summary="Kunjungan ke lokasi pembibitan.",
        contacts=[contact],
        participants=[facilitator],
    )
    services.organization_set_stage(
        user=facilitator, organization=mangrove, stage=Stage.FIRST_CONTACT, reason="Kunjungan pertama."
    )

    page = new_page(SMALLEST_WIDTH)
    log_in(page, live_server, facilitator.username)
    for path, heading in [
        ("/organizations/", "Organizations"),
        ("/organizations/?q=mangro", "Organizations"),
        (f"/organizations/{mangrove.pk}/", MANGROVE),
        ("/organizations/new/", "Add an organization"),
        (f"/organizations/{mangrove.pk}/interactions/new/", "Log an interaction"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert h1_text(page) == heading
        assert_accessible(page)
        assert_no_horizontal_scroll(page, SMALLEST_WIDTH)


def test_it_shows_a_partner_member_only_their_own_organization(
    new_page: PageFactory, live_server: Any, partner_a: User, org_a: Organization, org_b: Organization
) -> None:
    for organization in (org_a, org_b):
        organization.internal_notes = INTERNAL_NOTE
        organization.mission = "Mengajak pemuda desa menjaga lingkungan"
        organization.save()

    page = new_page(WIDE)
    log_in(page, live_server, partner_a.username)

    response = page.goto(f"{live_server.url}/organizations/{org_a.pk}/")
    assert response is not None and response.status == 200
    assert h1_text(page) == org_a.name
    expect(page.locator("main")).to_contain_text("Mengajak pemuda desa menjaga lingkungan")
    content = page.content()
    assert INTERNAL_NOTE not in content
    assert "Internal notes" not in content
    expect(page.get_by_role("region", name="Timeline")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/organizations/{org_b.pk}/")
    assert response is not None and response.status == 404
    content = page.content()
    assert org_b.name not in content
    assert INTERNAL_NOTE not in content
