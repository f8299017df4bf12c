"""Check-ins, reminders and their settings in a real browser.

A facilitator sets a partnership's check-in rhythm, logs a check-in and turns
one of its next steps into a plan activity in one click. A late partnership
shows its "late" badge wherever it appears. The reminder log shows a failed
reminder with a "Send again" button; the preferences page turns on the daily digest
and makes the private calendar address; a reminder's signed link stops the
reminders without logging in. axe-core checks every page on the way, at
1280 px and at 360 px, where no page may scroll sideways.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from engagements import access, services
from engagements.domain import schedules
from engagements.models import (
    Activity,
    CheckIn,
    CheckInSchedule,
    Partnership,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from partners.models import Contact, Organization
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT_HEIGHT, assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import build_partnership
from tests.factories import PASSWORD, OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[[int], Page]

WIDE = 1280
SMALLEST_WIDTH = 360
WIDTHS = (WIDE, SMALLEST_WIDTH)

TITLE = "Mangrove Pesisir Demak"  # what build_partnership calls it
CONTACT = "Bu Sri Wahyuni"
STEPS = ("Beli polybag untuk pembibitan", "Hubungi dinas kelautan")
FAILED_EMAIL = "gagal@example.org"


def field_label(text: str) -> re.Pattern[str]:
    """A form label, with or without the colon Django adds (label_suffix)."""
    return re.compile(rf"^{re.escape(text)}:?$")


def h1_text(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)


def add_partnership(facilitator: User, org_a: Organization) -> Partnership:
    """Organization A and another one, no activities; the facilitator has an address."""
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)


def add_schedule(partnership: Partnership, facilitator: User) -> CheckInSchedule:
    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=2, starts_on=timezone.localdate())
    return services.checkins.schedule_save(user=facilitator, schedule=schedule)


def make_late(schedule: CheckInSchedule) -> None:
    """Due ten days ago, late since five days ago, far from dormant."""
    today = timezone.localdate()
    due = today - datetime.timedelta(days=10)
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        due_on=due,
        planned_on=due,
        remind_from=due - datetime.timedelta(days=2),
        late_from=today - datetime.timedelta(days=5),
        dormant_from=today + datetime.timedelta(days=60),
        next_reminder_on=due - datetime.timedelta(days=2),  # as schedule_refresh sets it with new dates
    )


def resize(page: Page, width: int) -> Page:
    """The same page (and login) at another width: quicker than a new context."""
    page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
    return page


def test_it_sets_the_rhythm_logs_a_check_in_and_plans_a_next_step(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization
) -> None:
    partnership = add_partnership(facilitator, org_a)
    Contact.objects.create(organization=org_a, name=CONTACT, consent_to_contact=True)
    base = f"{live_server.url}/partnerships/{partnership.pk}"
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)

    # The rhythm: every two weeks, from today.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Set the rhythm", exact=True).click()
    page.wait_for_url(f"{base}/schedule/")
    assert h1_text(page) == "Check-in rhythm"
    assert_accessible(page)
    page.get_by_label(field_label("Cadence")).select_option(label="Every N weeks")
    page.get_by_label(field_label("Every")).fill("2")
    page.get_by_label(field_label("Counting from")).fill(timezone.localdate().isoformat())
    page.get_by_label(field_label("Grace period (days)")).fill("3")
    page.get_by_label(field_label("Remind this many days before")).fill("2")
    page.get_by_label(field_label("Preferred channel")).select_option(label="WhatsApp call")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("status").filter(has_text="Check-in schedule saved.")).to_be_visible()

    schedule = CheckInSchedule.objects.get(partnership=partnership)
    rhythm = (schedule.cadence, schedule.interval, schedule.grace_days, schedule.lead_days, schedule.channel)
    assert rhythm == ("weeks", 2, 3, 2, "whatsapp_call")
    state = schedules.state_of(schedule)
    panel = page.get_by_role("region", name="Regular check-ins")
    expect(panel.locator(f".badge-checkin-{state}")).to_contain_text(str(schedules.STATE_LABELS[state]))
    expect(panel).to_contain_text("Every 2 weeks")
    expect(panel).to_contain_text("WhatsApp call")
    expect(panel.locator("time")).to_have_attribute("datetime", schedule.due_on.isoformat())
    assert_accessible(page)

    # A check-in of yesterday morning, with one contact and two next steps.
    panel.get_by_role("link", name="Log a check-in", exact=True).click()
    page.wait_for_url(f"{base}/check-ins/new/")
    assert h1_text(page) == "Log a check-in"
    assert_accessible(page)
    held = (timezone.localtime() - datetime.timedelta(days=1)).replace(hour=9, minute=30)
    page.get_by_label(field_label("Date and time")).fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(field_label("Channel")).select_option(label="WhatsApp call")
    page.get_by_role("group", name="Who took part from the groups").get_by_label(
        f"{CONTACT} ({org_a.name})", exact=True
    ).check()
    page.get_by_label(field_label("Summary")).fill("Membahas jadwal pembibitan bersama kelompok.")
    page.get_by_label(field_label("Next steps")).fill("\n".join(f"- {step}" for step in STEPS))
    page.get_by_role("button", name="Log the check-in", exact=True).click()

    check_in = CheckIn.objects.get(partnership=partnership)
    page.wait_for_url(f"{base}/check-ins/{check_in.pk}/")
    check_in_heading = f"Check-in of {held:%-d %B %Y 09:30}"
    assert h1_text(page) == check_in_heading
    expect(page.get_by_role("status").filter(has_text="Check-in logged")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{CONTACT} ({org_a.name})")
    steps = page.get_by_role("region", name="Next steps").get_by_role("listitem")
    expect(steps).to_have_count(2)
    assert check_in.next_step_lines() == list(STEPS)
    assert [contact.name for contact in check_in.contacts.all()] == [CONTACT]
    assert_accessible(page)

    # One click: the second next step becomes an activity of the plan. The
    # button names its step for screen readers; Chromium computes the name
    # with a space before the visually hidden ": step".
    make_activity = re.compile(rf"^Make it a plan activity\s?: {re.escape(STEPS[1])}$")
    steps.filter(has_text=STEPS[1]).get_by_role("button", name=make_activity).click()
    activity = Activity.objects.get(partnership=partnership, title=STEPS[1])
    page.wait_for_url(f"{base}/activities/{activity.pk}/edit/")
    assert h1_text(page) == "Edit activity"
    expect(page.get_by_role("status")).to_contain_text(f"“{STEPS[1]}” is now an activity of the plan")
    expect(page.get_by_label(field_label("Activity"))).to_have_value(STEPS[1])
    assert not Activity.objects.filter(title=STEPS[0]).exists()

    # The same pages fit a small phone.
    resize(page, SMALLEST_WIDTH)
    for path, heading in [
        ("/schedule/", "Check-in rhythm"),
        ("/check-ins/new/", "Log a check-in"),
        (f"/check-ins/{check_in.pk}/", check_in_heading),
        ("/", TITLE),
    ]:
        page.goto(f"{base}{path}")
        assert h1_text(page) == heading
        check_page(page, SMALLEST_WIDTH)


def test_it_shows_a_late_partnership_everywhere_it_appears(
    new_page: PageFactory, live_server: Any, facilitator: User, partner_a: User, org_a: Organization
) -> None:
    partnership = add_partnership(facilitator, org_a)
    make_late(add_schedule(partnership, facilitator))
    late_label = str(schedules.STATE_LABELS[schedules.State.LATE])

    def late_badge(page: Page, cards: str):
        return page.locator(cards).filter(has_text=TITLE).locator(".badge-checkin-late")

    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/")
    expect(late_badge(page, "main table.portfolio tbody tr")).to_contain_text(late_label)

    for width in WIDTHS:
        resize(page, width).goto(f"{live_server.url}/today/")
        assert h1_text(page) == "Today"
        expect(late_badge(page, "main section[aria-labelledby=checkins-due-heading] .card")).to_contain_text(late_label)
        check_page(page, width)

    member = new_page(WIDE)
    log_in(member, live_server, partner_a.username)
    member.goto(f"{live_server.url}/our-partnerships/")
    expect(late_badge(member, "main .card")).to_contain_text(late_label)


def test_it_retries_a_failed_reminder_from_the_reminder_log(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization
) -> None:
    partnership = add_partnership(facilitator, org_a)
    for name, email in [("Bu Sri", "sri@example.org"), ("Pak Gagal", FAILED_EMAIL)]:
        Contact.objects.create(organization=org_a, name=name, email=email, consent_to_contact=True)
    schedule = add_schedule(partnership, facilitator)
    make_late(schedule)
    assert services.reminders.sweep() == 3
    assert services.reminders.deliver() == 3
    Reminder.objects.filter(email=FAILED_EMAIL).update(
        status=ReminderStatus.FAILED, sent_at=None, attempts=5, last_error="550 mailbox unavailable"
    )
    failed = Reminder.objects.get(email=FAILED_EMAIL)
    late_kind = str(ReminderKind.CHECK_IN_LATE.label)

    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/reminders/")
    assert h1_text(page) == "Reminder log"
    table = page.get_by_role("region", name="Reminders")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Sent")).to_have_count(2)
    expect(rows.filter(has_text=late_kind)).to_have_count(3)
    failed_row = rows.filter(has_text=FAILED_EMAIL)
    expect(failed_row).to_contain_text("Failed")
    expect(failed_row).to_contain_text("550 mailbox unavailable")
    expect(table.get_by_role("button", name="Send again")).to_have_count(1)
    assert_accessible(page)

    failed_row.get_by_role("button", name="Send again", exact=True).click()
    page.wait_for_url(f"{live_server.url}/reminders/")
    expect(page.get_by_role("status").filter(has_text="will be sent again")).to_be_visible()
    expect(page.get_by_role("button", name="Send again")).to_have_count(0)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (ReminderStatus.PENDING, 0, "")

    page.goto(f"{live_server.url}/reminders/?status=pending")
    waiting = page.get_by_role("region", name="Reminders").locator("tbody tr")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(FAILED_EMAIL)
    expect(waiting).to_contain_text("Waiting")

    # Failed again, on a small phone: the table scrolls inside its region.
    Reminder.objects.filter(pk=failed.pk).update(status=ReminderStatus.FAILED, attempts=5, last_error="550")
    resize(page, SMALLEST_WIDTH).goto(f"{live_server.url}/reminders/")
    region = page.get_by_role("region", name="Reminders")
    expect(region.get_by_role("button", name="Send again")).to_have_count(1)
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth"), "the table fits; expected it to scroll"
    check_page(page, SMALLEST_WIDTH)


def test_it_turns_on_the_digest_and_makes_a_calendar_address(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/accounts/preferences/")
    assert h1_text(page) == "Preferences"
    assert_accessible(page)
    expect(page.get_by_label("Calendar address")).to_have_count(0)

    page.get_by_label(field_label("Daily digest")).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Preferences saved.")).to_be_visible()
    expect(page.get_by_label(field_label("Daily digest"))).to_be_checked()
    facilitator.refresh_from_db()
    assert facilitator.daily_digest is True

    page.get_by_role("button", name="Create my calendar address", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="A new calendar address is ready")).to_be_visible()
    address = page.get_by_label("Calendar address", exact=True)
    expect(address).to_have_attribute("readonly", "")
    expect(address).to_have_value(re.compile(r"^https?://.+/calendar/[^/]+\.ics$"))
    facilitator.refresh_from_db()
    assert address.input_value().endswith(f"/calendar/{facilitator.calendar_token}.ics")
    expect(page.get_by_role("button", name="Make a new address", exact=True)).to_be_visible()
    assert_accessible(page)

    url = address.input_value()
    resize(page, SMALLEST_WIDTH).goto(f"{live_server.url}/accounts/preferences/")
    expect(page.get_by_label("Calendar address", exact=True)).to_have_value(url)
    check_page(page, SMALLEST_WIDTH)


def test_it_stops_reminders_from_a_signed_link_without_logging_in(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization
) -> None:
    partnership = add_partnership(facilitator, org_a)
    make_late(add_schedule(partnership, facilitator))
    services.reminders.sweep()
    row = Reminder.objects.get(email=facilitator.email)
    path = urlsplit(access.unsubscribe_url(row)).path

    page = new_page(SMALLEST_WIDTH)  # a fresh context: nobody is logged in
    for width in (SMALLEST_WIDTH, WIDE):
        resize(page, width).goto(f"{live_server.url}{path}")
        assert h1_text(page) == "Stop reminders"
        expect(page.get_by_role("button", name=re.compile(r"^Log out"))).to_have_count(0)
        check_page(page, width)

    page.get_by_role("button", name="Stop the reminders", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("you will receive no more reminder emails")
    assert_accessible(page)
    facilitator.refresh_from_db()
    assert facilitator.email_reminders is False


@pytest.mark.parametrize(("width", "language"), [(SMALLEST_WIDTH, "id"), (WIDE, "en")])
def test_a_check_in_filled_offline_is_sent_once_when_the_connection_returns(
    new_page: PageFactory, live_server: Any, facilitator: User, width: int, language: str
) -> None:
    facilitator.language = language
    facilitator.save(update_fields=["language"])
    partnership = build_partnership(user=facilitator, organizations=[OrganizationFactory(), OrganizationFactory()])
    words = {
        "id": ("Tanggal dan waktu", "Ringkasan", "Catat pertemuan rutin", "menunggu dikirim", "Terkirim"),
        "en": ("Date and time", "Summary", "Log the check-in", "waiting to send", "Sent"),
    }[language]
    when, summary, submit, waiting, sent = words
    form_address = f"{live_server.url}/partnerships/{partnership.pk}/check-ins/new/"

    page = new_page(width, service_workers=True)
    log_in(page, live_server, facilitator.username)
    page.goto(form_address)
    # A second tab of Rekan on the same phone: when the signal returns, both send the queue.
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}/partnerships/{partnership.pk}/")

    page.context.set_offline(True)
    held = (timezone.localtime() - datetime.timedelta(hours=3)).replace(second=0, microsecond=0)
    page.get_by_label(field_label(when)).fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.locator("select[name=channel]").select_option("in_person")
    page.get_by_label(field_label(summary)).fill("Kunjungan ke balai desa tanpa sinyal.")
    page.get_by_role("button", name=submit, exact=True).click()

    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text(waiting)
    assert not CheckIn.objects.exists()
    assert_accessible(page)
    if width == SMALLEST_WIDTH:
        assert_no_horizontal_scroll(page, width)

    page.context.set_offline(False)
    expect(status).to_contain_text(sent)
    expect(other_tab.locator("[data-offline-status]")).not_to_contain_text(waiting)
    check_in = CheckIn.objects.get()
    assert (check_in.summary, check_in.recorded_by) == ("Kunjungan ke balai desa tanpa sinyal.", facilitator)
    status.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/partnerships/{partnership.pk}/check-ins/{check_in.pk}/")
    assert CheckIn.objects.count() == 1


def queue_a_check_in(page: Page, *, summary: str, hours_ago: int) -> Locator:
    """Offline, in English: fill the open check-in form and log it; it waits on the phone. Returns the status."""
    held = (timezone.localtime() - datetime.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    page.get_by_label(field_label("Date and time")).fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.locator("select[name=channel]").select_option("in_person")
    page.get_by_label(field_label("Summary")).fill(summary)
    page.get_by_role("button", name="Log the check-in", exact=True).click()
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("waiting to send")
    return status


def test_a_check_in_form_opened_earlier_opens_again_without_signal_and_its_entry_is_sent_later(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[OrganizationFactory(), OrganizationFactory()])
    form_address = f"{live_server.url}/partnerships/{partnership.pk}/check-ins/new/"
    page = new_page(SMALLEST_WIDTH, service_workers=True)
    log_in(page, live_server, facilitator.username)
    # The first page of Rekan installs its service worker; from then on it keeps the field forms it sees.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(form_address)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    stored = "address => caches.match(address, {ignoreVary: true}).then(hit => hit !== undefined)"
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(stored, form_address):  # the worker stores its copy after the page is shown
        assert time.monotonic() < deadline, "the service worker kept no copy of the form"
        page.wait_for_timeout(100)

    # In the village: no signal, and the phone had closed the tab.
    page.goto(f"{live_server.url}/today/")
    page.context.set_offline(True)
    page.goto(form_address)
    status = queue_a_check_in(page, summary="Dibuka lagi tanpa sinyal.", hours_ago=2)
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)
    expect(status).to_contain_text("Sent")
    assert CheckIn.objects.get().summary == "Dibuka lagi tanpa sinyal."


def test_a_check_in_queued_when_the_session_ended_is_sent_after_logging_in_again(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[OrganizationFactory(), OrganizationFactory()])
    page = new_page(WIDE)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/check-ins/new/")

    page.context.set_offline(True)
    status = queue_a_check_in(page, summary="Dicatat saat sesi berakhir.", hours_ago=3)
    # The session ends while the phone is offline (it expired, or was logged out elsewhere).
    page.context.clear_cookies()

    page.context.set_offline(False)
    expect(status).to_contain_text("Log in again to send it")
    assert not CheckIn.objects.exists()
    status.get_by_role("link", name="Log in").click()
    page.locator("input[name=username]").fill(facilitator.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    expect(page.locator("[data-offline-status]")).to_contain_text("Sent")
    assert CheckIn.objects.get().summary == "Dicatat saat sesi berakhir."


def test_a_queued_check_in_the_server_refuses_comes_back_into_its_form(
    new_page: PageFactory, live_server: Any, facilitator: User
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[OrganizationFactory(), OrganizationFactory()])
    page = new_page(SMALLEST_WIDTH)
    log_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/check-ins/new/")

    page.context.set_offline(True)
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=9, minute=0)
    page.get_by_label(field_label("Date and time")).fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.locator("select[name=channel]").select_option("in_person")
    page.get_by_label(field_label("Summary")).fill("Tanggalnya salah ketik.")
    page.get_by_role("button", name="Log the check-in", exact=True).click()
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("waiting to send")

    # A check-in cannot be in the future: Rekan refuses it, and the entry is kept.
    page.context.set_offline(False)
    expect(status).to_contain_text("did not accept it")
    assert not CheckIn.objects.exists()
    status.get_by_role("link", name="Open the form").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("holds what was saved on this phone")
    expect(page.get_by_label(field_label("Summary"))).to_have_value("Tanggalnya salah ketik.")
    assert_accessible(page)

    yesterday = tomorrow - datetime.timedelta(days=2)
    page.get_by_label(field_label("Date and time")).fill(yesterday.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Log the check-in", exact=True).click()
    page.wait_for_url(re.compile(r"/check-ins/\d+/$"))
    assert CheckIn.objects.get().summary == "Tanggalnya salah ketik."
