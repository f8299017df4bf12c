"""config.mail.EmailBackend: Django's SMTP backend that reads the sender's address once."""

from __future__ import annotations

import pytest
from django.core.mail import mailers

from config.mail import EmailBackend


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
