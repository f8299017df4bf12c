"""A real SMTP server on 127.0.0.1 that keeps what it accepts, for tests.

``SmtpSink`` runs aiosmtpd's ``Controller`` in its own thread on a free
loopback port, counts the messages each recipient received, and answers
``550`` at RCPT TO for the addresses in ``refuse`` (a mailbox that does not
exist), so Django's SMTP backend raises ``SMTPRecipientsRefused`` exactly as
it would against a real server; ``delay`` makes it a slow relay that takes
that many seconds to accept each message. Use it as a context manager, or start() and
stop() it from a fixture's finalizer::

    with SmtpSink(refuse={"gone@example.org"}) as sink:
        ...  # EMAIL_HOST=127.0.0.1 EMAIL_PORT=sink.port
        assert sink.wait_for_total(10, timeout=30)
        assert sink.counts["someone@example.org"] == 1

``mailer`` gives the MAILERS entry that points Django at the sink in-process;
a subprocess gets ``EMAIL_BACKEND=smtp EMAIL_HOST=127.0.0.1 EMAIL_PORT=<port>``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable
from email import message_from_bytes
from email.message import Message
from types import TracebackType

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
REFUSED = "550 5.1.1 Mailbox unavailable"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SinkHandler:
    """aiosmtpd handler: accepts everything except the refused recipients."""

    def __init__(self, refuse: Iterable[str] = (), delay: float = 0) -> None:
        self.refuse = {address.lower() for address in refuse}
        self.delay = delay
        self.counts: Counter[str] = Counter()
        self.messages: list[Message] = []
        self.refusals: Counter[str] = Counter()
        # aiosmtpd calls the hooks on its own event-loop thread.
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        if address.lower() in self.refuse:
            with self.lock:
                self.refusals[address.lower()] += 1
            return REFUSED
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append(message)
            for recipient in envelope.rcpt_tos:
                self.counts[recipient.lower()] += 1
        if self.delay:
            # A slow relay: the message is in, the client still waits for "250".
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, *, refuse: Iterable[str] = (), delay: float = 0) -> None:
        self.handler = SinkHandler(refuse, delay)
        self.controller: Controller | None = None
        self.port = 0

    def start(self) -> SmtpSink:
        # aiosmtpd logs every SMTP command at INFO: a failing test's report would drown in it.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        # free_port() can race with another process taking the port: try again.
        for _attempt in range(5):
            port = free_port()
            controller = Controller(self.handler, hostname=HOST, port=port, ready_timeout=10)
            try:
                controller.start()
            except (OSError, RuntimeError, TimeoutError):
                controller.stop(no_assert=True)
                continue
            self.controller, self.port = controller, port
            return self
        raise RuntimeError("Could not start the SMTP sink on a free port.")

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None):
        self.stop()

    @property
    def counts(self) -> Counter[str]:
        """Messages received per recipient address (lower-cased), as a copy."""
        with self.handler.lock:
            return Counter(self.handler.counts)

    @property
    def refusals(self) -> Counter[str]:
        with self.handler.lock:
            return Counter(self.handler.refusals)

    @property
    def messages(self) -> list[Message]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def total(self) -> int:
        with self.handler.lock:
            return len(self.handler.messages)

    def refuse(self, *addresses: str) -> None:
        with self.handler.lock:
            self.handler.refuse.update(address.lower() for address in addresses)

    def wait_for_total(self, expected: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.total >= expected:
                return True
            time.sleep(0.1)
        return self.total >= expected

    @property
    def mailer(self) -> dict[str, object]:
        """The MAILERS["default"] entry that sends to this sink."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": HOST, "port": self.port, "timeout": 10},
        }

    @property
    def environment(self) -> dict[str, str]:
        """What a subprocess (a Celery worker) needs to send here."""
        return {"EMAIL_BACKEND": "smtp", "EMAIL_HOST": HOST, "EMAIL_PORT": str(self.port)}
