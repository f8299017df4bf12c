"""A real HTTP server on 127.0.0.1 that speaks the WhatsApp Cloud API's messages endpoint, for tests.

``GraphApi`` runs a ``ThreadingHTTPServer`` in its own thread on a free
loopback port and answers ``POST /<version>/<phone number id>/messages`` as
the Cloud API documents it, so Rekan's client meets the real request and
response shapes over real HTTP (never a mock of the client function):

- a template message from the right token gets ``200`` and
  ``{"messaging_product": "whatsapp", "contacts": [...], "messages": [{"id": "wamid..."}]}``;
  it is kept in ``accepted`` (the parsed body) with its message id;
- a wrong or missing token gets ``401`` with error code 190; a body that is
  not a template message to a number gets ``400`` with error code 100;
- ``answer_next(status, code, message)`` queues refusals, as the API gives
  them: ``429`` with 130429 (rate limit), ``400`` with 131026 (not a
  WhatsApp number), ``500`` with 131000; ``refuse_numbers`` refuses some
  numbers for good;
- ``pause_after(n)``: the n-th accepted message is kept, then its answer held
  back (the event is set) until ``resume()``: the moment a test kills the
  worker that sent it.

https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

HOST = "127.0.0.1"
VERSION = "v23.0"
PHONE_NUMBER_ID = "106540352242922"
TOKEN = "test-access-token"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
LONGEST_PAUSE = 25.0


@dataclass(frozen=True)
class Refusal:
    status: int
    code: int
    message: str

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": f"(#{self.code}) {self.message}",
                "type": "OAuthException",
                "code": self.code,
                "error_data": {"messaging_product": "whatsapp", "details": self.message},
                "fbtrace_id": "AbCdEfGh",
            }
        }


RATE_LIMITED = Refusal(429, 130429, "Rate limit hit")
NOT_ON_WHATSAPP = Refusal(400, 131026, "Message undeliverable")
SERVER_ERROR = Refusal(500, 131000, "Something went wrong")


class GraphApi:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[dict[str, Any]] = []
        self.message_ids: list[str] = []
        self.requests = 0
        self.authorizations: list[str] = []
        self.refusals: deque[Refusal] = deque()
        self.refuse_numbers: set[str] = set()
        self.pause_at = 0
        self.paused = threading.Event()
        self.resumed = threading.Event()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer((HOST, 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- Life -----------------------------------------------------------------

    def start(self) -> GraphApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.resumed.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> GraphApi:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/{VERSION}"

    @property
    def settings(self) -> dict[str, str]:
        """The settings (and, as strings, the environment of a worker) that point Rekan here."""
        return {
            "WHATSAPP_TOKEN": TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_API_URL": self.url,
        }

    # --- What it received -----------------------------------------------------

    @property
    def total(self) -> int:
        with self.lock:
            return len(self.accepted)

    def counts(self) -> Counter[tuple[str, str]]:
        """(number, first parameter) of each accepted message: one per reminder row."""
        with self.lock:
            return Counter((body["to"], _parameters(body)[0]) for body in self.accepted)

    def wait_for_total(self, expected: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.total < expected:
            time.sleep(0.1)
        return self.total >= expected

    # --- How it answers -------------------------------------------------------

    def answer_next(self, *refusals: Refusal) -> None:
        with self.lock:
            self.refusals.extend(refusals)

    def pause_after(self, count: int) -> threading.Event:
        with self.lock:
            assert count > len(self.accepted), "that message was already accepted"
            self.pause_at = count
            self.paused.clear()
            self.resumed.clear()
        return self.paused

    def resume(self) -> None:
        self.resumed.set()

    def _answer(self, authorization: str, path: str, body: object) -> tuple[int, dict[str, Any], bool]:
        """(status, JSON body, hold the answer back) for one request."""
        with self.lock:
            self.requests += 1
            self.authorizations.append(authorization)
            if authorization != f"Bearer {TOKEN}":
                return 401, Refusal(401, 190, "Invalid OAuth access token").body(), False
            if path != f"/{VERSION}/{PHONE_NUMBER_ID}/messages" or not _is_template_message(body):
                return 400, Refusal(400, 100, "Invalid parameter").body(), False
            assert isinstance(body, dict)
            if self.refusals:
                refusal = self.refusals.popleft()
                return refusal.status, refusal.body(), False
            if body["to"] in self.refuse_numbers:
                return NOT_ON_WHATSAPP.status, NOT_ON_WHATSAPP.body(), False
            message_id = f"wamid.TEST{next(self._ids):06d}"
            self.accepted.append(body)
            self.message_ids.append(message_id)
            hold = len(self.accepted) == self.pause_at
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": body["to"]}],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }
        return 200, answer, hold

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the Graph API does

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                status, answer, hold = api._answer(self.headers.get("Authorization", ""), self.path, body)
                if hold:
                    api.paused.set()
                    api.resumed.wait(LONGEST_PAUSE)
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client is gone (killed while the answer was held)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def _parameters(body: dict[str, Any]) -> list[str]:
    (component,) = body["template"]["components"]
    return [parameter["text"] for parameter in component["parameters"]]


def _is_template_message(body: object) -> bool:
    try:
        assert isinstance(body, dict)
        assert body["messaging_product"] == "whatsapp" and body["type"] == "template"
        assert str(body["to"]).isdigit()
        assert body["template"]["name"] and body["template"]["language"]["code"]
        parameters = _parameters(body)
        # WhatsApp refuses a parameter with a line break or a tab (error 132018 in life; 100 here).
        return all(parameter and "\n" not in parameter and "\t" not in parameter for parameter in parameters)
    except (AssertionError, KeyError, TypeError, ValueError):
        return False


def parameters_of(body: dict[str, Any]) -> list[str]:
    return _parameters(body)
