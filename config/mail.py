"""Django's SMTP backend, with the sender's address read once instead of once a message.

Delivery sends thousands of reminders over one connection, all from
DEFAULT_FROM_EMAIL. Django checks each message's sender and recipients with
the mail library's address parser, which costs as much as writing the rest
of the message's headers (bench/README.md). The recipients differ from one
message to the next; the sender does not, so its answer is kept.
"""

from __future__ import annotations

from django.core.mail.backends import smtp


class EmailBackend(smtp.EmailBackend):
    _sender: tuple[str, bool, str] | None = None

    def prep_address(self, address: object, force_ascii: bool = True) -> str:
        text = str(address)
        if self._sender is not None and self._sender[:2] == (text, force_ascii):
            return self._sender[2]
        prepared = super().prep_address(text, force_ascii=force_ascii)
        if self._sender is None:  # the first address a backend prepares is its first message's sender
            self._sender = (text, force_ascii, prepared)
        return prepared
