"""Headless Chromium, driven by Playwright, against pytest-django's live server.

One browser for all the tests here; every test gets fresh browser contexts
(cookies, storage) from the ``new_page`` factory. The pages keep their strict
Content-Security-Policy: axe is injected through ``page.evaluate`` (a CDP
evaluation, which CSP does not govern), never through a <script> tag.

Every page that ``new_page`` makes is watched: a console error (Chromium logs
each CSP refusal as one: "Refused to apply inline style ..."), an uncaught
exception, or a ``securitypolicyviolation`` event (reported by an init script,
which the browser injects outside the page's CSP) fails the test at teardown,
listed with the URL of the page it happened on. A test that expects a page to
fail (a 404 it asserts on) is not failed for Chromium's "Failed to load
resource" line about that page itself; a missing stylesheet or script still is.

There is no internet here: Chromium is Debian's, never one that
``playwright install`` would download.

While Playwright's sync API is open, its event loop counts as running in this
thread, and Django refuses ORM calls from a thread with a running loop unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. The ORM calls the tests make here are plain
synchronous ones, so the variable is set, but only as long as the browser is
open: the browser belongs to this package (one for all its tests, closed after
the last), so neither the running loop nor the variable leaks into other
tests, nor into the subprocesses they start (``manage.py check --deploy``
rejects the variable with async.E001).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from django.contrib.auth.models import Group
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, WebError, sync_playwright

from accounts.roles import ROLE_GROUPS
from tests.factories import PASSWORD

CHROMIUM = Path(os.environ.get("REKAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT_HEIGHT = 800
# Short enough that a broken page fails fast, long enough for a loaded CI box.
TIMEOUT_MS = 10_000

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for every browser test; see the module docstring for the scope."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (set REKAN_CHROMIUM)")
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OneRequestAtATime:
    """A WSGI app that lets one request in at a time, its response included.

    On SQLite the tests' database lives in memory, so the live server's
    request threads all share the test thread's one connection, and its
    transaction state with it. Two requests at once (two tabs sending their
    offline queue when the signal returns) then run inside each other's
    transaction: an insert reads the other's row id, an error in one breaks
    the atomic block of the other, and every later test fails on the broken
    connection. PostgreSQL gives every thread its own connection and needs
    no lock. The lock is taken per request, not per connection, so a
    keep-alive connection that waits for its next request holds nothing.
    The tests' own queries take it too (``test_thread_waits``): a test reads
    the database while a second tab may still be sending.
    """

    lock = threading.Lock()

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.lock.acquire()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return LockedResponse(result, self.lock)


class LockedResponse:
    """A response that holds the lock until the server closes it.

    The server closes every response once it is written or the client has
    gone (PEP 3333); a streaming response reads the database while it is
    iterated, so the lock covers the iteration too.
    """

    def __init__(self, result: Iterable[bytes], lock: threading.Lock) -> None:
        self.result = result
        self.lock: threading.Lock | None = lock

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.result)

    def close(self) -> None:
        lock, self.lock = self.lock, None
        try:
            if close := getattr(self.result, "close", None):
                close()
        finally:
            if lock is not None:
                lock.release()


def test_thread_waits(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """An execute wrapper: a query of the test (main) thread waits for the request being served."""
    if threading.current_thread() is not threading.main_thread():
        return execute(sql, params, many, context)  # a request thread, which holds the lock already
    with OneRequestAtATime.lock:
        return execute(sql, params, many, context)


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time() -> Iterator[None]:
    """Serialise the live server's requests where they share one SQLite connection (see OneRequestAtATime)."""
    create_server = LiveServerThread._create_server

    def create_serialised_server(thread: LiveServerThread, connections_override: Any = None) -> Any:
        server = create_server(thread, connections_override=connections_override)
        if connections_override:
            set_app = server.set_app
            server.set_app = lambda app: set_app(OneRequestAtATime(app))
            for connection in connections_override.values():
                connection.execute_wrappers.append(test_thread_waits)
        return server

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "_create_server", create_serialised_server)
        yield


@pytest.fixture(autouse=True)
def _role_groups(transactional_db: None) -> None:
    """Bring back the role groups that a data migration made.

    live_server needs a transactional database, which is emptied (flushed)
    after every test, data from migrations included.
    """
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


# Runs in every document before its own scripts. A binding is not a script of
# the page, so the page's CSP cannot block the report either.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.rekanReportCspViolation({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}` : "",
    sample: event.sample,
  });
});
"""


@dataclass(frozen=True)
class PageProblem:
    """A console error, an uncaught exception or a CSP violation on a page."""

    kind: str
    url: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind} on {self.url}: {self.text}"


def page_url(message: ConsoleMessage) -> str:
    return message.page.url if message.page is not None else message.location.get("url", "")


def is_own_failed_load(message: ConsoleMessage) -> bool:
    """Chromium's "Failed to load resource" line about the document itself.

    A test that opens a page which answers 404 asserts on that status; the
    line says nothing more. Any other resource that fails to load is a fault.
    """
    return message.text.startswith("Failed to load resource") and message.location.get("url") == page_url(message)


def watch(context: BrowserContext, problems: list[PageProblem]) -> None:
    """Record what goes wrong on every page of this context."""

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not is_own_failed_load(message):
            problems.append(PageProblem("console error", page_url(message), message.text))

    def on_web_error(web_error: WebError) -> None:
        url = web_error.page.url if web_error.page is not None else ""
        problems.append(PageProblem("uncaught exception", url, f"{web_error.error.name}: {web_error.error.message}"))

    def on_csp_violation(source: dict[str, Any], violation: dict[str, str]) -> None:
        details = ", ".join(f"{key} {value}" for key, value in violation.items() if value)
        problems.append(PageProblem("CSP violation", source["frame"].url, details))

    context.expose_binding("rekanReportCspViolation", on_csp_violation)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.on("console", on_console)
    context.on("weberror", on_web_error)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Factory: a page in its own fresh context, ``width`` CSS pixels wide.

    ``locale`` is the browser's language (its Accept-Language header), which
    pages shown to visitors follow. Service workers are blocked unless the
    test asks for them (``service_workers=True``): Rekan's worker is a
    progressive enhancement that the offline tests exercise, and in every
    other test it would only add its install (it fetches the static files)
    to the work of the live server.

    The test fails at teardown if any of its pages logged a console error,
    threw an uncaught exception or violated the CSP (see the module docstring).
    """
    contexts = []
    problems: list[PageProblem] = []

    def make(width: int, locale: str = "en-US", *, service_workers: bool = False) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": VIEWPORT_HEIGHT},
            locale=locale,
            timezone_id="Asia/Jakarta",
            service_workers="allow" if service_workers else "block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        watch(context, problems)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail(
            "The pages reported console errors, uncaught exceptions or CSP violations:\n"
            + "\n".join(f"  {problem}" for problem in problems),
            pytrace=False,
        )


def log_in(page: Page, live_server: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form and wait until the login page is left."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_violations(page: Page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return the violations of these impacts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in results["violations"] if violation["impact"] in impacts]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        lines.extend(f"    {node['target']}: {node.get('failureSummary', '')!s}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found serious/critical violations on {page.url}:\n{describe_violations(violations)}"


def assert_no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width} px: scrollWidth is {scroll_width}"
