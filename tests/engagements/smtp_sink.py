"""A real SMTP server on 127.0.0.1 that keeps what it accepts, for tests.

``SmtpSink`` runs aiosmtpd's ``Controller`` in its own thread on a free
loopback port and keeps every message it accepts, parsed and as the raw
bytes it read. It can answer as real servers do when things go wrong, so
Django's SMTP backend raises exactly what it would raise in production:

- ``refuse``: ``550`` at RCPT TO for these addresses (no such mailbox):
  ``SMTPRecipientsRefused``, a permanent failure;
- ``defer`` (or ``defer_everyone()``): ``451`` at RCPT TO (greylisting, a
  full mailbox): ``SMTPRecipientsRefused`` with a 4xx, a temporary failure;
- ``defer_at_data``: reads the whole message, then answers ``451`` at the end
  of DATA: ``SMTPDataError``; the refused message is kept in
  ``refused_messages``, so a test can compare the Message-ID of each try;
- ``delay``: a slow relay, that many seconds before each ``250``;
- ``pause_after(n)``: when the n-th message has been read and kept, the sink
  holds back its ``250`` and sets the returned ``threading.Event``: the
  client is then between the server taking the message and hearing so, the
  moment a test kills it (or its database connection) to see what happens.
  ``resume()`` sends the ``250``.

Use it as a context manager, or start() and stop() it from a fixture's finalizer::

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
from email.parser import BytesHeaderParser
from types import TracebackType

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
REFUSED = "550 5.1.1 Mailbox unavailable"
DEFERRED = "451 4.3.0 Mailbox temporarily unavailable, try again later"
ACCEPTED = "250 Message accepted for delivery"

# A held "250" is given up after this long, well within the client's 30 s timeout.
LONGEST_PAUSE = 25.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _lower(addresses: Iterable[str]) -> set[str]:
    return {address.lower() for address in addresses}


class SinkHandler:
    """aiosmtpd handler: accepts everything except what the test asked it to refuse or defer."""

    def __init__(
        self, refuse: Iterable[str] = (), defer: Iterable[str] = (), defer_at_data: Iterable[str] = (), delay: float = 0
    ) -> None:
        self.refuse = _lower(refuse)
        self.defer = _lower(defer)
        self.defer_at_data = _lower(defer_at_data)
        self.defer_all = False
        self.delay = delay
        self.counts: Counter[str] = Counter()
        # Kept as received and parsed when a test asks: parsing each message
        # here would make the sink, not the sender, what a benchmark measures.
        self.raw: list[bytes] = []
        self.refusals: Counter[str] = Counter()
        self.deferrals: Counter[str] = Counter()
        self.refused_raw: list[bytes] = []
        self.pause_at: int | None = None
        self.paused = threading.Event()
        self.resumed = threading.Event()
        # aiosmtpd calls the hooks on its own event-loop thread.
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        key = address.lower()
        with self.lock:
            if key in self.refuse:
                self.refusals[key] += 1
                return REFUSED
            if self.defer_all or key in self.defer:
                self.deferrals[key] += 1
                return DEFERRED
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content
        recipients = _lower(envelope.rcpt_tos)
        with self.lock:
            if recipients & self.defer_at_data:
                self.refused_raw.append(raw)
                for recipient in recipients:
                    self.deferrals[recipient] += 1
                return DEFERRED
            self.raw.append(raw)
            for recipient in recipients:
                self.counts[recipient] += 1
            hold = self.pause_at is not None and len(self.raw) == self.pause_at
            if hold:
                self.pause_at = None
                self.paused.set()
        if hold:
            # The message is in; the client still waits for "250".
            deadline = time.monotonic() + LONGEST_PAUSE
            while not self.resumed.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        if self.delay:
            # A slow relay.
            await asyncio.sleep(self.delay)
        return ACCEPTED


class SmtpSink:
    def __init__(
        self,
        *,
        refuse: Iterable[str] = (),
        defer: Iterable[str] = (),
        defer_at_data: Iterable[str] = (),
        delay: float = 0,
    ) -> None:
        self.handler = SinkHandler(refuse, defer, defer_at_data, delay)
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
        self.resume()  # a held reply must not keep the server from stopping
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None):
        self.stop()

    # --- What it received ---------------------------------------------------

    @property
    def counts(self) -> Counter[str]:
        """Messages received per recipient address (lower-cased), as a copy."""
        with self.handler.lock:
            return Counter(self.handler.counts)

    @property
    def refusals(self) -> Counter[str]:
        """Permanent refusals (550 at RCPT TO) per address."""
        with self.handler.lock:
            return Counter(self.handler.refusals)

    @property
    def deferrals(self) -> Counter[str]:
        """Temporary refusals (451 at RCPT TO or at the end of DATA) per address."""
        with self.handler.lock:
            return Counter(self.handler.deferrals)

    @property
    def messages(self) -> list[Message]:
        return [message_from_bytes(raw) for raw in self.raw_messages]

    @property
    def raw_messages(self) -> list[bytes]:
        """The accepted messages exactly as they came over the wire (after DATA's dot-unstuffing)."""
        with self.handler.lock:
            return list(self.handler.raw)

    @property
    def refused_messages(self) -> list[Message]:
        """The messages read in full and then answered 451 (``defer_at_data``)."""
        with self.handler.lock:
            refused = list(self.handler.refused_raw)
        return [message_from_bytes(raw) for raw in refused]

    @property
    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID was accepted: a 2 is a reminder that went out twice."""
        headers = BytesHeaderParser()
        return Counter(str(headers.parsebytes(raw)["Message-ID"]) for raw in self.raw_messages)

    @property
    def total(self) -> int:
        with self.handler.lock:
            return len(self.handler.raw)

    def wait_for_total(self, expected: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.total >= expected:
                return True
            time.sleep(0.1)
        return self.total >= expected

    # --- How it answers -----------------------------------------------------

    def refuse(self, *addresses: str) -> None:
        with self.handler.lock:
            self.handler.refuse.update(_lower(addresses))

    def defer(self, *addresses: str) -> None:
        with self.handler.lock:
            self.handler.defer.update(_lower(addresses))

    def defer_everyone(self, on: bool = True) -> None:
        """451 at RCPT TO for every recipient (an outage upstream), or back to normal."""
        with self.handler.lock:
            self.handler.defer_all = on

    def accept(self, *addresses: str) -> None:
        """Stop refusing or deferring these addresses."""
        lowered = _lower(addresses)
        with self.handler.lock:
            for rule in (self.handler.refuse, self.handler.defer, self.handler.defer_at_data):
                rule.difference_update(lowered)

    def pause_after(self, count: int) -> threading.Event:
        """Hold back the "250" of the ``count``-th accepted message; the event is set when it is held."""
        with self.handler.lock:
            assert count > len(self.handler.raw), "that message was already accepted"
            self.handler.pause_at = count
            self.handler.paused.clear()
            self.handler.resumed.clear()
        return self.handler.paused

    def resume(self) -> None:
        """Send the held "250" (to a client that may be gone)."""
        self.handler.resumed.set()

    # --- Pointing Django at it ----------------------------------------------

    @property
    def mailer(self) -> dict[str, object]:
        """The MAILERS["default"] entry that sends to this sink."""
        return {
            "BACKEND": "config.mail.EmailBackend",
            "OPTIONS": {"host": HOST, "port": self.port, "timeout": 30},
        }

    @property
    def environment(self) -> dict[str, str]:
        """What a subprocess (a Celery worker) needs to send here."""
        return {"EMAIL_BACKEND": "smtp", "EMAIL_HOST": HOST, "EMAIL_PORT": str(self.port)}
