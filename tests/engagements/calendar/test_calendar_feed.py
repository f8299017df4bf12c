"""The private calendar feed: valid iCalendar whatever people typed, in each partnership's time zone."""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.services import calendar_token_renew
from engagements import selectors, services
from engagements.models import Activity, CheckInSchedule, Partnership
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

TODAY = timezone.localdate()

# Every property the feed writes; anything else at the start of a line was smuggled in.
EMITTED = {
    "BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "NAME", "X-WR-CALNAME", "TZID", "COMMENT", "DTSTART",
    "TZNAME", "TZOFFSETFROM", "TZOFFSETTO", "UID", "DTSTAMP", "DTEND", "SUMMARY", "URL",
}  # fmt: skip

LONG_LINE = "Kemitraan " + "panjang sekali " * 12 + "x" * 10  # 200 characters, no break
TYPED = "Rapat\npertama a;b,c\\d 🌱 selesai"


def build(facilitator, *, title: str = "Mangrove Pesisir Demak", time_zone: str = "Asia/Jakarta") -> Partnership:
    partnership = build_partnership(user=facilitator, organizations=[OrganizationFactory()], activities=1, title=title)
    schedule = CheckInSchedule(
        partnership=partnership, cadence="weeks", interval=2, starts_on=TODAY, time_zone=time_zone
    )
    services.checkins.schedule_save(user=facilitator, schedule=schedule)
    Activity.objects.filter(partnership=partnership).update(due_date=TODAY + datetime.timedelta(days=5))
    return partnership


@pytest.fixture(autouse=True)
def in_english(facilitator) -> None:
    facilitator.language = "en"
    facilitator.save()


def feed(facilitator) -> bytes:
    return selectors.calendar.feed_for(facilitator)


def property_names(ical: bytes) -> set[str]:
    """The name at the start of each line, split as a lenient client does: at CRLF, a lone CR or a lone LF."""
    lines = re.split(rb"\r\n|\r|\n", ical)
    return {re.split(r"[;:]", line.decode())[0] for line in lines if line and not line.startswith((b" ", b"\t"))}


def events_of(ical: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]).split("-")[0]: event for event in icalendar.Calendar.from_ical(ical).walk("VEVENT")}


@pytest.mark.django_db
def test_it_round_trips_what_people_typed_in_titles(facilitator) -> None:
    assert len(LONG_LINE) == 200
    partnership = build(facilitator, title=LONG_LINE)
    Activity.objects.filter(partnership=partnership).update(title=TYPED)
    events = events_of(feed(facilitator))
    assert str(events["checkin"]["SUMMARY"]) == f"Check-in: {LONG_LINE}"
    assert str(events["activity"]["SUMMARY"]) == f"Due: {TYPED} ({LONG_LINE})"


@pytest.mark.django_db
@pytest.mark.parametrize("line_break", ["\r", "\n", "\r\n"])
def test_it_keeps_a_line_break_in_a_title_inside_the_summary(facilitator, line_break) -> None:
    partnership = build(facilitator, title=f"x{line_break}ATTENDEE:mailto:evil@example.org")
    Activity.objects.filter(partnership=partnership).update(title=f"y{line_break}DTSTART:19990101")
    ical = feed(facilitator)
    assert b"\r" not in ical.replace(b"\r\n", b"") and b"\n" not in ical.replace(b"\r\n", b"")
    assert property_names(ical) <= EMITTED
    events = events_of(ical)
    assert str(events["checkin"]["SUMMARY"]) == "Check-in: x\nATTENDEE:mailto:evil@example.org"
    assert str(events["activity"]["SUMMARY"]).startswith("Due: y\nDTSTART:19990101 (")
    assert all("ATTENDEE" not in event for event in events.values())
    assert events["activity"].decoded("DTSTART") == TODAY + datetime.timedelta(days=5)


@pytest.mark.django_db
def test_it_folds_every_line_within_75_octets_and_starts_none_with_a_smuggled_property(facilitator) -> None:
    partnership = build(facilitator, title=LONG_LINE)
    Activity.objects.filter(partnership=partnership).update(title="x\rATTENDEE:evil " + "🌱" * 60)
    ical = feed(facilitator)
    assert ical.endswith(b"\r\n")
    lines = ical[: -len(b"\r\n")].split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # no character cut in two by the folding
    assert property_names(ical) <= EMITTED
    summary = str(events_of(ical)["activity"]["SUMMARY"])
    assert summary == f"Due: x\nATTENDEE:evil {'🌱' * 60} ({LONG_LINE})"


@pytest.mark.django_db
def test_it_writes_check_ins_at_nine_in_each_partnerships_own_time_zone(facilitator) -> None:
    build(facilitator, title="Papua", time_zone="Asia/Jayapura")
    calendar = icalendar.Calendar.from_ical(feed(facilitator))
    (check_in,) = (event for event in calendar.walk("VEVENT") if str(event["UID"]).startswith("checkin"))
    start, end = check_in.decoded("DTSTART"), check_in.decoded("DTEND")
    assert str(check_in["DTSTART"].params["TZID"]) == "Asia/Jayapura"
    assert (start.hour, start.utcoffset(), end - start) == (9, datetime.timedelta(hours=9), datetime.timedelta(hours=1))
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    assert set(zones) == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
    (standard,) = zones["Asia/Jayapura"].walk("STANDARD")
    assert standard.decoded("TZOFFSETTO") == datetime.timedelta(hours=9)
    assert str(standard["TZNAME"]) == "WIT"


@pytest.mark.django_db
def test_it_writes_activities_as_all_day_events_with_stable_uids(facilitator) -> None:
    partnership = build(facilitator)
    activity = partnership.activities.get()
    first, second = events_of(feed(facilitator)), events_of(feed(facilitator))
    assert {str(event["UID"]) for event in first.values()} == {str(event["UID"]) for event in second.values()}
    assert str(first["activity"]["UID"]) == f"activity-{activity.pk}-{activity.due_date:%Y%m%d}@127.0.0.1:8000"
    due = activity.due_date
    assert (first["activity"].decoded("DTSTART"), first["activity"].decoded("DTEND")) == (
        due,
        due + datetime.timedelta(days=1),
    )
    stamp = first["activity"].decoded("DTSTAMP")
    assert stamp.utcoffset() == datetime.timedelta(0)
    assert abs(timezone.now() - stamp) < datetime.timedelta(minutes=1)
    assert str(first["activity"]["URL"]).endswith(f"/partnerships/{partnership.pk}/plan/")


@pytest.mark.django_db
def test_it_reads_the_feed_with_the_same_queries_however_many_partnerships(facilitator) -> None:
    build(facilitator)
    user = User.objects.get(pk=facilitator.pk)  # as the view has it: nothing cached yet
    with CaptureQueriesContext(connection) as one:
        feed(user)
    for zone in ("Asia/Makassar", "Asia/Jayapura", "Asia/Jakarta"):
        build(facilitator, time_zone=zone)
    user = User.objects.get(pk=facilitator.pk)
    with CaptureQueriesContext(connection) as four:
        ical = feed(user)
    assert len(icalendar.Calendar.from_ical(ical).walk("VEVENT")) == 8
    # The user's groups, the check-in schedules, the activities.
    assert len(four) == len(one) == 3


@pytest.mark.django_db
def test_it_serves_the_feed_as_text_calendar(facilitator) -> None:
    build(facilitator, title="a;b,c\\d 🌱")
    token = calendar_token_renew(user=facilitator)
    response = client_for(None).get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(events_of(response.content)["checkin"]["SUMMARY"]).endswith("a;b,c\\d 🌱")


# Everything some reader takes for a line break: CRLF, CR, LF, and what Unicode-aware parsers
# (Python's str.splitlines among them) also split at.
LINE_BREAKS = ["\r", "\n", "\r\n", "\n\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


def every_line(ical: bytes) -> list[str]:
    """The feed's lines as the most lenient reader splits them."""
    return ical.decode("utf-8").splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=["+".join(f"U+{ord(c):04X}" for c in lb) for lb in LINE_BREAKS])
def test_it_lets_no_kind_of_line_break_start_a_property_of_its_own(facilitator, line_break) -> None:
    partnership = build(facilitator, title=f"Bersih Desa{line_break}ATTENDEE:mailto:evil@example.org")
    Activity.objects.filter(partnership=partnership).update(
        title=f"Pembibitan{line_break}DTSTART:19990101{line_break}{line_break}END:VEVENT"
    )
    ical = feed(facilitator)

    # The only line ends are the CRLFs icalendar writes; a folded line goes on with a space.
    assert ical.endswith(b"\r\n")
    assert len(every_line(ical)) == ical.count(b"\r\n")
    names = {re.split(r"[;:]", line)[0] for line in every_line(ical) if not line.startswith((" ", "\t"))}
    assert names <= EMITTED
    assert sum(line == "END:VEVENT" for line in every_line(ical)) == 2
    events = events_of(ical)
    newlines = "\n\n" if line_break == "\n\r" else "\n"  # LF then CR: two breaks; CRLF is one
    assert str(events["checkin"]["SUMMARY"]) == f"Check-in: Bersih Desa{newlines}ATTENDEE:mailto:evil@example.org"
    assert str(events["activity"]["SUMMARY"]).startswith("Due: Pembibitan\n")
    assert events["activity"].decoded("DTSTART") == TODAY + datetime.timedelta(days=5)
    assert all("ATTENDEE" not in event for event in events.values())


@pytest.mark.django_db
def test_it_drops_control_characters_that_text_may_not_hold(facilitator) -> None:
    build(facilitator, title="Bersih\x01 Desa\x07\x1b[31m\x7f\x9b merah\tbiru")  # PostgreSQL stores no NUL
    ical = feed(facilitator)
    assert not re.search(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]", ical)
    assert str(events_of(ical)["checkin"]["SUMMARY"]) == "Check-in: Bersih Desa[31m merah\tbiru"


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("a\rb", "a\nb"),
        ("a\r\nb", "a\nb"),
        ("a\nb", "a\nb"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("a\x85b", "a\nb"),
        ("Jum'at, 1; 2 \\ 3 🌱", "Jum'at, 1; 2 \\ 3 🌱"),
    ],
)
def test_it_normalises_every_line_break_before_icalendar_escapes_it(typed: str, text: str) -> None:
    value = selectors.calendar.ical_text(typed)
    assert str(value) == text
    assert b"\r" not in value.to_ical() and b"\n" not in value.to_ical()
