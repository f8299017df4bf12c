"""What people read, in a real browser, at 360 and 1280 px, in English and Bahasa Indonesia (issue #8).

The non-browser tests prove each fix on the server's HTML; these read the
pages as Chromium draws them: a check-in badge that says what is true (late,
in grace, due on its day), check-in times read and written in the
partnership's zone, the share page showing the agreed plan, goals that go
down and numbers grouped for the reader (never inside the chart's SVG),
dates in sentences in the reader's language, lists in the order things are
due with late work marked for partner members, one badge for a paused
partnership, and a next step that becomes one activity however often it is
posted.

The Indonesian texts are the translations in locale/id/LC_MESSAGES/django.po;
the dates are written here from month names of our own, not by Django's
formats, so a wrong month abbreviation ("Dec" for "Des") fails the test.
axe checks every page read here; at 360 px none may scroll sideways.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from engagements import services
from engagements.domain import schedules
from engagements.models import Activity, CheckIn, CheckInSchedule, Partnership, SharedGoal
from partners.models import Organization
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.engagements.builders import add_activity, build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PageFactory = Callable[..., Page]

PHONE = 360
WIDE = 1280
WIDTHS = (PHONE, WIDE)
LANGUAGES = ("en", "id")
BROWSER_LOCALES = {"en": "en-US", "id": "id-ID"}

# Month names as each language writes them: "j M Y" (badges, tables) and "j F Y" (sentences).
MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}
MONTHS_LONG = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
}  # fmt: skip

# The msgids of the pages and their msgstr in locale/id/LC_MESSAGES/django.po.
TEXTS = {
    "en": {
        "grace": "Late since %(date)s · in grace until %(end)s",
        "due_on": "Check-in due on %(date)s",
        "zone_help": "In the partnership's time zone: %(zone)s.",
        "log": "Log the check-in",
        "check_in_of": "Check-in of %(date)s",
        "changed_since": (
            "The facilitators have changed the working plan since; the changes are shown here once the members"
            " agree them."
        ),
        "down": "From %(baseline)s down to %(value)s %(unit)s, target %(target)s by %(date)s",
        "up": "From %(baseline)s up to %(value)s %(unit)s, target %(target)s by %(date)s",
        "due_date": "due date",
        "late": "Late",
        "paused": "Paused",
        "make_activity": "Make it a plan activity",
        "already": "This next step is already the activity “%(title)s”.",
    },
    "id": {
        "grace": "Terlambat sejak %(date)s · masa tenggang sampai %(end)s",
        "due_on": "Pertemuan rutin jatuh tempo pada %(date)s",
        "zone_help": "Dalam zona waktu kemitraan: %(zone)s.",
        "log": "Catat pertemuan rutin",
        "check_in_of": "Pertemuan rutin tanggal %(date)s",
        "changed_since": (
            "Fasilitator telah mengubah rencana kerja sejak itu; perubahannya ditampilkan di sini setelah para anggota"
            " menyepakatinya."
        ),
        "down": "Dari %(baseline)s turun menjadi %(value)s %(unit)s, target %(target)s paling lambat %(date)s",
        "up": "Dari %(baseline)s naik menjadi %(value)s %(unit)s, target %(target)s paling lambat %(date)s",
        "due_date": "tenggat",
        "late": "Terlambat",
        "paused": "Dijeda",
        "make_activity": "Jadikan kegiatan rencana",
        "already": "Langkah berikutnya ini sudah menjadi kegiatan “%(title)s”.",
    },
}

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SVG_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# Every number the goal chart's SVG holds, as the attribute text: the viewBox,
# coordinates and radii, and each coordinate of the polyline's points.
SVG_NUMBERS = """
() => [...document.querySelectorAll("main svg, main svg *")].flatMap((element) => {
  const numbers = [];
  for (const attribute of element.attributes) {
    if (attribute.name === "viewBox") numbers.push(...attribute.value.trim().split(/\\s+/));
    else if (attribute.name === "points") numbers.push(...attribute.value.trim().split(/[\\s,]+/));
    else if (["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"].includes(attribute.name))
      numbers.push(attribute.value);
  }
  return numbers.map((value) => [element.tagName, value]);
})
"""


def short_date(day: datetime.date, language: str) -> str:
    return f"{day.day} {MONTHS_SHORT[language][day.month - 1]} {day.year}"


def long_date(day: datetime.date, language: str) -> str:
    return f"{day.day} {MONTHS_LONG[language][day.month - 1]} {day.year}"


def long_datetime(moment: datetime.datetime, zone: str, language: str) -> str:
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(zone))
    return f"{long_date(local.date(), language)} {local:%H:%M}"


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def open_as(new_page: PageFactory, live_server: Any, user: User, width: int, language: str) -> Page:
    page = new_page(width)
    log_in(page, live_server, speaking(user, language).username)
    return page


def go(page: Page, url: str, language: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.locator("html").get_attribute("lang") == language


def check_page(page: Page, width: int) -> None:
    assert_accessible(page)
    if width == PHONE:
        assert_no_horizontal_scroll(page, width)


def h1_text(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def new_partnership(facilitator: User, org_a: Organization, title: str) -> Partnership:
    """Organization A (lead, accountable for every activity) and one other member; no activity."""
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0, title=title)


def add_schedule(partnership: Partnership, facilitator: User, **fields: Any) -> CheckInSchedule:
    schedule = CheckInSchedule(
        partnership=partnership, cadence="weeks", interval=2, starts_on=timezone.localdate(), **fields
    )
    return services.checkins.schedule_save(user=facilitator, schedule=schedule)


def due_in(schedule: CheckInSchedule, days: int) -> CheckInSchedule:
    """Move the stored clock so the check-in is due ``days`` from today (negative: ago), by the schedule's rules.

    A real due day falls on a working day; today minus two may be a Sunday, so
    the dates are written as schedules.derive would write them for that day.
    """
    due = schedules.local_today(schedule.time_zone) + datetime.timedelta(days=days)
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        planned_on=due,
        due_on=due,
        remind_from=due - datetime.timedelta(days=schedule.lead_days),
        late_from=due + datetime.timedelta(days=schedule.grace_days + 1),
        dormant_from=due + datetime.timedelta(days=60),
    )
    schedule.refresh_from_db()
    return schedule


# 1. Check-in badges say what is true (defect 2)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_says_a_check_in_is_late_in_grace_or_due_on_its_day(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    late = due_in(add_schedule(new_partnership(facilitator, org_a, "Mangrove Pesisir Demak"), facilitator,
                               grace_days=3, lead_days=2), -2)  # fmt: skip
    soon = due_in(add_schedule(new_partnership(facilitator, org_a, "Bank Sampah Sejahtera"), facilitator,
                               grace_days=3, lead_days=3), 2)  # fmt: skip
    assert (schedules.state_of(late), schedules.state_of(soon)) == (schedules.State.GRACE, schedules.State.DUE_SOON)
    in_grace = TEXTS[language]["grace"] % {
        "date": short_date(late.due_on, language),
        "end": short_date(schedules.grace_ends_on(late), language),
    }
    due_on = TEXTS[language]["due_on"] % {"date": short_date(soon.due_on, language)}

    page = open_as(new_page, live_server, facilitator, width, language)
    go(page, f"{live_server.url}/partnerships/{late.partnership_id}/", language)
    badges = page.locator("main .badge-checkin-grace")
    expect(badges.first).to_be_visible()
    assert set(badges.all_inner_texts()) == {in_grace}, badges.all_inner_texts()
    check_page(page, width)

    go(page, f"{live_server.url}/today/", language)
    cards = page.locator("main section[aria-labelledby=checkins-due-heading] .card")
    expect(cards.filter(has_text="Mangrove Pesisir Demak").locator(".badge-checkin-grace")).to_have_text(in_grace)
    expect(cards.filter(has_text="Bank Sampah Sejahtera").locator(".badge-checkin-due_soon")).to_have_text(due_on)
    check_page(page, width)


# 2. Check-in times in the partnership's zone (defect 15)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_reads_and_shows_check_in_times_in_the_partnerships_zone(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    facilitator.time_zone = "Asia/Jayapura"
    facilitator.save(update_fields=["time_zone"])
    papua = new_partnership(facilitator, org_a, "Kebun Sagu Sentani")
    add_schedule(papua, facilitator, time_zone="Asia/Jayapura")
    sulawesi = new_partnership(facilitator, org_a, "Rumput Laut Takalar")
    add_schedule(sulawesi, facilitator, time_zone="Asia/Makassar")
    held_in_wita = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar"))
    wita_check_in = services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=sulawesi, held_at=held_in_wita, channel="phone", summary="Rapat panen"),
    )

    page = open_as(new_page, live_server, facilitator, width, language)
    go(page, f"{live_server.url}/partnerships/{papua.pk}/check-ins/new/", language)
    held_at = page.locator("main input[name=held_at]")
    help_text = page.locator(f"#{held_at.get_attribute('aria-describedby')}")
    expect(help_text).to_have_text(TEXTS[language]["zone_help"] % {"zone": "WIT (Asia/Jayapura)"})
    check_page(page, width)

    twenty_minutes_ago = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=20)
    held_at.fill(timezone.localtime(twenty_minutes_ago, zoneinfo.ZoneInfo("Asia/Jayapura")).strftime("%Y-%m-%dT%H:%M"))
    page.locator("main textarea[name=summary]").fill("Rapat kelompok sagu di Sentani")
    page.locator("main form").get_by_role("button", name=TEXTS[language]["log"], exact=True).click()
    page.wait_for_url(re.compile(rf"/partnerships/{papua.pk}/check-ins/\d+/$"))
    check_in = CheckIn.objects.get(partnership=papua)
    assert check_in.held_at == twenty_minutes_ago
    # The viewer is in the partnership's zone: the time carries no label.
    written = long_datetime(twenty_minutes_ago, "Asia/Jayapura", language)
    assert h1_text(page) == TEXTS[language]["check_in_of"] % {"date": written}
    check_page(page, width)

    # From Jakarta, a check-in held in Makassar says WITA after its time.
    facilitator.time_zone = "Asia/Jakarta"
    facilitator.save(update_fields=["time_zone"])
    go(page, f"{live_server.url}/partnerships/{sulawesi.pk}/check-ins/{wita_check_in.pk}/", language)
    written = f"{long_date(datetime.date(2026, 3, 2), language)} 10:00 WITA"
    assert h1_text(page) == TEXTS[language]["check_in_of"] % {"date": written}
    check_page(page, width)


# 3. The share page shows the agreed plan (defect 7)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_shares_the_agreed_plan_and_says_the_working_plan_changed_since(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=2)
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati di balai desa")
    activity = partnership.activities.order_by("position").first()
    agreed_title = activity.title
    activity.title = "Pembibitan di tambak utara"
    services.plans.activity_save(user=facilitator, activity=activity)
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=30)
    )

    page = new_page(width, locale=BROWSER_LOCALES[language])  # nobody logged in: the browser's language
    go(page, f"{live_server.url}/shared/{link.token}/", language)
    plan = page.locator("main section[aria-labelledby=plan-heading]")
    expect(plan.locator("table.matrix tbody th[scope=row]").first).to_contain_text(agreed_title)
    expect(page.locator("main")).not_to_contain_text("Pembibitan di tambak utara")
    expect(plan.locator(".notice")).to_have_text(TEXTS[language]["changed_since"])
    check_page(page, width)


# 4. A goal that goes down, and grouped numbers outside the chart (defects 8 and 12)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_describes_a_falling_goal_and_groups_thousands_but_not_in_the_chart(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    partnership = new_partnership(facilitator, org_a, "Mangrove Pesisir Demak")
    falling = partnership.goals.get()
    falling.statement, falling.baseline, falling.target, falling.unit = "Kurangi titik abrasi", 12, 2, "titik"
    services.goals.goal_save(user=facilitator, goal=falling)
    waste = services.goals.goal_save(
        user=facilitator,
        goal=SharedGoal(
            partnership=partnership,
            statement="Kumpulkan sampah plastik",
            baseline=Decimal(0),
            target=Decimal(6000),
            unit="kg",
            start_date=datetime.date(2026, 1, 1),
            target_date=datetime.date(2026, 12, 31),
        ),
    )
    for goal, values in [(falling, (10, 9)), (waste, (1200, 2650))]:
        for month, value in zip((3, 6), values, strict=True):
            services.goals.progress_record(
                user=facilitator, goal=goal, value=Decimal(value), measured_on=datetime.date(2026, month, 1)
            )
    by = short_date(datetime.date(2026, 12, 31), language)
    thousands = "," if language == "en" else "."
    sentences = {
        falling: TEXTS[language]["down"] % {"baseline": 12, "value": 9, "unit": "titik", "target": 2, "date": by},
        waste: TEXTS[language]["up"]
        % {"baseline": 0, "value": f"2{thousands}650", "unit": "kg", "target": f"6{thousands}000", "date": by},
    }

    page = open_as(new_page, live_server, facilitator, width, language)
    for goal, sentence in sentences.items():
        go(page, f"{live_server.url}/partnerships/{partnership.pk}/goals/{goal.pk}/", language)
        expect(page.locator("main .goal-progress")).to_have_text(sentence)
        if goal == waste:
            expect(page.locator("main .progress-table tbody")).to_contain_text(f"2{thousands}650 kg")
        expect(page.locator("main svg circle")).to_have_count(3)  # the baseline, then each measurement
        numbers = page.evaluate(SVG_NUMBERS)
        assert len(numbers) > 10, numbers
        assert not [(tag, text) for tag, text in numbers if not SVG_NUMBER.match(text)], numbers
        check_page(page, width)


# 5. Dates in sentences (defect 9)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_writes_the_dates_of_the_plan_changes_in_words_never_as_iso(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    partnership = new_partnership(facilitator, org_a, "Mangrove Pesisir Demak")
    members = list(partnership.members.order_by("pk"))
    before, after = datetime.date(2026, 8, 17), datetime.date(2026, 12, 15)
    activity = add_activity(partnership, members, title="Tanam bibit tahap dua", due=before)
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati di balai desa")
    activity.due_date = after
    services.plans.activity_save(user=facilitator, activity=activity)

    page = open_as(new_page, live_server, facilitator, width, language)
    go(page, f"{live_server.url}/partnerships/{partnership.pk}/plan/", language)
    change = page.locator("main ul.changes li.change-changed")
    expect(change).to_contain_text(
        f"{TEXTS[language]['due_date']}: {long_date(before, language)} → {long_date(after, language)}"
    )
    visible = page.locator("main").inner_text()
    assert not ISO_DATE.findall(visible), ISO_DATE.findall(visible)
    check_page(page, width)


# 6. Lists in the order things are due, late work marked, one badge for a pause (defect 13)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_lists_by_due_date_marks_late_work_for_partners_and_shows_one_paused_badge(
    new_page: PageFactory,
    live_server: Any,
    facilitator: User,
    partner_a: User,
    org_a: Organization,
    width: int,
    language: str,
) -> None:
    partnership = new_partnership(facilitator, org_a, "Mangrove Pesisir Demak")
    members = list(partnership.members.order_by("pk"))  # org_a first: accountable for each activity
    today = timezone.localdate()
    late = "Perbaiki tanggul"
    for title, due in [
        ("Tanam bibit", today + datetime.timedelta(days=20)),
        ("Rapat evaluasi", None),
        (late, today - datetime.timedelta(days=3)),
        ("Beli polybag", today + datetime.timedelta(days=2)),
    ]:
        add_activity(partnership, members, title=title, due=due)
    order = [late, "Beli polybag", "Tanam bibit", "Rapat evaluasi"]
    paused = new_partnership(facilitator, org_a, "Bank Sampah Sejahtera")
    add_schedule(paused, facilitator)
    for status, reason in [("agreed", "Sepakat"), ("paused", "Musim panen")]:
        services.partnerships.partnership_set_status(user=facilitator, partnership=paused, status=status, reason=reason)

    page = open_as(new_page, live_server, facilitator, width, language)
    go(page, f"{live_server.url}/partnerships/{partnership.pk}/plan/", language)
    rows = page.locator("main table.matrix tbody th[scope=row] > a")
    expect(rows).to_have_count(4)
    assert [text.strip() for text in rows.all_inner_texts()] == order
    check_page(page, width)

    go(page, f"{live_server.url}/partnerships/", language)
    badges = (
        page.locator("main table.portfolio tbody tr")
        .filter(has_text="Bank Sampah Sejahtera")
        .locator("td.portfolio-status .badge")
    )
    expect(badges).to_have_text([TEXTS[language]["paused"]])
    check_page(page, width)

    member = open_as(new_page, live_server, partner_a, width, language)
    go(member, f"{live_server.url}/partnerships/{partnership.pk}/", language)
    ours = member.locator("main section[aria-labelledby=ours-heading] .card")
    expect(ours).to_have_count(4)
    expect(ours.filter(has_text=late).locator(".badge-late")).to_have_text(TEXTS[language]["late"])
    expect(ours.locator(".badge-late")).to_have_count(1)
    upcoming = member.locator("main section[aria-labelledby=upcoming-heading] li")
    expect(upcoming.filter(has_text=late).locator(".badge-late")).to_have_text(TEXTS[language]["late"])
    expect(upcoming.locator(".badge-late")).to_have_count(1)
    assert [next(title for title in order if title in text) for text in upcoming.all_inner_texts()] == order
    check_page(member, width)


# 7. A next step becomes one activity, however often it is posted (defect 3)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_makes_one_activity_of_a_next_step_posted_twice_and_links_the_step_to_it(
    new_page: PageFactory, live_server: Any, facilitator: User, org_a: Organization, width: int, language: str
) -> None:
    partnership = new_partnership(facilitator, org_a, "Mangrove Pesisir Demak")
    step = "Hubungi dinas kelautan"
    check_in = services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=timezone.now() - datetime.timedelta(hours=1),
                         channel="phone", summary="Rapat", next_steps=f"Beli polybag\n{step}"),
    )  # fmt: skip
    check_in_url = f"{live_server.url}/partnerships/{partnership.pk}/check-ins/{check_in.pk}/"

    page = open_as(new_page, live_server, facilitator, width, language)
    go(page, check_in_url, language)
    item = page.locator("main section[aria-labelledby=steps-heading] li").filter(has_text=step)
    button = item.get_by_role("button", name=re.compile(rf"^{re.escape(TEXTS[language]['make_activity'])}"))
    button.click()
    activity = Activity.objects.get(partnership=partnership)
    page.wait_for_url(f"{live_server.url}/partnerships/{partnership.pk}/activities/{activity.pk}/edit/")

    # Back to the check-in page as the browser kept it (its button still there), and the same post once more:
    # the message can only come from that second post.
    page.go_back()
    page.wait_for_url(check_in_url)
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_role("status")).to_contain_text(TEXTS[language]["already"] % {"title": step})
    page.wait_for_url(check_in_url)
    assert list(Activity.objects.filter(partnership=partnership).values_list("title", flat=True)) == [step]

    link = item.get_by_role("link", name=step, exact=True)
    expect(link).to_have_attribute("href", f"/partnerships/{partnership.pk}/plan/#activity-{activity.pk}")
    expect(item.get_by_role("button")).to_have_count(0)
    check_page(page, width)
    link.click()
    page.wait_for_url(f"{live_server.url}/partnerships/{partnership.pk}/plan/#activity-{activity.pk}")
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text(step)
