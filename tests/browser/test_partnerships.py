"""Partnerships, shared goals and the collaborative plan in a real browser.

The acceptance scenario runs end to end as a facilitator: start a
partnership, add three member organizations, two shared goals and a plan of
five activities with their RACI roles, agree the plan as revision 1, then
change it in place (htmx) and read the change against the revision. axe-core
checks every page on the way. A role cell refuses to lose the only "A" of an
activity without reloading the page; a partner member finds their own
responsibilities first and marks one done; a share link opens the shared plan
without logging in and without the internal notes; and the pages fit a
360 px phone.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, Response, expect

from accounts.models import User
from engagements import services
from engagements.models import Activity, ActivityRole, ActivityStatus, Partnership, PlanRevision, SharedGoal
from partners.models import Contact, Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import add_activity, build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[[int], Page]

WIDE = 1280
SMALLEST_WIDTH = 360

TITLE = "Pemulihan Mangrove Timbulsloko"
INTERNAL_MARKER = "RAHASIA"  # in every internal note that tests.engagements.builders writes
ONE_ACCOUNTABLE = "Every activity needs one accountable member"

# (name, role in the partnership) in the order members_of lists them.
LEAD = "Kelompok Nelayan Bahari"
MEMBER = "Karang Taruna Bina Remaja"
SUPPORTER = "PKK Desa Timbulsloko"
ORGANIZATIONS = ((LEAD, "Lead"), (MEMBER, "Member"), (SUPPORTER, "Supporter"))

GOALS = (
    {
        "statement": "Tanam 5000 bibit mangrove",
        "indicator": "Bibit hidup setelah tiga bulan",
        "baseline": "0",
        "target": "5000",
        "unit": "bibit",
        "start": "2026-01-01",
        "target_date": "2027-06-30",
        "benefits": {LEAD: "Tambak lebih terlindung", MEMBER: "Pengalaman kerja lapangan", SUPPORTER: "Olahan buah"},
    },
    {
        "statement": "Bank sampah di tiga dusun",
        "indicator": "Dusun dengan bank sampah aktif",
        "baseline": "1",
        "target": "3",
        "unit": "dusun",
        "start": "2026-02-01",
        "target_date": "2027-03-31",
        "benefits": {MEMBER: "Kas organisasi dari penjualan sampah", SUPPORTER: "Lingkungan lebih bersih"},
    },
)

# (title, goal statement, due date, {organization: RACI role}); exactly one A each.
ACTIVITIES = (
    ("Survei lokasi tanam", GOALS[0]["statement"], "2026-12-05", {LEAD: "A", MEMBER: "R", SUPPORTER: "I"}),
    ("Pembibitan di kebun desa", GOALS[0]["statement"], "2026-12-19", {LEAD: "R", MEMBER: "A", SUPPORTER: "C"}),
    ("Penanaman bersama", GOALS[0]["statement"], "2027-01-16", {LEAD: "A", MEMBER: "R", SUPPORTER: "R"}),
    ("Sosialisasi bank sampah", GOALS[1]["statement"], "2026-12-12", {LEAD: "I", MEMBER: "R", SUPPORTER: "A"}),
    ("Pelatihan pencatatan", GOALS[1]["statement"], "2027-01-09", {LEAD: "", MEMBER: "A", SUPPORTER: "C"}),
)
AGREED_SUMMARY = "Disepakati di balai desa oleh ketiga kelompok."


def field_label(text: str) -> re.Pattern[str]:
    """A form label, with or without the colon Django adds (label_suffix)."""
    return re.compile(rf"^{re.escape(text)}:?$")


def h1_text(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def save_and_expect(page: Page, button: str, url: re.Pattern[str] | str, message: str) -> None:
    """Submit the form; the next page shows the success message."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(url)
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()


def role_select(page: Page, organization: str, activity: str) -> Locator:
    return page.get_by_label(f"Role of {organization} in {activity}", exact=True)


def mark_as_done(title: str) -> re.Pattern[str]:
    """The button's name; Chromium puts a space before the visually hidden ": title"."""
    return re.compile(rf"^Mark as done\s*: {re.escape(title)}$")


def scroll_region(page: Page, name: str) -> Locator:
    """The scrollable box of a wide table; its section has the same name."""
    return page.locator("div.table-scroll").and_(page.get_by_role("region", name=name, exact=True))


def is_post_to(fragment: str) -> Callable[[Response], bool]:
    return lambda response: fragment in response.url and response.request.method == "POST"


def mark_document(page: Page) -> None:
    """A full page load loses the mark: see still_same_document."""
    page.evaluate("() => { window.rekanSameDocument = true; }")


def still_same_document(page: Page) -> bool:
    return page.evaluate("() => window.rekanSameDocument === true")


def test_it_runs_the_acceptance_scenario_for_a_facilitator(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    for name, _role in ORGANIZATIONS:
        OrganizationFactory(name=name)
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)

    # The partnership.
    page.goto(f"{live_server.url}/partnerships/new/")
    assert h1_text(page) == "Start a partnership"
    page.get_by_label(field_label("Title")).fill(TITLE)
    page.get_by_label(field_label("Purpose")).fill("Memulihkan pesisir dan mengelola sampah bersama.")
    page.get_by_label(field_label("Start date")).fill("2026-11-01")
    page.get_by_label(field_label("Internal notes")).fill("Catatan internal fasilitator.")
    save_and_expect(page, "Save", re.compile(r"/partnerships/\d+/$"), "Partnership saved.")
    partnership = Partnership.objects.get(title=TITLE)
    detail_url = f"{live_server.url}/partnerships/{partnership.pk}/"
    assert page.url == detail_url
    assert h1_text(page) == TITLE

    # Three members, one role each.
    for name, role in ORGANIZATIONS:
        page.get_by_role("link", name="Add a member organization", exact=True).click()
        assert h1_text(page) == "Add a member organization"
        page.get_by_label(field_label("Organization")).select_option(label=name)
        page.get_by_label(field_label("Role in the partnership")).select_option(label=role)
        save_and_expect(page, "Add", detail_url, "Member organization added.")
    members = page.get_by_role("region", name="Member organizations")
    for name, role in ORGANIZATIONS:
        expect(members.get_by_role("listitem").filter(has_text=name)).to_contain_text(role)
    page.reload()
    assert_accessible(page)

    # Two shared goals, with what each member gains.
    for number, goal in enumerate(GOALS):
        page.goto(detail_url)
        page.get_by_role("link", name="Add a shared goal", exact=True).click()
        assert h1_text(page) == "Add a shared goal"
        if number == 0:
            assert_accessible(page)
        page.get_by_label(field_label("Goal")).fill(goal["statement"])
        page.get_by_label(field_label("Success indicator")).fill(goal["indicator"])
        page.get_by_label(field_label("Baseline")).fill(goal["baseline"])
        page.get_by_label(field_label("Target")).fill(goal["target"])
        page.get_by_label(field_label("Unit")).fill(goal["unit"])
        page.get_by_label(field_label("Counting from")).fill(goal["start"])
        page.get_by_label(field_label("Target date")).fill(goal["target_date"])
        for name, benefit in goal["benefits"].items():
            page.get_by_label(field_label(f"What {name} gains")).fill(benefit)
        save_and_expect(page, "Save", re.compile(r"/goals/\d+/$"), "Shared goal saved.")
        assert h1_text(page) == goal["statement"]
    first_goal = SharedGoal.objects.get(partnership=partnership, statement=GOALS[0]["statement"])
    assert {
        b.member.organization.name: b.benefit for b in first_goal.benefits.select_related("member__organization")
    } == GOALS[0]["benefits"]

    # Progress on the first goal draws the chart (htmx form, then a refresh).
    page.goto(f"{detail_url}goals/{first_goal.pk}/")
    expect(page.locator(".chart polyline")).to_have_count(0)
    progress = page.locator("#progress-form")
    progress.get_by_label(field_label("Value")).fill("1250")
    progress.get_by_label(field_label("Note")).fill("Bibit tahap pertama tertanam.")
    with page.expect_navigation():
        progress.get_by_role("button", name="Record progress").click()
    chart = page.get_by_role("img", name=re.compile(r"^Progress over time"))
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(1)
    expect(page.get_by_role("table", name="Progress updates")).to_contain_text("1,250 bibit")
    expect(page.get_by_role("region", name="Progress", exact=True)).to_contain_text("up to 1,250 bibit")
    assert_accessible(page)

    # The plan: five activities with their roles.
    page.goto(f"{detail_url}plan/")
    expect(page.get_by_text("This plan has not been agreed yet.")).to_be_visible()
    for number, (title, goal, due, roles) in enumerate(ACTIVITIES):
        page.get_by_role("link", name="Add an activity", exact=True).click()
        assert h1_text(page) == "Add an activity"
        if number == 0:
            assert_accessible(page)
        page.get_by_label(field_label("Activity")).fill(title)
        page.get_by_label(field_label("Goal")).select_option(label=goal)
        page.get_by_label(field_label("Due date")).fill(due)
        for name, role in roles.items():
            page.get_by_label(field_label(f"Role of {name}")).select_option(role)
        save_and_expect(page, "Save", f"{detail_url}plan/", "Activity saved.")
    for title, _goal, _due, roles in ACTIVITIES:
        for name, role in roles.items():
            expect(role_select(page, name, title)).to_have_value(role)

    # Agreed as revision 1.
    page.get_by_label(field_label("Summary of what was agreed")).fill(AGREED_SUMMARY)
    save_and_expect(page, "Agree plan", f"{detail_url}plan/", "Plan agreed as revision 1.")
    revision = page.get_by_role("region", name=re.compile(r"^Revision 1, agreed on "))
    expect(revision).to_contain_text(AGREED_SUMMARY)
    expect(revision).to_contain_text("Nothing has changed since then.")
    page.reload()
    assert_accessible(page)

    # Moving the A of "Penanaman bersama" to the supporter: the cell posts
    # through htmx, and the server asks for a refresh, as the lead's cell
    # changes too (A becomes R).
    moved = ACTIVITIES[2][0]
    with page.expect_navigation(), page.expect_response(is_post_to("/roles/")) as answer:
        role_select(page, SUPPORTER, moved).select_option("A")
    assert answer.value.ok
    assert answer.value.headers.get("hx-refresh") == "true"
    expect(role_select(page, SUPPORTER, moved)).to_have_value("A")
    expect(role_select(page, LEAD, moved)).to_have_value("R")
    expect(role_select(page, MEMBER, moved)).to_have_value("R")

    # The status select saves in place.
    mark_document(page)
    started = ACTIVITIES[0][0]
    status_cell = page.get_by_label(f"Status of {started}", exact=True)
    with page.expect_response(is_post_to("/status/")):
        status_cell.select_option(label="In progress")
    status_form = page.locator("form.cell-form").filter(has=page.get_by_label(f"Status of {started}", exact=True))
    expect(status_form.get_by_role("status")).to_have_text("Saved")
    assert still_same_document(page), "the status select reloaded the page"

    page.reload()
    revision = page.get_by_role("region", name=re.compile(r"^Revision 1, agreed on "))
    expect(revision.get_by_role("heading", name="Changed since revision 1")).to_be_visible()
    changes = revision.locator("ul.changes > li")
    expect(changes).to_have_count(2)
    moved_change = changes.filter(has_text=f"Changed: {moved}")
    expect(moved_change).to_contain_text(f"{LEAD}: A")
    expect(moved_change).to_contain_text(f"{SUPPORTER}: A")
    expect(changes.filter(has_text=f"Changed: {started}")).to_contain_text("status: Planned → In progress")
    assert_accessible(page)

    # And the database agrees.
    assert PlanRevision.objects.filter(partnership=partnership).count() == 1
    activities = Activity.objects.filter(partnership=partnership)
    assert activities.count() == len(ACTIVITIES)
    for activity in activities:
        assert activity.roles.filter(role="A").count() == 1, activity.title
    assert ActivityRole.objects.get(activity__title=moved, role="A").member.organization.name == SUPPORTER
    assert activities.get(title=started).status == ActivityStatus.IN_PROGRESS

    # The partnership page lists it all.
    page.goto(detail_url)
    goals = page.get_by_role("region", name="Shared goals")
    for goal in GOALS:
        expect(goals.get_by_role("link", name=goal["statement"])).to_be_visible()
    assert_accessible(page)


def test_it_keeps_the_only_accountable_member_in_place(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    organizations = [OrganizationFactory(name=name) for name, _role in ORGANIZATIONS]
    partnership = build_partnership(user=facilitator, organizations=organizations, activities=2)
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/plan/")
    mark_document(page)

    cell = role_select(page, LEAD, "Kegiatan 1")
    expect(cell).to_have_value("A")
    with page.expect_response(is_post_to("/roles/")) as answer:
        cell.select_option("C")
    assert answer.value.ok

    error = page.get_by_role("alert").filter(has_text=ONE_ACCOUNTABLE)
    expect(error).to_be_visible()
    cell = role_select(page, LEAD, "Kegiatan 1")
    expect(cell).to_have_value("A")
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(cell).to_have_accessible_description(re.compile(rf"^{ONE_ACCOUNTABLE}"))
    assert still_same_document(page), "the role cell reloaded the page"
    assert_accessible(page)
    assert ActivityRole.objects.get(activity__title="Kegiatan 1", member__organization__name=LEAD).role == "A"


def test_it_shows_a_partner_member_their_responsibilities_first(
    new_page: PageFactory,
    live_server: Any,
    facilitator: User,
    partner_a: User,
    partner_b: User,
    org_a: Organization,
) -> None:
    partnership = build_partnership(
        user=facilitator, organizations=[org_a, OrganizationFactory(), OrganizationFactory()]
    )
    lead, member, supporter = partnership.members.order_by("pk")
    # One activity where organization A is only kept informed: "the rest".
    add_activity(partnership, [supporter, member, lead], title="Rapat warga")

    page = new_page(WIDE)
    log_in(page, live_server, partner_a.username)
    assert page.url == f"{live_server.url}/our-partnerships/"
    page.get_by_role("link", name=partnership.title, exact=True).click()
    detail_url = f"{live_server.url}/partnerships/{partnership.pk}/"
    page.wait_for_url(detail_url)
    assert h1_text(page) == partnership.title

    headings = [text.strip() for text in page.locator("main h2").all_inner_texts()]
    assert headings[0] == "What we are responsible for", headings
    assert headings.index("What we are responsible for") < headings.index("The rest of the plan")
    ours = page.get_by_role("region", name="What we are responsible for")
    rest = page.get_by_role("region", name="The rest of the plan")
    expect(ours.get_by_role("heading", level=3)).to_have_count(5)
    expect(rest.get_by_role("heading", name="Rapat warga")).to_be_visible()
    expect(rest.get_by_role("button")).to_have_count(0)
    assert INTERNAL_MARKER not in page.content()

    ours.get_by_role("button", name=mark_as_done("Kegiatan 2")).click()
    page.wait_for_url(detail_url)
    expect(page.get_by_role("status").filter(has_text="Activity status saved.")).to_be_visible()
    ours = page.get_by_role("region", name="What we are responsible for")
    done = ours.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Kegiatan 2"))
    expect(done).to_contain_text("Done")
    expect(done.get_by_role("button")).to_have_count(0)
    expect(ours.get_by_role("button", name=re.compile(r"^Mark as done"))).to_have_count(4)
    assert_accessible(page)
    assert Activity.objects.get(partnership=partnership, title="Kegiatan 2").status == ActivityStatus.DONE

    other = new_page(WIDE)
    log_in(other, live_server, partner_b.username)
    response = other.goto(detail_url)
    assert response is not None and response.status == 404
    assert partnership.title not in other.content()


@pytest.mark.parametrize("width", [SMALLEST_WIDTH, WIDE])
def test_it_opens_a_share_link_without_logging_in(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int
) -> None:
    partnership = build_partnership(
        user=facilitator, organizations=[OrganizationFactory(name=name) for name, _role in ORGANIZATIONS]
    )
    # A share link shows the agreed plan.
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati bersama")
    link = services.sharing.share_link_create(
        user=facilitator,
        partnership=partnership,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        label="Grup WhatsApp",
    )

    page = new_page(width)
    response = page.goto(f"{live_server.url}/shared/{link.token}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.title)
    expect(scroll_region(page, "Collaborative plan").get_by_role("table")).to_contain_text("Kegiatan 5")
    assert INTERNAL_MARKER not in page.content()
    expect(page.get_by_text(INTERNAL_MARKER)).to_have_count(0)
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


@pytest.mark.parametrize(
    ("width", "language", "copy", "copied"),
    [
        (SMALLEST_WIDTH, "id", "Salin tautan", "Tautan disalin."),
        (WIDE, "en", "Copy link", "Link copied."),
    ],
)
def test_it_copies_a_share_link_and_offers_it_to_whatsapp(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int, language: str, copy: str, copied: str
) -> None:
    facilitator.language = language  # the page follows the user's language once logged in
    facilitator.save(update_fields=["language"])
    partnership = build_partnership(
        user=facilitator, organizations=[OrganizationFactory(name=name) for name, _role in ORGANIZATIONS]
    )
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    address = f"{live_server.url}/shared/{link.token}/"

    page = new_page(width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/")
    panel = page.get_by_role("region", name="Tautan berbagi" if language == "id" else "Share links")
    panel.get_by_role("button", name=copy).click()

    expect(panel.get_by_role("status")).to_have_text(copied)
    assert page.evaluate("navigator.clipboard.readText()") == address
    chat = panel.get_by_role("link", name="Kirim lewat WhatsApp" if language == "id" else "Send on WhatsApp")
    assert address in unquote(chat.get_attribute("href") or "")
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


@pytest.mark.parametrize(("width", "language"), [(SMALLEST_WIDTH, "id"), (WIDE, "en")])
def test_it_invites_a_contact_with_only_a_phone_on_whatsapp(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int, language: str
) -> None:
    facilitator.language = language
    facilitator.save(update_fields=["language"])
    organizations = [OrganizationFactory(name=name) for name, _role in ORGANIZATIONS]
    partnership = build_partnership(user=facilitator, organizations=organizations)
    Contact.objects.create(organization=organizations[0], name="Bu Sri Lestari", phone="+6281234567890")
    words = {
        "id": (
            "Kontak",
            "WhatsApp: Anda mengirimkannya dari ponsel Anda, pesannya sudah siap",
            "Kirim undangan",
            "Buka WhatsApp untuk mengirimkannya",
        ),
        "en": (
            "Person",
            "WhatsApp: you send it from your phone, with the message ready",
            "Send the invitation",
            "Open WhatsApp to send it",
        ),
    }[language]
    person, by_whatsapp, send, open_chat = words

    page = new_page(width)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/invitations/new/")
    page.get_by_label(person).select_option(label=f"Bu Sri Lestari ({organizations[0].name}) · 0812-3456-7890")
    page.get_by_label(by_whatsapp).check()
    assert_accessible(page)
    page.get_by_role("button", name=send).click()

    chat = page.get_by_role("link", name=open_chat)
    address = chat.get_attribute("href") or ""
    assert address.startswith("https://wa.me/6281234567890?text=")
    message = unquote(address.partition("?text=")[2])
    # In the contact's language, not the facilitator's: Indonesian unless the contact prefers English.
    assert "mengundang Anda" in message and f"{live_server.url}/invitations/" in message
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


def test_it_fits_the_partnership_pages_on_a_small_phone(
    new_page: PageFactory, live_server: Any, facilitator: User, partner_a: User, org_a: Organization
) -> None:
    organizations = [org_a, *(OrganizationFactory(name=name) for name, _role in ORGANIZATIONS[1:])]
    partnership = build_partnership(user=facilitator, organizations=organizations)
    goal = partnership.goals.get()
    services.goals.progress_record(user=facilitator, goal=goal, value=250, measured_on=timezone.localdate())
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary=AGREED_SUMMARY)
    services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    base = f"{live_server.url}/partnerships/{partnership.pk}"

    page = new_page(SMALLEST_WIDTH)
    log_in(page, live_server, facilitator.username)
    for path, heading in [
        ("/", partnership.title),
        ("/plan/", "Collaborative plan"),
        (f"/goals/{goal.pk}/", goal.statement),
    ]:
        page.goto(f"{base}{path}")
        assert h1_text(page) == heading
        assert_accessible(page)
        assert_no_horizontal_scroll(page, SMALLEST_WIDTH)

    # The matrix is wider than the phone: it scrolls in its own region.
    page.goto(f"{base}/plan/")
    matrix = scroll_region(page, "Roles and responsibilities")
    expect(matrix.get_by_role("table")).to_be_visible()
    assert matrix.evaluate("(region) => getComputedStyle(region).overflowX") == "auto"
    assert matrix.evaluate("(region) => region.clientWidth") <= SMALLEST_WIDTH

    portal = new_page(SMALLEST_WIDTH)
    log_in(portal, live_server, partner_a.username)
    portal.goto(f"{base}/")
    assert h1_text(portal) == partnership.title
    expect(portal.get_by_role("region", name="What we are responsible for")).to_be_visible()
    assert_accessible(portal)
    assert_no_horizontal_scroll(portal, SMALLEST_WIDTH)
