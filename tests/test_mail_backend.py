"""config.mail.EmailBackend: Django's SMTP backend that reads the sender's address once."""

from __future__ import annotations

import smtplib
from email import message_from_bytes
from typing import Any

import pytest
from django.core.mail import EmailMessage, mailers

from bench.smtp_counter import SmtpCounter
from config.mail import EmailBackend
from engagements.services.outbox import failure_of


@pytest.fixture
def backend(settings) -> EmailBackend:
    """As settings.py configures it (not connected: only its address checks are used)."""
    settings.MAILERS = {
        "default": {"BACKEND": "config.mail.EmailBackend", "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 5}}
    }
    mailer = mailers.default
    assert isinstance(mailer, EmailBackend)
    return mailer


def test_it_reads_the_sender_once_and_every_recipient_each_time(
    backend: EmailBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailer = backend
    parsed: list[str] = []
    parse = EmailBackend.__mro__[1].prep_address

    def counting(self: EmailBackend, address: object, force_ascii: bool = True) -> str:
        parsed.append(str(address))
        return parse(self, address, force_ascii)

    monkeypatch.setattr(EmailBackend.__mro__[1], "prep_address", counting)
    for recipient in ("a@example.org", "b@example.org"):
        assert mailer.prep_address("Rekan <rekan@example.org>") == "rekan@example.org"
        assert mailer.prep_address(recipient) == recipient
    assert parsed == ["Rekan <rekan@example.org>", "a@example.org", "b@example.org"]
    # Another sender is read as Django reads it.
    assert mailer.prep_address("Lain <lain@contoh.पुणे.in>") == "lain@contoh." + "पुणे".encode("idna").decode() + ".in"


@pytest.mark.parametrize("address", ["two@example.org, addresses@example.org", "broken <x@example.org", "a\nb@x.org"])
def test_it_refuses_what_django_refuses_and_keeps_nothing_of_it(backend: EmailBackend, address: str) -> None:
    mailer = backend
    for _ in range(2):
        with pytest.raises(ValueError):
            mailer.prep_address(address)
    assert mailer.prep_address("ok@example.org") == "ok@example.org"


# --- Pipelining (RFC 2920) ------------------------------------------------------


def _mailer(settings, server: SmtpCounter) -> EmailBackend:
    settings.MAILERS = {
        "default": {
            "BACKEND": "config.mail.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    mailer = mailers.default
    assert isinstance(mailer, EmailBackend)
    return mailer


def _message(to: str, body: str = "Halo.\n") -> EmailMessage:
    return EmailMessage("Pengingat", body, "Rekan <rekan@example.org>", [to])


def test_it_sends_mail_rcpt_and_data_in_one_write_where_the_server_announces_pipelining(settings) -> None:
    with SmtpCounter(keep=True) as server:
        mailer = _mailer(settings, server)
        body = "Baris satu.\n.baris yang mulai dengan titik\n..dan dua titik\n"
        assert mailer.send_messages([_message("a@example.org", body), _message("b@example.org")]) == 2
        mailer.close()
    assert server.counts == {"a@example.org": 1, "b@example.org": 1}
    # Each message: its commands in one read, then the message itself.
    assert server.reads[1:5] == [["MAIL", "RCPT", "DATA"], ["(message)"], ["MAIL", "RCPT", "DATA"], ["(message)"]]
    received = message_from_bytes(server.messages[0])
    assert received["To"] == "a@example.org"
    payload = received.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert payload.decode().replace("\r\n", "\n") == body  # dots as written


def test_without_pipelining_it_talks_one_command_at_a_time_as_smtplib_does(settings) -> None:
    with SmtpCounter(keep=True, pipelining=False) as server:
        mailer = _mailer(settings, server)
        assert mailer.send_messages([_message("a@example.org")]) == 1
        mailer.close()
    assert server.counts == {"a@example.org": 1}
    assert server.reads[1:5] == [["MAIL"], ["RCPT"], ["DATA"], ["(message)"]]


# (what the server refuses, what the client raises, the code it carries, whether the outbox gives up)
REFUSALS = [
    ({"refuse": ["gone@example.org"]}, (smtplib.SMTPRecipientsRefused, 550, True)),
    ({"defer": ["gone@example.org"]}, (smtplib.SMTPRecipientsRefused, 451, False)),
    ({"defer_at_data": ["gone@example.org"]}, (smtplib.SMTPDataError, 451, False)),
    # Our own sender refused is our configuration: the reminders wait for the fix.
    ({"refuse_senders": ["rekan@example.org"]}, (smtplib.SMTPSenderRefused, 550, False)),
]


@pytest.mark.parametrize(("server_options", "expected"), REFUSALS)
@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one-by-one"])
def test_a_refusal_raises_what_smtplib_raises_and_the_connection_carries_the_next_message(
    settings, server_options: dict[str, Any], expected: tuple[type[Exception], int, bool], pipelining: bool
) -> None:
    error_class, code, permanent = expected
    with SmtpCounter(pipelining=pipelining, **server_options) as server:
        mailer = _mailer(settings, server)
        mailer.open()
        with pytest.raises(error_class) as raised:
            mailer.send_messages([_message("gone@example.org")])
        if "refuse_senders" not in server_options:
            assert mailer.send_messages([_message("here@example.org")]) == 1
        mailer.close()
    error = raised.value
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        assert error.recipients["gone@example.org"][0] == code
    else:
        assert isinstance(error, smtplib.SMTPResponseException)
        assert error.smtp_code == code
    # So the outbox reads it the same whichever way it was sent.
    assert failure_of(error).permanent is permanent
    assert "gone@example.org" not in server.counts
    if "refuse_senders" not in server_options:
        assert server.counts == {"here@example.org": 1}
