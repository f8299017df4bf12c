"""Reminders: written once per occurrence and recipient, sent once, retried, never lost."""

from __future__ import annotations

import datetime
import smtplib

import icalendar
import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection
from django.db.models import QuerySet
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
    """A mail server that has no such mailbox: a permanent refusal."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 Mailbox unavailable")})


class BusyBackend(BaseEmailBackend):
    """A mail server that says "try again later"."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (451, b"4.3.0 Try again later")})


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
        next_reminder_on=due - datetime.timedelta(days=2),
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
def test_it_remembers_which_due_date_it_reminded_of_and_reminds_again_when_it_moves(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=1)
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    activity = partnership.activities.get()
    partnership.activities.update(due_date=TODAY + datetime.timedelta(days=1))
    assert services.reminders.sweep() == 1
    with CaptureQueriesContext(connection) as queries:
        assert services.reminders.sweep() == 0
    assert not any("engagements_activityrole" in query["sql"] for query in queries)  # read no activity again
    # Moved to the day after: a new due date, a new reminder; then overdue, one more.
    partnership.activities.update(due_date=TODAY + datetime.timedelta(days=2))
    assert services.reminders.sweep() == 1
    partnership.activities.update(due_date=TODAY - datetime.timedelta(days=1))
    assert services.reminders.sweep() == 1
    assert services.reminders.sweep() == 0
    kinds = list(Reminder.objects.filter(subject_id=activity.pk).order_by("pk").values_list("kind", "due_on"))
    assert [kind for kind, _due in kinds] == ["activity_due", "activity_due", "activity_overdue"]


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


REFUSING = {"default": {"BACKEND": "tests.engagements.reminders.test_reminders.RefusingBackend"}}
BUSY = {"default": {"BACKEND": "tests.engagements.reminders.test_reminders.BusyBackend"}}


@pytest.mark.django_db
@override_settings(MAILERS=REFUSING)
def test_it_fails_a_refused_recipient_at_once_with_the_servers_reply(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    assert services.reminders.deliver() == 0
    rows = list(Reminder.objects.values_list("status", "attempts", "last_error"))
    assert {(status, attempts) for status, attempts, _error in rows} == {(ReminderStatus.FAILED, 1)}
    assert all(error.startswith("550 5.1.1 Mailbox unavailable") for _s, _a, error in rows)


@pytest.mark.django_db
def test_it_backs_off_from_a_busy_server_up_to_an_hour_and_fails_only_after_the_window(partnership, settings) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    settings.MAILERS = BUSY
    waits = []
    for _ in range(8):
        Reminder.objects.update(next_attempt_at=timezone.now())
        before = timezone.now()
        services.reminders.deliver()
        row = Reminder.objects.order_by("pk").first()
        assert row.status == ReminderStatus.PENDING and "451" in row.last_error
        waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 5, 15, 30, 60, 60, 60, 60]  # capped at an hour, and still trying
    # 48 hours after the first failure the window closes: the next failure is the last.
    Reminder.objects.update(
        next_attempt_at=timezone.now(), failing_since=timezone.now() - datetime.timedelta(hours=48, minutes=1)
    )
    services.reminders.deliver()
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.FAILED}


@pytest.mark.django_db
def test_it_delivers_what_waited_out_an_outage_on_the_next_run_without_a_manual_step(partnership, settings) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    settings.MAILERS = BUSY
    for _ in range(6):  # longer than the 81 minutes of backoff the outbox used to give up after
        Reminder.objects.update(next_attempt_at=timezone.now())
        services.reminders.deliver()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Reminder.objects.update(next_attempt_at=timezone.now())  # the backoff ran out
    assert services.outbox.deliverable_exists()
    assert services.reminders.deliver() == 2
    assert set(Reminder.objects.values_list("status", "failing_since")) == {(ReminderStatus.SENT, None)}


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
    assert services.outbox.reminders_begin_send(first.reminders, first.token) == []  # the dead claim cannot send
    assert services.outbox.reminders_begin_send(again.reminders[:1], again.token) == again.reminders[:1]
    assert services.outbox.reminders_mark_sent(first.reminders[:1], first.token) == 0
    assert services.outbox.reminders_mark_sent(again.reminders[:1], again.token) == 1


@pytest.mark.django_db
def test_it_marks_a_row_uncertain_when_its_worker_died_after_handing_it_to_the_mail_server(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    claim = services.outbox.reminders_claim(limit=10)
    services.outbox.reminders_begin_send(claim.reminders[:1], claim.token)  # intent stamped, then killed
    Reminder.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert services.reminders.deliver() == 1  # only the row that was never handed over
    assert len(mail.outbox) == 1
    maybe = Reminder.objects.get(pk=claim.reminders[0].pk)
    assert maybe.status == ReminderStatus.UNCERTAIN
    assert "may have been delivered" in maybe.last_error
    assert services.reminders.deliver() == 0  # never sent again blindly

    # "Send again", by a person, with the same Message-ID so a receiver can drop a copy.
    expected_id = services.outbox.message_id([maybe])
    assert services.outbox.reminder_send_again(maybe)
    assert services.reminders.deliver() == 1
    assert mail.outbox[-1].extra_headers["Message-ID"] == expected_id
    assert Reminder.objects.get(pk=maybe.pk).status == ReminderStatus.SENT


@pytest.mark.django_db
def test_it_stamps_sent_over_a_lost_database_connection_instead_of_sending_twice(partnership, monkeypatch) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    real_update = QuerySet.update
    lost = {"times": 2}

    def update(queryset, **changes):
        if changes.get("status") == ReminderStatus.SENT and lost["times"]:
            lost["times"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(queryset, **changes)

    monkeypatch.setattr(QuerySet, "update", update)
    monkeypatch.setattr(services.outbox, "RECONNECT_WAITS", (0, 0, 0))
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's transaction is the connection
    monkeypatch.setattr(type(connection), "in_atomic_block", False, raising=False)
    assert services.reminders.deliver() == 2
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


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
    # Each chunk is a transaction of its own (a savepoint and its release here): a chunk
    # of schedules with their facilitators and members (none, so no contacts), one insert,
    # one watermark update, then the empty next chunk; activities (none); a chunk of
    # commitments with their facilitators, contacts and partner users, one insert, one
    # update (reminded "due soon"), then the empty next chunk; and whether a health
    # check is about to close (none).
    assert len(queries) == (2 + 5) + 3 + 3 + (2 + 6) + 3 + 1
    # The repeat sweep finds nothing new (the watermarks wait for the late day, the
    # commitments were reminded): three empty chunks, and no health check closing.
    with CaptureQueriesContext(connection) as queries:
        assert services.reminders.sweep() == 0
    assert len(queries) == 3 + 3 + 3 + 1


@pytest.mark.django_db
def test_it_sends_only_the_rows_whose_lease_it_still_holds(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    claim = services.outbox.reminders_claim(limit=10)
    other = claim.reminders[0]
    Reminder.objects.filter(pk=other.pk).update(claim_token="someone-else")  # reclaimed meanwhile
    assert services.outbox.reminders_begin_send(claim.reminders, claim.token) == claim.reminders[1:]


@pytest.mark.django_db
def test_it_counts_an_abandoned_claim_as_an_attempt_and_fails_a_row_that_keeps_killing_workers(partnership) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()
    for attempt in range(1, services.outbox.MAX_ABANDONED + 1):
        claim = services.outbox.reminders_claim(limit=10)
        Reminder.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))  # the worker died
        if attempt < services.outbox.MAX_ABANDONED:
            assert len(claim.reminders) == 2
    assert services.outbox.reminders_claim(limit=10).reminders == []
    assert set(Reminder.objects.values_list("status", "attempts")) == {
        (ReminderStatus.FAILED, services.outbox.MAX_ABANDONED)
    }
    assert Reminder.objects.first().last_error == services.outbox.ABANDONED


@pytest.mark.django_db
def test_it_gives_back_the_untried_rows_of_a_batch_when_delivery_fails(partnership, monkeypatch) -> None:
    make_due(partnership.schedule)
    services.reminders.sweep()

    def broken(reminders, token, lease=None, **stamps):
        raise OperationalError("the database went away")

    monkeypatch.setattr(services.outbox, "reminders_begin_send", broken)
    with pytest.raises(OperationalError):
        services.reminders.deliver()
    # Not held for the lease: the next run (another worker) takes them at once.
    assert set(Reminder.objects.values_list("status", "claimed_until")) == {(ReminderStatus.PENDING, None)}


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
