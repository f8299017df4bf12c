"""The check-in clock as people read it: badges that say what is true, in the partnership's zone.

Defects 2 and 15 of the new-user walk: a check-in past its due day was "due
soon", a monthly check-in held early left the next one two days away, and
times typed in Papua were read as Jakarta time.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation

from engagements import services
from engagements.domain import schedules
from engagements.domain.schedules import State
from engagements.models import CheckIn, CheckInSchedule, Reminder, ReminderKind
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

D = datetime.date
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


def derived(**fields: object) -> CheckInSchedule:
    defaults = {"cadence": "weeks", "interval": 2, "grace_days": 3, "lead_days": 2, "starts_on": D(2026, 3, 2)}
    item = CheckInSchedule(**(defaults | fields))
    for name, value in vars(schedules.derive(item, None)).items():
        setattr(item, name, value)
    return item  # due Monday 16 March 2026, grace until Thursday 19 March


@pytest.mark.parametrize(
    ("today", "state", "text"),
    [
        (D(2026, 3, 13), State.ON_SCHEDULE, "On schedule · due 16 Mar 2026"),
        (D(2026, 3, 14), State.DUE_SOON, "Check-in due on 16 Mar 2026"),
        (D(2026, 3, 16), State.DUE_SOON, "Check-in due today, 16 Mar 2026"),
        (D(2026, 3, 17), State.GRACE, "Late since 16 Mar 2026 · in grace until 19 Mar 2026"),
        (D(2026, 3, 19), State.GRACE, "Late since 16 Mar 2026 · in grace until 19 Mar 2026"),
        (D(2026, 3, 20), State.LATE, "Check-in late since 16 Mar 2026"),
        (D(2026, 3, 30), State.DORMANT, "Dormant: late since 16 Mar 2026"),
    ],
)
def test_it_says_what_is_true_on_each_day_around_the_due_date(today, state, text) -> None:
    item = derived()
    with translation.override("en"):
        assert schedules.state_of(item, today=today) == state
        assert schedules.describe(item, state, today=today) == text


def test_it_is_late_the_day_after_the_due_date_without_a_grace_period() -> None:
    item = derived(grace_days=0)
    assert schedules.state_of(item, today=D(2026, 3, 16)) == State.DUE_SOON
    assert schedules.state_of(item, today=D(2026, 3, 17)) == State.LATE


def test_it_writes_the_badge_dates_in_indonesian() -> None:
    item = derived()
    with translation.override("id"):
        text = schedules.describe(item, State.GRACE, today=D(2026, 3, 17))
    assert "16 Mar 2026" in text and "19 Mar 2026" in text
    assert "2026-03" not in text


@pytest.mark.parametrize("held_on", [D(2026, 12, 5), D(2026, 12, 7), D(2026, 12, 10)])
def test_it_restarts_a_monthly_clock_from_the_day_the_check_in_was_held(held_on) -> None:
    # First Monday of the month: due 7 December 2026. Held two days early, on
    # the day or three days late, the next is the first Monday of January.
    item = derived(cadence="monthly", month_week=1, month_weekday=0)
    assert schedules.derive(item, held_on).due_on == D(2027, 1, 4)


@pytest.mark.parametrize("cadence", ["days", "weeks"])
def test_it_restarts_the_clock_one_period_after_a_check_in_held_on_the_due_day(cadence) -> None:
    item = derived(cadence=cadence, interval=14 if cadence == "days" else 2)
    assert schedules.derive(item, item.due_on).planned_on == item.due_on + datetime.timedelta(days=14)


def at(zone: str, *args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize("zone", ZONES)
def test_it_turns_late_at_local_midnight_in_each_zone(monkeypatch, zone) -> None:
    item = derived(time_zone=zone)  # late from 20 March, local time
    monkeypatch.setattr(timezone, "now", lambda: at(zone, 2026, 3, 19, 23, 59))
    assert schedules.state_of(item) == State.GRACE
    monkeypatch.setattr(timezone, "now", lambda: at(zone, 2026, 3, 20, 0, 0))
    assert schedules.state_of(item) == State.LATE


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()])


def save_schedule(partnership, facilitator, **fields) -> CheckInSchedule:
    item = CheckInSchedule(partnership=partnership, cadence="days", interval=14, **fields)
    return services.checkins.schedule_save(user=facilitator, schedule=item)


@pytest.mark.django_db
def test_it_sends_the_late_reminder_of_a_wita_partnership_from_local_midnight(monkeypatch, facilitator, partnership):
    schedule = save_schedule(partnership, facilitator, time_zone="Asia/Makassar", starts_on=D(2026, 3, 2), grace_days=0)
    late_from = schedule.late_from
    midnight = at("Asia/Makassar", late_from.year, late_from.month, late_from.day)
    monkeypatch.setattr(timezone, "now", lambda: midnight - datetime.timedelta(minutes=1))
    services.reminders.sweep()
    assert not Reminder.objects.filter(kind=ReminderKind.CHECK_IN_LATE).exists()
    monkeypatch.setattr(timezone, "now", lambda: midnight)
    services.reminders.sweep()
    assert Reminder.objects.filter(kind=ReminderKind.CHECK_IN_LATE).exists()


@pytest.mark.django_db
def test_it_accepts_a_check_in_typed_in_wit_by_a_facilitator_in_jayapura(facilitator, partnership) -> None:
    facilitator.time_zone = "Asia/Jayapura"
    facilitator.save()
    save_schedule(partnership, facilitator, time_zone="Asia/Jayapura", starts_on=timezone.localdate())
    twenty_minutes_ago = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=20)
    typed = timezone.localtime(twenty_minutes_ago, zoneinfo.ZoneInfo("Asia/Jayapura")).strftime("%Y-%m-%dT%H:%M")

    form_page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/check-ins/new/").content.decode()
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/check-ins/new/",
        {"held_at": typed, "channel": "phone", "summary": "Rapat di Jayapura"},
    )

    assert "WIT (Asia/Jayapura)" in form_page
    assert response.status_code == 302, response.content.decode()
    assert CheckIn.objects.get().held_at == twenty_minutes_ago


@pytest.mark.django_db
def test_it_reads_the_typed_time_in_the_partnerships_zone_whatever_the_viewers_zone(facilitator, partnership) -> None:
    # The facilitator sits in Jakarta (WIB); the partnership meets in Makassar (WITA).
    save_schedule(partnership, facilitator, time_zone="Asia/Makassar", starts_on=D(2026, 1, 5))
    client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/check-ins/new/",
        {"held_at": "2026-03-02T10:00", "channel": "phone", "summary": "Rapat"},
    )
    check_in = CheckIn.objects.get()
    assert check_in.held_at == at("Asia/Makassar", 2026, 3, 2, 10, 0)
    assert check_in.held_at == datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)

    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/").content.decode()
    assert "2 March 2026 10:00 WITA" in page


@pytest.mark.django_db
def test_it_shows_a_check_in_time_without_a_label_to_a_viewer_in_the_same_zone(facilitator, partnership) -> None:
    facilitator.time_zone = "Asia/Makassar"
    facilitator.save()
    save_schedule(partnership, facilitator, time_zone="Asia/Makassar", starts_on=D(2026, 1, 5))
    check_in = services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=at("Asia/Makassar", 2026, 3, 2, 10), channel="phone",
                         summary="x"),
    )  # fmt: skip
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/").content.decode()
    assert "2 March 2026 10:00" in page and "WITA</h1>" not in page and "10:00 WITA" not in page


@pytest.mark.django_db
def test_it_says_when_the_next_check_in_is_due_after_one_is_logged(facilitator, partnership) -> None:
    save_schedule(partnership, facilitator, starts_on=timezone.localdate() - datetime.timedelta(days=14))
    typed = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/check-ins/new/",
        {"held_at": typed, "channel": "phone", "summary": "Rapat"},
        follow=True,
    )
    schedule = CheckInSchedule.objects.get()
    assert schedule.last_held_on == timezone.localdate()
    assert schedule.planned_on == timezone.localdate() + datetime.timedelta(days=14)
    with translation.override("en"):
        expected = f"The next check-in is due on {schedule.due_on:%-d %B %Y}."
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_it_shows_one_badge_on_the_list_for_a_paused_partnership(facilitator, partnership) -> None:
    save_schedule(partnership, facilitator, starts_on=timezone.localdate())
    services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status="agreed", reason="Sepakat"
    )
    services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status="paused", reason="Musim panen"
    )
    page = client_for(facilitator).get("/partnerships/").content.decode()
    assert page.count('<span class="badge">Paused</span>') == 1  # the status filter's option is no badge
    assert "badge-checkin-" not in page
