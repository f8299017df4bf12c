"""How fast the pages answer at a provincial programme's size: gunicorn, production settings, PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/pages.py --scale 0.1 1

Each scale (1 = issue 13's LARGE portfolio: 10,000 organizations, 2,000
partnerships with one facilitator on every one of them, and the rest; see
bench/seed.py) gets a throwaway database of its own with the portfolio seeded
into it, and a gunicorn of its own with 2 workers and production settings
(DEBUG off, a random SECRET_KEY, the cache and the page cache on Redis,
DATABASE_CONN_MAX_AGE=60 as docker-compose.yml sets it; only
SECURE_SSL_REDIRECT is off, since loopback speaks plain HTTP) on a free
loopback port. It logs the facilitator, a partner member of the busy group and
nobody (the share page) in by writing their sessions, and drives every page
they use with wrk (Debian package ``wrk``; a small load generator of Python
threads when wrk is missing), each for ``--duration`` seconds (longer for a
slow page, so that at least a few requests finish), at every scale back to
back, ``--runs`` times, with a trivial logged-in page (accounts' "no role"
page) first in each run. Then it reports, per page, the median over the runs
of requests per second, p50 and p95 latency, and the ratio to the trivial
page of the same run; the SQL queries and milliseconds of one request built
with the page cache off (Django's test client in this process, against the
same database), the bytes of the answer and gzip's size of them; and, with two
scales, how the p50 grew from the smallest to the largest.

It writes bench/results.json and bench/results.md (the Markdown table, also
printed), lists the pages that miss a budget of bench/budgets.py, and exits
with status 1 if any does. A page whose URL name does not exist is skipped
with a note. Progress goes to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from bench.seed import Portfolio

WORKERS = 2
CONNECTIONS = 4
THREADS = 2
DURATION = 5.0
RUNS = 3
# A slow page is driven longer, up to this long, so that about this many requests finish in each run.
MAX_DURATION = 30.0
MIN_RESPONSES = 10
REQUEST_TIMEOUT = 60  # seconds; gunicorn's own is the same (docker-compose.yml)
HOST = "127.0.0.1"
OUTPUT = ROOT / "bench"

FACILITATOR, PARTNER, VIEWER = "facilitator", "partner member", "share viewer"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    viewer: str
    url_name: str
    args: Callable[[Portfolio], list[Any]] = lambda _p: []
    query: Callable[[Portfolio], str] = lambda _p: ""
    htmx: bool = False
    # Lists every row: left out of the growth budget.
    export: bool = False


def _focal(portfolio: Portfolio) -> list[Any]:
    return [portfolio.focal_id]


TRIVIAL = Page("trivial", "trivial logged-in page (no role)", FACILITATOR, "accounts:no_role")
PAGES = [
    Page("today", "Today", FACILITATOR, "engagements:today"),
    Page("portfolio", "partnership list (portfolio)", FACILITATOR, "engagements:partnership_list"),
    Page("directory", "directory", FACILITATOR, "partners:directory"),
    Page(
        "directory_search", "directory ?q=", FACILITATOR, "partners:directory", query=lambda p: f"q={p.directory_query}"
    ),
    Page(
        "directory_results",
        "htmx directory results ?q=",
        FACILITATOR,
        "partners:directory",
        query=lambda p: f"q={p.directory_query}",
        htmx=True,
    ),
    Page(
        "organization",
        "organization profile (most interactions)",
        FACILITATOR,
        "partners:organization_detail",
        args=lambda p: [p.busy_organization_id],
    ),
    Page("directory_export", "directory CSV export", FACILITATOR, "partners:directory_export", export=True),
    Page("portfolio_export", "partnership list CSV export", FACILITATOR, "engagements:portfolio_export", export=True),
    Page("plan", "plan", FACILITATOR, "engagements:plan", args=_focal),
    Page("partnership", "partnership page", FACILITATOR, "engagements:partnership_detail", args=_focal),
    Page("goal", "goal", FACILITATOR, "engagements:goal_detail", args=lambda p: [p.focal_id, p.goal_id]),
    Page("check_in_form", "check-in form", FACILITATOR, "engagements:check_in_create", args=_focal),
    Page("reminder_log", "reminder log", FACILITATOR, "engagements:reminder_log"),
    Page("commitments", "commitments list", FACILITATOR, "engagements:commitment_list", args=_focal),
    Page("trust_log", "trust log", FACILITATOR, "engagements:trust_log", args=_focal),
    Page("lessons", "learning log (one partnership)", FACILITATOR, "engagements:lesson_list", args=_focal),
    Page(
        "learning_search",
        "learning search ?q=",
        FACILITATOR,
        "engagements:learning_search",
        query=lambda p: f"q={p.learning_query}",
    ),
    Page("risks", "risk list", FACILITATOR, "engagements:risk_list", args=_focal),
    Page("health", "health page", FACILITATOR, "engagements:health_detail", args=_focal),
    Page("partner_home", "partner home (our partnerships)", PARTNER, "engagements:our_partnerships"),
    Page("portal", "portal partnership page", PARTNER, "engagements:partnership_detail", args=_focal),
    Page("share", "share page", VIEWER, "engagements:shared_plan", args=lambda p: [p.share_token]),
]


def page_path(page: Page, portfolio: Portfolio) -> str | None:
    """The page's path and query, or None when its URL name does not exist (yet)."""
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(page.url_name, args=page.args(portfolio))
    except NoReverseMatch:
        return None
    query = page.query(portfolio)
    return f"{path}?{query}" if query else path


def session_cookies(portfolio: Portfolio) -> dict[str, str]:
    """A Cookie header for each viewer, from sessions written directly (the log-in form is throttled)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from accounts.middleware import LAST_SEEN_AT, LOGGED_IN_AT
    from accounts.models import User

    now = int(time.time())
    cookies = {}
    for viewer, user_id in ((FACILITATOR, portfolio.facilitator_id), (PARTNER, portfolio.partner_id)):
        user = User.objects.get(pk=user_id)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[LOGGED_IN_AT] = now
        session[LAST_SEEN_AT] = now
        session.create()
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        cookies[viewer] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    cookies[VIEWER] = ""
    return cookies


def request_headers(page: Page, cookies: dict[str, str]) -> dict[str, str]:
    headers = {"User-Agent": "rekan-bench"}
    if cookies[page.viewer]:
        headers["Cookie"] = cookies[page.viewer]
    if page.htmx:
        headers["HX-Request"] = "true"
    return headers


def query_count(path: str, headers: dict[str, str], *, profile: bool = False) -> tuple[int, int | str, float | None]:
    """Status, SQL queries and milliseconds of one request built in this process (the second of two).

    The page cache is off for it (``PAGE_CACHE_SECONDS=0``): the figures are
    what a page costs when something changed since it was last kept, where
    gunicorn's figures under load are mostly kept pages.
    A view that raises gives status 500 and the error's text instead of a count.
    With ``profile``, prints where that second request spent its time.
    """
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    sent = {name: value for name, value in headers.items() if name != "Cookie"}
    for part in headers.get("Cookie", "").split("; "):
        if "=" in part:
            name, value = part.split("=", 1)
            client.cookies[name] = value
    profiler = cProfile.Profile() if profile else None
    try:
        with override_settings(PAGE_CACHE_SECONDS=0):
            client.get(path, headers=sent)
            with CaptureQueriesContext(connection) as queries:
                if profiler:
                    profiler.enable()
                started = time.perf_counter()
                response = client.get(path, headers=sent)
                if response.streaming:  # a download is built as it streams: to its last byte
                    b"".join(response.streaming_content)
                built_ms = (time.perf_counter() - started) * 1000
                if profiler:
                    profiler.disable()
    except Exception as error:  # the page's own error, reported rather than fatal
        return 500, f"{type(error).__name__}: {error}", None
    if profiler:
        progress(f"Profile of {path} ({len(queries.captured_queries)} queries):")
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    return response.status_code, len(queries.captured_queries), None if profiler else built_ms


# --- the server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with ``WORKERS`` sync workers on a free loopback port, as production starts it (Dockerfile)."""

    def __init__(self, log_path: Path, *, database_url: str) -> None:
        self.port = free_port()
        self.log_path = log_path
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{HOST}:{self.port}",
            "--workers", str(WORKERS), "--timeout", str(REQUEST_TIMEOUT), "--graceful-timeout", "5",
        ]  # fmt: skip
        self.log = log_path.open("ab")
        environment = {**os.environ, "DATABASE_URL": database_url}
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped before answering:\n{self.tail()}")
            try:
                if fetch(self.port, "/healthz", {})[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self.tail()}")

    def drain(self, timeout: float = 2 * REQUEST_TIMEOUT) -> None:
        """Wait until the workers have finished what the load tool left behind.

        When the load tool stops, the requests in flight and those waiting in
        the listen queue are still served (a sync worker reads a request whose
        client has gone, and answers it). Probes queued behind them, one per
        worker and twice, come back only once those are done, so the next page
        starts on idle workers.
        """
        deadline = time.monotonic() + timeout
        for _round in range(2):
            probes = [threading.Thread(target=self._probe) for _ in range(WORKERS)]
            for probe in probes:
                probe.start()
            for probe in probes:
                probe.join(max(0.0, deadline - time.monotonic()))

    def _probe(self) -> None:
        try:
            fetch(self.port, "/healthz", {})
        except (OSError, http.client.HTTPException):
            pass  # a probe that fails has still waited its turn

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, str, bytes, float]:
    """One GET without following redirects: status, content type, body, seconds."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Content-Type", ""), body, time.perf_counter() - started
    finally:
        connection.close()


# --- load ----------------------------------------------------------------------------

WRK_SCRIPT = """
-- Counts the answers other than 200 in every thread and prints one line of JSON at the end.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0; last_status = 0 end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1; last_status = status end
end
function done(summary, latency, requests)
  local not_ok_total, last = 0, 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
    if thread:get("last_status") ~= 0 then last = thread:get("last_status") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "max_us": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "not_ok": %d, "last_status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency.max,
    e.connect + e.read + e.write, e.timeout, not_ok_total, last))
end
"""

# For a download: with a response() callback wrk reads every body into Lua, which for a file of
# megabytes costs the load tool (on the same 2 cores) more than the server. Without one, wrk still
# counts the answers that are not 2xx or 3xx (summary.errors.status); the warm-up has checked the 200.
WRK_SCRIPT_LEAN = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "max_us": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "not_ok": %d, "last_status": 0}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency.max,
    e.connect + e.read + e.write, e.timeout, e.status))
end
"""


@dataclass
class Sample:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    not_ok: int = 0
    socket_errors: int = 0
    timeouts: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class Load:
    """Drives one URL for a while with ``connections`` connections at once: wrk, or Python threads."""

    def __init__(self, *, tool: str, connections: int, threads: int, script: Path) -> None:
        self.tool, self.connections, self.threads, self.script = tool, connections, threads, script

    def run(self, port: int, path: str, headers: dict[str, str], seconds: float, *, download: bool = False) -> Sample:
        if self.tool == "wrk":
            return self._wrk(port, path, headers, seconds, download=download)
        return self._python(port, path, headers, seconds)

    def _wrk(self, port: int, path: str, headers: dict[str, str], seconds: float, *, download: bool) -> Sample:
        script = self.script.with_name("lean.lua") if download else self.script
        if download and not script.exists():
            script.write_text(WRK_SCRIPT_LEAN)
        command = [
            "wrk", f"-t{min(self.threads, self.connections)}", f"-c{self.connections}", f"-d{seconds:.0f}s",
            f"--timeout={REQUEST_TIMEOUT}s", "-s", str(script),
        ]  # fmt: skip
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://{HOST}:{port}{path}")
        finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 30)
        line = next((x for x in finished.stdout.splitlines() if x.startswith("BENCH ")), None)
        if line is None:
            raise RuntimeError(f"wrk printed no result:\n{finished.stdout}\n{finished.stderr}")
        found = json.loads(line.removeprefix("BENCH "))
        return Sample(
            requests=found["requests"],
            seconds=found["duration_us"] / 1e6,
            p50_ms=found["p50_us"] / 1000,
            p95_ms=found["p95_us"] / 1000,
            not_ok=found["not_ok"],
            socket_errors=found["socket_errors"],
            timeouts=found["timeouts"],
        )

    def _python(self, port: int, path: str, headers: dict[str, str], seconds: float) -> Sample:
        latencies: list[float] = []
        failures = [0, 0]  # not 200, socket errors
        lock = threading.Lock()
        deadline = time.perf_counter() + seconds

        def drive() -> None:
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    with lock:
                        failures[1] += 1
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                    continue
                with lock:
                    latencies.append(time.perf_counter() - started)
                    failures[0] += response.status != 200
                if response.will_close:  # gunicorn's sync workers close every connection
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            connection.close()

        started = time.perf_counter()
        workers = [threading.Thread(target=drive) for _ in range(self.connections)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        latencies.sort()

        def percentile(share: float) -> float:
            return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000 if latencies else 0.0

        return Sample(len(latencies), elapsed, percentile(0.5), percentile(0.95), failures[0], failures[1])


# --- one scale -----------------------------------------------------------------------


@dataclass
class Measured:
    page: Page
    path: str | None
    status: int | None = None
    content_type: str = ""
    bytes: int = 0
    gzip_bytes: int = 0
    queries: int | str | None = None
    built_ms: float | None = None
    first_seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        good = [s for s in self.samples if s.requests]
        median = statistics.median
        return {
            "label": self.page.label,
            "viewer": self.page.viewer,
            "url_name": self.page.url_name,
            "path": self.path,
            "status": self.status,
            "content_type": self.content_type,
            "html": self.content_type.startswith("text/html"),
            "export": self.page.export,
            "bytes": self.bytes,
            "gzip_bytes": self.gzip_bytes,
            "queries": self.queries,
            "built_ms": None if self.built_ms is None else round(self.built_ms, 1),
            "first_request_s": round(self.first_seconds, 4),
            "rps": round(median([s.rps for s in good]), 2) if good else None,
            "p50_ms": round(median([s.p50_ms for s in good]), 2) if good else None,
            "p95_ms": round(median([s.p95_ms for s in good]), 2) if good else None,
            "ratio": round(median(self.ratios), 4) if self.ratios else None,
            "runs": [
                {
                    "requests": s.requests,
                    "seconds": round(s.seconds, 3),
                    "rps": round(s.rps, 2),
                    "p50_ms": s.p50_ms,
                    "p95_ms": s.p95_ms,
                    "not_ok": s.not_ok,
                    "socket_errors": s.socket_errors,
                    "timeouts": s.timeouts,
                }
                for s in self.samples
            ],
            "note": "; ".join(self.notes),
        }


def warm_up(server: Gunicorn, measured: Measured, headers: dict[str, str]) -> None:
    """Two requests at once (one per worker, most likely), twice when fast; records status and sizes."""
    assert measured.path is not None
    answers: list[tuple[int, str, bytes, float]] = []

    def one() -> None:
        answers.append(fetch(server.port, measured.path or "", headers))

    for _round in range(2):
        answers.clear()
        pair = [threading.Thread(target=one) for _ in range(WORKERS)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
        if len(answers) < WORKERS or max(a[3] for a in answers) > 1.0:
            break
    if not answers:
        raise RuntimeError(f"no answer for {measured.path}")
    status, content_type, body, _seconds = answers[0]
    measured.status, measured.content_type = status, content_type
    measured.bytes, measured.gzip_bytes = len(body), len(gzip.compress(body, compresslevel=6))
    measured.first_seconds = max(a[3] for a in answers)


@dataclass
class ScaleUnderTest:
    """One seeded portfolio in its own database, its pages, and the gunicorn that serves it."""

    portfolio: Portfolio
    database_url: str
    cookies: dict[str, str]
    measured: list[Measured]
    server: Gunicorn | None = None
    loads: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        loads = self.loads
        return {
            "scale": self.portfolio.scale,
            "counts": self.portfolio.counts,
            "seed_seconds": round(self.portfolio.seconds, 1),
            "load_average": {
                "min": min(loads, default=0),
                "median": statistics.median(loads or [0]),
                "max": max(loads, default=0),
            },
            "pages": {m.page.key: m.as_dict() for m in self.measured},
        }


def prepare_scale(
    portfolio: Portfolio, *, database_url: str, pages: list[Page], profile: frozenset[str] = frozenset()
) -> ScaleUnderTest:
    """Sessions and in-process query counts of one scale, while its database is this process's."""
    cookies = session_cookies(portfolio)
    everything = [Measured(TRIVIAL, page_path(TRIVIAL, portfolio))] + [
        Measured(page, page_path(page, portfolio)) for page in pages
    ]
    for measured in everything:
        if measured.path is None:
            measured.notes.append(f"skipped: no URL named {measured.page.url_name!r}")
            progress(f"  {measured.page.label}: {measured.notes[-1]}")
        else:
            status, found, measured.built_ms = query_count(
                measured.path, request_headers(measured.page, cookies), profile=measured.page.key in profile
            )
            if isinstance(found, int):
                measured.queries = found
            if status != 200:
                measured.notes.append(f"test client: HTTP {status}" + ("" if isinstance(found, int) else f", {found}"))
    return ScaleUnderTest(portfolio, database_url, cookies, everything)


def measure_scales(
    scales: list[ScaleUnderTest], *, load: Load, runs: int, duration: float, log_dir: Path
) -> list[dict[str, Any]]:
    """Drive every page of every scale, ``runs`` times; each page at each scale back to back.

    A page is measured at the small scale and at once at the large one, so
    that what the machine was doing at that moment weighs on both p50s
    alike: their ratio is the growth due to the data, not to the minute.
    """
    try:
        for scale in scales:
            scale.server = Gunicorn(
                log_dir / f"gunicorn-{scale.portfolio.scale:g}.log", database_url=scale.database_url
            )
        for scale in scales:
            assert scale.server is not None
            scale.server.wait_ready()
            for measured in scale.measured:
                if measured.path is None:
                    continue
                warm_up(scale.server, measured, request_headers(measured.page, scale.cookies))
                if measured.status != 200:
                    measured.notes.append(f"HTTP {measured.status}: not timed")
                    progress(f"  {measured.page.label}: {measured.notes[-1]}\n{scale.server.tail(15)}")
        for run in range(1, runs + 1):
            trivial_rps: dict[float, float] = {}
            for index in range(len(scales[0].measured)):
                for scale in scales:
                    measured = scale.measured[index]
                    if measured.path is None or measured.status != 200:
                        continue
                    sample = _drive_once(scale, measured, load, duration)
                    measured.samples.append(sample)
                    key = scale.portfolio.scale
                    if measured.page is TRIVIAL:
                        trivial_rps[key] = sample.rps
                    if trivial_rps.get(key) and sample.requests:
                        measured.ratios.append(sample.rps / trivial_rps[key])
                    if sample.not_ok or sample.socket_errors or sample.timeouts:
                        measured.notes.append(
                            f"run {run}: {sample.not_ok} answers not 200, {sample.socket_errors} socket errors, "
                            f"{sample.timeouts} timeouts"
                        )
                    progress(
                        f"  run {run}/{runs} scale {key:g} {measured.page.label}: {sample.rps:.1f} req/s,"
                        f" p50 {sample.p50_ms:.0f} ms, p95 {sample.p95_ms:.0f} ms"
                        f" ({sample.requests} in {sample.seconds:.1f} s)"
                    )
    finally:
        for scale in scales:
            if scale.server is not None:
                scale.server.stop()
    return [scale.as_dict() for scale in scales]


def _drive_once(scale: ScaleUnderTest, measured: Measured, load: Load, duration: float) -> Sample:
    assert scale.server is not None
    scale.loads.append(os.getloadavg()[0])
    # A slow page runs longer, so that about MIN_RESPONSES finish.
    seconds = min(MAX_DURATION, max(duration, MIN_RESPONSES * measured.first_seconds / WORKERS * 1.4))
    headers = request_headers(measured.page, scale.cookies)
    download = measured.page.export
    sample = load.run(scale.server.port, measured.path or "", headers, seconds, download=download)
    scale.server.drain()
    if sample.requests < 3 and seconds < MAX_DURATION:  # slower under load than alone: longer
        seconds = min(MAX_DURATION, seconds * 4)
        sample = load.run(scale.server.port, measured.path or "", headers, seconds, download=download)
        scale.server.drain()
    return sample


# --- the run ---------------------------------------------------------------------------


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[0.1], help="scale factors, 1 = LARGE (0.1)")
    parser.add_argument("--duration", type=float, default=DURATION, help=f"seconds per page and run ({DURATION:g})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of every page; the median is reported ({RUNS})")
    parser.add_argument("--connections", type=int, default=CONNECTIONS, help=f"connections at once ({CONNECTIONS})")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"wrk threads ({THREADS})")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto", help="load generator (auto)")
    parser.add_argument("--pages", help="only these pages, by key, comma-separated (see PAGES in bench/pages.py)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder for results.json and results.md (bench/)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database (to inspect it)")
    parser.add_argument("--profile", metavar="KEYS", help="print a cProfile summary of one request of these pages")
    arguments = parser.parse_args()
    if any(scale <= 0 for scale in arguments.scale):
        parser.error("every --scale must be positive")
    if arguments.runs < 1 or arguments.duration < 1 or arguments.connections < 1:
        parser.error("--runs, --duration and --connections must be at least 1")
    known = {page.key for page in [TRIVIAL, *PAGES]}
    for option in (arguments.pages, arguments.profile):
        if option and not set(option.split(",")) <= known:
            parser.error(f"unknown page keys: {sorted(set(option.split(',')) - known)}; known: {sorted(known)}")
    if arguments.tool == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    if arguments.tool == "auto":
        arguments.tool = "wrk" if shutil.which("wrk") else "python"
    return arguments


def required_services() -> tuple[str, str]:
    """DATABASE_URL (a PostgreSQL server) and REDIS_URL, or exit with what is missing."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL=postgres://user@host:5432/postgres (the server; a database of its own is made)")
    if not redis_url.startswith(("redis://", "rediss://")):
        problems.append("REDIS_URL=redis://host:6379/<db> (the cache and broker; give it a database nothing else uses)")
    if problems:
        sys.exit("bench/pages.py measures the pages as production serves them, on PostgreSQL and Redis; set\n  "
                 + "\n  ".join(problems))  # fmt: skip
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        sys.exit(f"Redis at REDIS_URL does not answer: {error}")
    finally:
        client.close()
    return database_url, redis_url


def set_up_django(*, database_url: str, redis_url: str, var_dir: Path, queue: str) -> None:
    """Production settings for this process and for gunicorn (which inherits the environment)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        # Loopback speaks plain HTTP; everything else is production's (docker-compose.yml).
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        SITE_URL=f"http://{HOST}",
        REKAN_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    progress(f"Migrated and collected static files in {time.perf_counter() - started:.1f} s")


def use_database(database_url: str) -> None:
    """Point this process's default database at ``database_url`` (as the test runner does) and migrate it."""
    import dj_database_url
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    parsed = dj_database_url.parse(database_url)
    for name in ("NAME", "HOST", "PORT", "USER", "PASSWORD"):
        settings.DATABASES["default"][name] = parsed[name]
        connections["default"].settings_dict[name] = parsed[name]
    os.environ["DATABASE_URL"] = database_url
    call_command("migrate", verbosity=0, interactive=False)


def forget_cache(redis_url: str) -> None:
    """Remove the cache's keys (prefix "rekan"): the next scale starts with a cold cache and no stale entries."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match="rekan:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def refresh_standings() -> None:
    """The seed writes in bulk, which marks nothing stale: work out every standing, as beat would next."""
    from engagements.services.standing import standing_refresh_all

    started = time.perf_counter()
    refreshed = standing_refresh_all()
    progress(f"  standings of {refreshed:,} partnerships: {time.perf_counter() - started:.1f} s")


def vacuum() -> None:
    """As autovacuum would do before the planner sees the new rows, and so the visibility map is set."""
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        progress(f"  VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")


def conditions(arguments: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]

    def git(*command: str) -> str:
        try:
            return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    tool = arguments.tool
    if tool == "wrk":
        tool = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(" [")[0] or "wrk"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git("rev-parse", "--short", "HEAD")
        + (" + uncommitted changes" if git("status", "--porcelain") else ""),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "postgresql": postgres,
        "server": (
            f"gunicorn, {WORKERS} sync workers, production settings, "
            f"DATABASE_CONN_MAX_AGE={os.environ['DATABASE_CONN_MAX_AGE']}"
        ),
        "load": (
            f"{tool}, {arguments.connections} connections, {arguments.duration:g} s per page and run "
            f"(longer for slow pages), median of {arguments.runs} runs"
        ),
    }


def main() -> None:
    arguments = parse_arguments()
    from bench.budgets import growth_of, misses, relative_growth_of
    from bench.delivery import forget_queue
    from bench.sweep import throwaway_database

    server_url, redis_url = required_services()
    pages = [p for p in PAGES if not arguments.pages or p.key in arguments.pages.split(",")]
    queue = f"rekan-bench-pages-{secrets.token_hex(4)}"
    started = time.perf_counter()
    sizes = sorted(set(arguments.scale))
    profile = frozenset((arguments.profile or "").split(",")) - {""}
    with tempfile.TemporaryDirectory(prefix="rekan-bench-pages-") as folder, contextlib.ExitStack() as databases:
        var_dir = Path(folder)
        script = var_dir / "count.lua"
        script.write_text(WRK_SCRIPT)
        load = Load(tool=arguments.tool, connections=arguments.connections, threads=arguments.threads, script=script)
        # One database per scale, so that both are served at once and measured side by side.
        urls = [databases.enter_context(throwaway_database(server_url, keep=arguments.keep)) for _size in sizes]
        set_up_django(database_url=urls[0], redis_url=redis_url, var_dir=var_dir, queue=queue)
        from bench.seed import plan_for, seed_portfolio

        run_conditions = conditions(arguments)
        try:
            forget_cache(redis_url)
            prepared = []
            for scale, database_url in zip(sizes, urls, strict=True):
                use_database(database_url)
                plan = plan_for(scale)
                progress(
                    f"Scale {scale:g}: seeding {plan.organizations:,} organizations, "
                    f"{plan.partnerships:,} partnerships..."
                )
                portfolio = seed_portfolio(scale=scale, progress=progress)
                refresh_standings()
                vacuum()
                progress(f"Scale {scale:g}: seeded in {portfolio.seconds:.0f} s; {portfolio.counts}")
                prepared.append(prepare_scale(portfolio, database_url=database_url, pages=pages, profile=profile))
            scales = measure_scales(
                prepared, load=load, runs=arguments.runs, duration=arguments.duration, log_dir=var_dir
            )
        finally:
            forget_cache(redis_url)
            forget_queue(redis_url, queue)
    run_conditions["minutes"] = round((time.perf_counter() - started) / 60, 1)
    missed = misses(scales)
    growth = growth_of(scales[0], scales[-1]) if len(scales) > 1 else {}
    results = {
        "conditions": run_conditions,
        "scales": scales,
        "growth": {key: round(value, 3) for key, value in growth.items()},
        "relative_growth": {
            key: round(value, 3)
            for key, value in (relative_growth_of(scales[0], scales[-1]) if len(scales) > 1 else {}).items()
        },
        "budget_misses": [miss.sentence() for miss in missed],
    }
    markdown = render_markdown(results, missed)
    arguments.output.mkdir(parents=True, exist_ok=True)
    (arguments.output / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (arguments.output / "results.md").write_text(markdown)
    print(markdown)
    if missed:
        sys.exit(1)


# --- the report ----------------------------------------------------------------------------


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def render_markdown(results: dict[str, Any], missed: list[Any]) -> str:
    from bench.budgets import GROWTH_AGAINST_TRIVIAL, GROWTH_MAX, HTML_MAX_BYTES, RATIO_MIN, TODAY_RATIO_MIN

    c = results["conditions"]
    lines = [
        "# Page benchmark (bench/pages.py)",
        "",
        f"{c['date']}, commit {c['commit']}; {c['cores']} cores, PostgreSQL {c['postgresql']}, Python {c['python']};",
        f"{c['server']}; {c['load']}; {c['minutes']} minutes in all.",
        "",
        "Nothing writes while a page is driven, so after its first request every page but the trivial one is"
        " answered from the page cache (accounts/page_cache.py; the exports in pieces, the share page once for"
        " every visitor), which any write empties. *queries* and *built ms* are one request built in this process"
        " with the page cache off: what a page costs on the first visit after a change.",
        "",
    ]
    for scale in results["scales"]:
        counts, load = scale["counts"], scale["load_average"]
        lines += [
            f"## Scale {scale['scale']:g}",
            "",
            f"{counts['organizations']:,} organizations, {counts['contacts']:,} contacts, "
            f"{counts['partnerships']:,} partnerships, {counts['goals']:,} goals, {counts['activities']:,} activities, "
            f"{counts['check_ins']:,} check-ins, {counts['interactions']:,} interactions, "
            f"{counts['commitments']:,} commitments, {counts['trust_entries']:,} trust log entries, "
            f"{counts['lessons']:,} lessons, {counts['health_snapshots']:,} health snapshots, "
            f"{counts['reminders']:,} reminders; seeded in {scale['seed_seconds']:.0f} s. "
            f"Load average (1 min) while measuring: {load['min']:.1f} to {load['max']:.1f}, "
            f"median {load['median']:.1f}.",
            "",
            "| page | viewer | req/s | x trivial | p50 ms | p95 ms | queries | built ms | KB | gzip KB | note |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        for page in scale["pages"].values():
            queries = "" if page["queries"] is None else page["queries"]
            lines.append(
                f"| {page['label']} | {page['viewer']} | {_number(page['rps'], 1)} | {_ratio(page['ratio'])} "
                f"| {_number(page['p50_ms'])} | {_number(page['p95_ms'])} | {queries} "
                f"| {_number(page.get('built_ms'))} "
                f"| {_number(page['bytes'] / 1000, 1) if page['bytes'] else ''} "
                f"| {_number(page['gzip_bytes'] / 1000, 1) if page['gzip_bytes'] else ''} | {page['note']} |"
            )  # fmt: skip
        lines.append("")
    if results["growth"]:
        small, large = results["scales"][0], results["scales"][-1]
        lines += [
            f"## Growth from scale {small['scale']:g} to {large['scale']:g}",
            "",
            "Each page was driven at both scales back to back, so both p50s saw the load of the same minute: *vs"
            " trivial* divides a page's growth by the trivial page's, and the bytes grow only with what a page lists.",
            "",
            f"| page | p50 ms at {small['scale']:g} | p50 ms at {large['scale']:g} | growth | vs trivial "
            f"| KB at {small['scale']:g} | KB at {large['scale']:g} | x trivial at {small['scale']:g} "
            f"| x trivial at {large['scale']:g} |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        relative = results["relative_growth"]
        for key, growth in results["growth"].items():
            before, after = small["pages"][key], large["pages"][key]
            lines.append(
                f"| {after['label']}{' (export)' if after['export'] else ''} | {_number(before['p50_ms'])} "
                f"| {_number(after['p50_ms'])} | x{growth:.2f} | x{relative.get(key, 0):.2f} "
                f"| {_number(before['bytes'] / 1000, 1)} | {_number(after['bytes'] / 1000, 1)} "
                f"| {_ratio(before['ratio'])} | {_ratio(after['ratio'])} |"
            )
        lines.append("")
    lines += [
        "## Budgets",
        "",
        f"At the largest scale measured (the issue's are for scale 1): every page at least x{RATIO_MIN} the trivial "
        f"page, Today at least x{TODAY_RATIO_MIN}, at most {HTML_MAX_BYTES // 1000} KB of HTML; from the smallest "
        f"to the largest scale, p50 at most x{GROWTH_MAX} (exports excepted"
        f"{'; growth against the trivial page' if GROWTH_AGAINST_TRIVIAL else ''}); every page answers 200.",
        "",
    ]
    if missed:
        lines += [f"{len(missed)} missed:", ""] + [f"- {miss.sentence()}" for miss in missed]
    else:
        lines.append("All met.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
