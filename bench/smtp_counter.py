"""A lean SMTP server on loopback that accepts everything and counts it, for the delivery benchmark.

``tests.engagements.smtp_sink`` (aiosmtpd) is what the tests use: it can
refuse, defer and hold replies. It is also written for that, not for speed:
on this benchmark's two cores it took about a third of a core while a
worker sent 300 emails a second, CPU that the worker's no-op tasks, the
other half of the comparison, never have to share. A production mail relay
runs elsewhere, so the benchmark should measure Rekan's side of the
conversation, not its test server's.

This one speaks the part of RFC 5321 that Django's SMTP backend uses
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) with an ``asyncio.Protocol``
in a thread of its own, announces PIPELINING (RFC 2920) as production
relays do, answers every command found in one read with one write, and
counts each accepted message's recipients. ``keep=True`` also keeps the
messages (dot-unstuffed) and the commands of each read, and ``refuse``,
``defer``, ``refuse_senders`` and ``defer_at_data`` answer 550 or 451 as
real servers do: what ``tests/test_mail_backend.py`` needs to check the
pipelined client (``config.mail``). The fault tests use ``SmtpSink``.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from collections.abc import Iterable
from types import TracebackType

HOST = "127.0.0.1"
END_OF_DATA = b"\r\n.\r\n"
REFUSED = b"550 5.1.1 Mailbox unavailable\r\n"
DEFERRED = b"451 4.3.0 Try again later\r\n"


class _Session(asyncio.Protocol):
    def __init__(self, counter: SmtpCounter) -> None:
        self.counter = counter
        self.buffer = b""
        self.in_data = False
        self.recipients: list[str] = []
        self.sender_ok = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(b"220 rekan-bench ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies, verbs = [], []
        while True:
            if self.in_data:
                # A message starts right after "354", so the first line needs the
                # leading CRLF to be found by the same search.
                end = (b"\r\n" + self.buffer).find(END_OF_DATA)
                if end < 0:
                    break
                message, self.buffer = self.buffer[: max(end, 0)], self.buffer[max(end + 3, 0) :]
                self.in_data = False
                replies.append(self.counter.accepted(self.recipients, message))
                self.recipients, self.sender_ok = [], False
                verbs.append("(message)")
                continue
            line, sep, rest = self.buffer.partition(b"\r\n")
            if not sep:
                break
            self.buffer = rest
            verbs.append(line[:4].decode("ascii", "replace").upper())
            replies.append(self.command(line))
        self.counter.read(verbs)
        if replies and self.transport is not None:
            self.transport.write(b"".join(replies))

    def command(self, line: bytes) -> bytes:
        verb = line[:4].upper()
        address = line.partition(b":")[2].strip().split(b" ")[0].strip(b"<>").decode("utf-8", "replace").lower()
        if verb == b"EHLO":
            pipelining = b"250-PIPELINING\r\n" if self.counter.pipelining else b""
            return b"250-rekan-bench\r\n" + pipelining + b"250-8BITMIME\r\n250 SMTPUTF8\r\n"
        if verb == b"MAIL":
            self.sender_ok = address not in self.counter.refuse_senders
            return b"250 OK\r\n" if self.sender_ok else REFUSED
        if verb == b"RCPT":
            if not self.sender_ok:
                return b"503 5.5.1 Error: need MAIL command\r\n"
            if address in self.counter.refuse:
                return REFUSED
            if address in self.counter.defer:
                return DEFERRED
            self.recipients.append(address)
            return b"250 OK\r\n"
        if verb == b"DATA":
            if not self.recipients:
                return b"554 5.5.1 Error: no valid recipients\r\n"
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"RSET":
            self.recipients, self.sender_ok = [], False
            return b"250 OK\r\n"
        if verb == b"QUIT":
            assert self.transport is not None
            self.transport.write(b"221 Bye\r\n")
            self.transport.close()
            return b""
        return b"250 OK\r\n"  # HELO, MAIL, NOOP


class SmtpCounter:
    """Start with ``with SmtpCounter() as sink:``; ``sink.environment`` points a subprocess's Django at it."""

    def __init__(
        self,
        *,
        keep: bool = False,
        pipelining: bool = True,
        refuse: Iterable[str] = (),
        defer: Iterable[str] = (),
        refuse_senders: Iterable[str] = (),
        defer_at_data: Iterable[str] = (),
    ) -> None:
        self.port = 0
        self.keep = keep
        self.pipelining = pipelining
        self.refuse = {address.lower() for address in refuse}
        self.defer = {address.lower() for address in defer}
        self.refuse_senders = {address.lower() for address in refuse_senders}
        self.defer_at_data = {address.lower() for address in defer_at_data}
        self.messages: list[bytes] = []  # with keep: as the client meant them (dots unstuffed)
        self.reads: list[list[str]] = []  # with keep: the commands found in each read
        self._counts: Counter[str] = Counter()
        self._total = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def accepted(self, recipients: list[str], message: bytes) -> bytes:
        """The reply to the end of a message's DATA."""
        if self.defer_at_data & set(recipients):
            return DEFERRED
        with self._lock:
            self._total += 1
            self._counts.update(recipients)
            if self.keep:
                self.messages.append(re.sub(rb"(?m)^\.\.", b".", message))
        return b"250 OK queued\r\n"

    def read(self, verbs: list[str]) -> None:
        if self.keep and verbs:
            with self._lock:
                self.reads.append(verbs)

    @property
    def total(self) -> int:
        with self._lock:
            return self._total

    @property
    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    @property
    def environment(self) -> dict[str, str]:
        return {"EMAIL_BACKEND": "smtp", "EMAIL_HOST": HOST, "EMAIL_PORT": str(self.port)}

    def __enter__(self) -> SmtpCounter:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            self._loop.create_server(lambda: _Session(self), HOST, 0), self._loop
        )
        self._server = started.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None):
        # asyncio objects belong to their loop's thread: closed there, then the loop stops.
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
