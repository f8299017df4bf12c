"""A reminder as the mail server receives it: RFC 8058 headers as plain lines, one Message-ID for every try.

The bytes are read off a real SMTP session (``tests.engagements.smtp_sink``),
not from Django's message object: what matters is what the mail server, and
after it a mail client, gets to parse.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone

from accounts.models import User
from engagements import access, emails, services
from engagements.models import CheckInSchedule, Partnership, Reminder, ReminderStatus
from partners.models import Contact, Organization
from tests.engagements.builders import build_partnership
from tests.engagements.smtp_sink import DEFERRED, SmtpSink
from tests.factories import OrganizationFactory

CONTACT = "bu.sri@example.org"


@pytest.fixture
def partnership(facilitator: User, org_a: Organization) -> Partnership:
    """Its check-in is due tomorrow: the sweep writes one reminder for its facilitator, one for Bu Sri."""
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    Contact.objects.create(organization=org_a, name="Bu Sri", email=CONTACT, consent_to_contact=True)
    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=2)
    services.checkins.schedule_save(user=facilitator, schedule=schedule)
    today = timezone.localdate()
    due = today + datetime.timedelta(days=1)
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        due_on=due,
        planned_on=due,
        remind_from=today - datetime.timedelta(days=1),
        late_from=today + datetime.timedelta(days=5),
        dormant_from=today + datetime.timedelta(days=60),
        next_reminder_on=today - datetime.timedelta(days=1),
    )
    return partnership


@pytest.fixture
def sink(settings) -> Iterator[SmtpSink]:
    with SmtpSink() as smtp:
        settings.MAILERS = {"default": smtp.mailer}
        yield smtp


def header_lines(raw: bytes) -> list[bytes]:
    """The header block, one physical line each (a folded header shows as its continuation lines)."""
    head, _blank, _body = raw.partition(b"\r\n\r\n")
    return head.split(b"\r\n")


def message_id_of(raw: bytes) -> bytes:
    (line,) = [line for line in header_lines(raw) if line.lower().startswith(b"message-id:")]
    return line.split(b":", 1)[1].strip()


@pytest.mark.django_db
def test_it_sends_the_one_click_unsubscribe_headers_as_plain_lines_exactly_as_rfc_8058_shows(
    partnership: Partnership, sink: SmtpSink, settings
) -> None:
    # A link long enough that the usual 78 columns would fold or encode the header.
    settings.SITE_URL = "https://rekan.example"
    assert services.reminders.sweep() == 2
    assert services.reminders.deliver() == 2

    assert len(sink.raw_messages) == 2
    for raw in sink.raw_messages:
        lines = header_lines(raw)
        row = Reminder.objects.get(email=next(line for line in lines if line.startswith(b"To: "))[4:].decode())
        (unsubscribe,) = [n for n, line in enumerate(lines) if line.lower().startswith(b"list-unsubscribe:")]
        link = re.fullmatch(rb"List-Unsubscribe: <(https://rekan\.example/unsubscribe/([!-~]+)/)>", lines[unsubscribe])
        assert link, lines[unsubscribe]
        # The row's own signed link (signed when the email was written, so compared by what it says).
        assert access.recipient_from_token(link[2].decode()) == row.recipient_key
        assert len(lines[unsubscribe]) > 78
        # Not folded: the next line is another header, not a continuation of this one.
        assert not lines[unsubscribe + 1][:1].isspace()
        assert b"=?" not in lines[unsubscribe]
        assert lines.count(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click") == 1
        # The Message-ID is the row's own, as the outbox derives it.
        assert message_id_of(raw) == services.outbox.message_id([row]).encode()


@pytest.mark.django_db
def test_it_gives_a_retried_reminder_the_same_message_id_on_every_try(partnership: Partnership, settings) -> None:
    with SmtpSink(defer_at_data=[CONTACT]) as sink:
        settings.MAILERS = {"default": sink.mailer}
        assert services.reminders.sweep() == 2
        # The server reads Bu Sri's message, then answers 451: a temporary failure.
        assert services.reminders.deliver() == 1
        row = Reminder.objects.get(email=CONTACT)
        assert (row.status, row.attempts, row.last_error) == (ReminderStatus.PENDING, 1, DEFERRED)
        (refused,) = sink.refused_messages
        first_try = str(refused["Message-ID"])

        # The minute of backoff passes and the server takes it.
        sink.accept(CONTACT)
        Reminder.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        assert services.reminders.deliver() == 1
        row.refresh_from_db()
        assert (row.status, row.attempts) == (ReminderStatus.SENT, 2)
        (accepted,) = [message for message in sink.messages if message["To"] == CONTACT]

    assert str(accepted["Message-ID"]) == first_try == services.outbox.message_id([row])
    (raw,) = [raw for raw in sink.raw_messages if f"To: {CONTACT}".encode() in header_lines(raw)]
    assert message_id_of(raw).decode() == first_try


def without_links(text: str) -> str:
    return re.sub(r"/unsubscribe/\S+", "/unsubscribe/…", text)


def physical_lines(raw: bytes) -> list[bytes]:
    assert b"\r" not in raw.replace(b"\r\n", b""), "a bare CR"
    assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
    return raw.split(b"\r\n")


@pytest.mark.django_db
def test_it_writes_a_title_in_any_script_as_encoded_words_and_quoted_printable_that_read_back_exactly(
    partnership: Partnership, sink: SmtpSink
) -> None:
    title = "Kebun “Sayur Organik” 🌾 Desa Wonosari — ꦱꦼꦠꦺꦴ " + "panjang " * 12
    Partnership.objects.filter(pk=partnership.pk).update(title=title.strip())
    assert services.reminders.sweep() == 2
    assert services.reminders.deliver() == 2

    for raw in sink.raw_messages:
        lines = physical_lines(raw)
        assert max(len(line) for line in lines) <= 998
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        row = Reminder.objects.get(email=parsed["To"])
        written = emails.reminder_message(row)
        # The subject went out as RFC 2047 encoded words of at most 75 characters each.
        subject_lines = [line for line in header_lines(raw) if line.startswith(b"Subject:")]
        assert subject_lines and all(len(word) <= 75 for word in re.findall(rb"=\?utf-8\?q\?[^?]*\?=", raw))
        assert parsed["Subject"] == written.subject
        assert title.strip()[:20] in parsed["Subject"]
        text = parsed.get_body(("plain",))
        html = parsed.get_body(("html",))
        assert text["Content-Transfer-Encoding"] == html["Content-Transfer-Encoding"] == "quoted-printable"
        # The same text, but for the unsubscribe link, signed anew (with the time) when written again.
        assert without_links(text.get_content().replace("\r\n", "\n")) == without_links(written.body)
        assert "Sayur Organik" in html.get_content()
        assert parsed["MIME-Version"] == "1.0"
        assert email.utils.parsedate_to_datetime(parsed["Date"]).tzinfo is not None


@pytest.mark.django_db
def test_it_writes_an_address_with_a_non_ascii_domain_the_standard_way(
    partnership: Partnership, sink: SmtpSink, org_a: Organization
) -> None:
    # Not Rekan's usual plain header: the message is written by Django's own way, which IDNA-encodes the domain.
    Contact.objects.create(organization=org_a, name="Pak Budi", email="budi@contoh.पुणे.in", consent_to_contact=True)
    assert services.reminders.sweep() == 3
    assert services.reminders.deliver() == 3

    (raw,) = [raw for raw in sink.raw_messages if b"budi@" in raw]
    physical_lines(raw)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["To"] == "budi@contoh." + "पुणे".encode("idna").decode() + ".in"
    assert parsed["List-Unsubscribe"].startswith("<http")
    assert Reminder.objects.get(email="budi@contoh.पुणे.in").status == ReminderStatus.SENT
