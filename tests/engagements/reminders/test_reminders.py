"""Reminders: written once per occurrence and recipient, sent once, retried, never lost."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import calendar_token_renew
from engagements import access, services
from engagements.models import CheckInSchedule, Commitment, CommitmentSide, Partnership, Reminder, ReminderStatus
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory, make_facilitator, make_partner_member

TODAY = timezone.localdate()


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("550 mailbox unavailable")


LATE_DUE_ON = TODAY - datetime.timedelta(days=30)


def make_due(schedule: CheckInSchedule, *, late_by: int | None = None) -> None:
    """Set a schedule's dates so that it is due tomorrow, or has been late for some days.

    Late: the same due day each time, so that only the days passed change.
    """
    if late_by is None:
        due, late_from = TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=5)
    else:
        due, late_from = LATE_DUE_ON, TODAY - datetime.timedelta(days=late_by)
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        due_on=due,
        planned_on=due,
        remind_from=due - datetime.timedelta(days=2),
        late_from=late_from,
        dormant_from=TODAY + datetime.timedelta(days=60),
    )


@pytest.fixture
def partnership(facilitator, org_a):
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    Contact.objects.create(
        organization=org_a, name="Bu Sri", email="sri@example.org", consent_to_contact=True, preferred_language="id"
    )
    Contact.objects.create(organization=org_a, name="Tanpa izin", email="no@example.org", consent_to_contact=False)
    Contact.objects.create(
        organization=org_a, name="Berhenti", email="stop@example.org", consent_to_contact=True, wants_reminders=False
    )
    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=2, starts_on=TODAY)
    services.checkins.schedule_save(user=facilitator, schedule=schedule)
    return partnership


def emails(kind: str | None = None) -> list[str]:
    rows = Reminder.objects.all() if kind is None else Reminder.objects.filter(kind=kind)
    return sorted(rows.values_list("email", flat=True))


@pytest.mark.django_db
def test_it_reminds_facilitators_and_consenting_contacts_once_per_occurrence(partnership) -> None:
    make_due(partnership.schedule)
    assert services.reminders.sweep() == 2
    assert services.reminders.sweep() == 0  # a second sweep (or two at once) adds nothing
    assert emails("checkin_due") == ["fasilitator@example.org", "sri@example.org"]


@pytest.mark.django_db
def test_it_repeats_late_reminders_and_then_copies_the_lead_facilitator(partnership, facilitator) -> None:
    other = make_facilitator(username="kedua", email="kedua@example.org")
    partnership.facilitators.add(other)
    schedule = partnership.schedule
    schedule.repeat_every_days, schedule.escalate_after = 3, 2
    schedule.save()
    for late_by, expected_escalations in [(0, 0), (1, 0), (3, 0), (6, 1)]:
        make_due(schedule, late_by=late_by)
        services.reminders.sweep()
        assert Reminder.objects.filter(kind="checkin_escalation").count() == expected_escalations
    occurrences = sorted(set(Reminder.objects.filter(kind="checkin_late").values_list("occurrence", flat=True)))
    assert [o.split("#")[1] for o in occurrences] == ["late0", "late1", "late2"]
    assert emails("checkin_escalation") == [facilitator.email]  # the creator leads


@pytest.mark.django_db
def test_it_sends_nothing_for_paused_schedules_or_closed_partnerships(partnership) -> None:
    make_due(partnership.schedule)
    CheckInSchedule.objects.update(paused=True)
    assert services.reminders.sweep() == 0
    CheckInSchedule.objects.update(paused=False)
    Partnership.objects.update(status="closed")
    assert services.reminders.sweep() == 0


@pytest.mark.django_db
def test_it_reminds_of_activities_due_soon_and_overdue(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=3)
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    first, second, third = partnership.activities.order_by("pk")
    partnership.activities.filter(pk=first.pk).update(due_date=TODAY + datetime.timedelta(days=1))
    partnership.activities.filter(pk=second.pk).update(due_date=TODAY - datetime.timedelta(days=2))
    partnership.activities.filter(pk=third.pk).update(due_date=TODAY - datetime.timedelta(days=2), status="done")
    services.reminders.sweep()
    assert sorted(Reminder.objects.values_list("kind", "subject_id")) == [
        ("activity_due", first.pk),
        ("activity_overdue", second.pk),
    ]


@pytest.mark.django_db
def test_it_delivers_each_reminder_once_in_the_recipients_language(partnership, facilitator) -> None:
    facilitator.language = "en"
    facilitator.save()
    make_due(partnership.schedule)
    services.reminders.sweep()
    assert services.reminders.deliver() == 2
    assert services.reminders.deliver() == 0
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    # The try that went out counts: a sent reminder never shows "Attempts 0".
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
    by_address = {message.to[0]: message for message in mail.outbox}
    english, indonesian = by_address["fasilitator@example.org"], by_address["sri@example.org"]
    assert english.subject.startswith("Check-in due")
    assert "Pertemuan rutin" in indonesian.subject or "pertemuan rutin" in indonesian.body.lower()
    html = dict((mimetype, content) for content, mimetype in english.alternatives)["text/html"]
    assert f"/partnerships/{partnership.pk}/" in english.body and f"/partnerships/{partnership.pk}/" in html
    assert english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "RAHASIA" not in english.body + html


@pytest.mark.django_db
@override_settings(MAILERS={"default": {"BACKEND": "tests.engagements.reminders.test_reminders.RefusingBackend"}})
def test_it_retries_with_backoff_then_marks_failed(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    services.reminders.deliver()
    row = Reminder.objects.first()
    assert (row.status, row.attempts) == (ReminderStatus.PENDING, 1)
    assert row.next_attempt_at > timezone.now()
    assert "550" in row.last_error
    for _ in range(services.outbox.MAX_ATTEMPTS):
        Reminder.objects.update(next_attempt_at=timezone.now())
        services.reminders.deliver()
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.FAILED}


@pytest.mark.django_db
def test_it_claims_an_abandoned_row_again_once_its_lease_expires(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    first = services.outbox.reminders_claim(limit=10, lease=datetime.timedelta(minutes=5))
    assert len(first.reminders) == 2
    assert services.outbox.reminders_claim(limit=10).reminders == []  # held by the first claim
    Reminder.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))  # that worker died
    again = services.outbox.reminders_claim(limit=10)
    assert len(again.reminders) == 2
    assert services.outbox.reminder_mark_sent(first.reminders[0], first.token) is False  # the dead claim cannot stamp
    assert services.outbox.reminder_mark_sent(again.reminders[0], again.token) is True


@pytest.mark.django_db
def test_it_gathers_reminders_into_a_daily_digest_for_those_who_asked(partnership, facilitator) -> None:
    facilitator.daily_digest = True
    facilitator.save()
    make_due(partnership.schedule)
    services.reminders.sweep()
    assert services.reminders.deliver() == 1  # the contact; the facilitator waits for the digest
    assert services.reminders.send_digests() == 1
    digest = mail.outbox[-1]
    assert digest.to == ["fasilitator@example.org"]
    assert partnership.title in digest.body
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 2


@pytest.mark.django_db
def test_it_unsubscribes_in_one_click_with_a_signed_link(partnership, facilitator) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    row = Reminder.objects.get(email="fasilitator@example.org")
    url = access.unsubscribe_url(row).split("://", 1)[1].split("/", 1)[1]
    client = client_for(None)
    client.handler.enforce_csrf_checks = True
    assert client.get(f"/{url}").status_code == 200
    assert client.post(f"/{url}", {"List-Unsubscribe": "One-Click"}).status_code == 200
    facilitator.refresh_from_db()
    assert facilitator.email_reminders is False
    assert client.get("/unsubscribe/forged-token/").status_code == 404
    make_due(partnership.schedule, late_by=0)
    services.reminders.sweep()
    assert "fasilitator@example.org" not in emails("checkin_late")


@pytest.mark.django_db
def test_it_serves_a_valid_calendar_with_time_zones_at_a_revocable_address(partnership, facilitator) -> None:
    services.checkins.schedule_save(user=facilitator, schedule=CheckInSchedule.objects.get(pk=partnership.schedule.pk))
    activity = build_partnership(user=facilitator, organizations=[OrganizationFactory()], activities=1).activities.get()
    activity.due_date = TODAY + datetime.timedelta(days=5)
    activity.save()
    token = calendar_token_renew(user=facilitator)
    response = client_for(None).get(f"/calendar/{token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(event["UID"]).split("-")[0]: event for event in calendar.walk("VEVENT")}
    check_in = events["checkin"]
    assert check_in.decoded("DTSTART").tzinfo is not None
    assert str(check_in["DTSTART"].params["TZID"]) == "Asia/Jakarta"
    assert events["activity"].decoded("DTSTART") == activity.due_date
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} >= {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
    calendar_token_renew(user=facilitator)  # the old address stops working
    assert client_for(None).get(f"/calendar/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_it_shows_failures_in_the_reminder_log_with_a_retry(partnership, facilitator, partner_a) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    Reminder.objects.update(status=ReminderStatus.FAILED, last_error="SMTPRecipientsRefused: 550", attempts=5)
    client = client_for(facilitator)
    html = client.get("/reminders/", {"status": "failed"}).content.decode()
    assert "SMTPRecipientsRefused: 550" in html and "sri@example.org" in html
    row = Reminder.objects.first()
    client.post(f"/reminders/{row.pk}/retry/")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (ReminderStatus.PENDING, 0)
    assert client_for(partner_a).get("/reminders/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("partnerships", [10, 1000])
def test_it_sweeps_with_the_same_number_of_queries_at_10_and_1000_partnerships(facilitator, partnerships) -> None:
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    created = Partnership.objects.bulk_create(Partnership(title=f"Kemitraan {n}") for n in range(partnerships))
    Partnership.facilitators.through.objects.bulk_create(
        Partnership.facilitators.through(partnership_id=p.pk, user_id=facilitator.pk) for p in created
    )
    due = TODAY + datetime.timedelta(days=1)
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(partnership=p, starts_on=TODAY, due_on=due, planned_on=due, remind_from=TODAY,
                        late_from=due + datetime.timedelta(days=4), dormant_from=due + datetime.timedelta(days=30))
        for p in created
    )  # fmt: skip
    # And one commitment per partnership, due tomorrow, by a group with a contact and a partner user.
    group = OrganizationFactory()
    Contact.objects.create(organization=group, name="Bu Sri", email="sri@example.org", consent_to_contact=True)
    make_partner_member(group, username="mitra_kelompok")
    Commitment.objects.bulk_create(
        Commitment(partnership=p, promised_by_side=CommitmentSide.MEMBER, promised_by=group, text="Janji", due_on=due)
        for p in created
    )
    with CaptureQueriesContext(connection) as queries:
        assert services.reminders.sweep() == partnerships * 4
    # Schedules, their facilitators, members (none, so no contacts), activities (none),
    # commitments, their facilitators, contacts and partner users, one insert.
    assert len(queries) == 9


@pytest.mark.django_db
def test_it_skips_rows_whose_lease_was_lost_before_sending(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    claim = services.outbox.reminders_claim(limit=10)
    other = claim.reminders[0]
    Reminder.objects.filter(pk=other.pk).update(claim_token="someone-else")  # reclaimed meanwhile
    assert services.outbox.reminder_renew(other, claim.token) is False
    assert services.outbox.reminder_renew(claim.reminders[1], claim.token) is True


@pytest.mark.django_db
def test_it_counts_an_abandoned_claim_as_an_attempt_and_fails_a_row_that_keeps_killing_workers(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    for attempt in range(1, services.outbox.MAX_ATTEMPTS + 1):
        claim = services.outbox.reminders_claim(limit=10)
        Reminder.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))  # the worker died
        if attempt < services.outbox.MAX_ATTEMPTS:
            assert len(claim.reminders) == 2
    assert services.outbox.reminders_claim(limit=10).reminders == []
    assert set(Reminder.objects.values_list("status", "attempts")) == {
        (ReminderStatus.FAILED, services.outbox.MAX_ATTEMPTS)
    }
    assert Reminder.objects.first().last_error == services.outbox.ABANDONED


@pytest.mark.django_db
def test_it_sends_what_people_typed_literally_in_text_and_escaped_in_html(partnership, facilitator) -> None:
    facilitator.language, facilitator.daily_digest = "en", True
    facilitator.save()
    Partnership.objects.filter(pk=partnership.pk).update(title="Bersih Desa Jum'at & <b>Kali</b> 🌿")
    make_due(partnership.schedule)
    services.reminders.sweep()
    services.reminders.deliver()
    services.reminders.send_digests()

    by_address = {message.to[0]: message for message in mail.outbox}
    for message in (by_address["sri@example.org"], by_address["fasilitator@example.org"]):  # Indonesian; digest
        html = dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]
        assert "Bersih Desa Jum'at & <b>Kali</b> 🌿" in message.body
        assert "Bersih Desa Jum&#x27;at &amp; &lt;b&gt;Kali&lt;/b&gt; 🌿" in html
        assert "<b>Kali</b>" not in html
    assert "Bersih Desa Jum'at & <b>Kali</b> 🌿" in by_address["sri@example.org"].subject
