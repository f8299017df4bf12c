"""A signed-in session ends after 8 idle hours or 14 days after its log-in (accounts/middleware.py)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.middleware import LAST_SEEN_AT, LOGGED_IN_AT, SessionTimeoutMiddleware
from tests.factories import PASSWORD
from tests.test_settings import production_env, run_python

PAGE = "/today/"
IDLE_MESSAGE = "You were logged out after a long time without activity. Please log in again."
ABSOLUTE_MESSAGE = "You were logged out because you logged in a long time ago. Please log in again."


class Clock:
    """Moves django.utils.timezone.now, which the middleware reads, forward from the real time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = datetime.timedelta(0)
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def forward(self, **delta: float) -> None:
        self.offset += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def logged_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def stored_session(client: Client) -> dict:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).get_decoded()


def assert_logged_out(client: Client, response, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PAGE}"
    login_page = client.get(response["Location"])
    assert message in login_page.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(PAGE).status_code == 302


def test_it_sits_right_after_the_authentication_middleware() -> None:
    middleware = settings.MIDDLEWARE
    position = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[position + 1] == "accounts.middleware.SessionTimeoutMiddleware"
    assert middleware.index("accounts.middleware.SessionTimeoutMiddleware") < middleware.index(
        "django.contrib.auth.middleware.LoginRequiredMiddleware"
    )
    assert issubclass(SessionTimeoutMiddleware, object)


def test_it_defaults_to_8_idle_hours_and_14_days() -> None:
    assert settings.SESSION_IDLE_TIMEOUT == datetime.timedelta(hours=8)
    assert settings.SESSION_ABSOLUTE_TIMEOUT == datetime.timedelta(days=14)
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 60 * 60


@pytest.mark.django_db
def test_it_logs_out_a_session_idle_past_the_limit(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    assert client.get(PAGE).status_code == 200
    clock.forward(hours=8, minutes=1)

    assert_logged_out(client, client.get(PAGE), IDLE_MESSAGE)


@pytest.mark.django_db
def test_it_logs_out_an_active_session_past_the_absolute_limit(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    for _ in range(55):  # a request every 6 hours for 13 days and 18 hours: never idle for long
        clock.forward(hours=6)
        assert client.get(PAGE).status_code == 200
    clock.forward(hours=6, minutes=1)

    assert_logged_out(client, client.get(PAGE), ABSOLUTE_MESSAGE)


@pytest.mark.django_db
def test_it_keeps_a_session_within_both_limits(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    clock.forward(hours=7, minutes=59)
    assert client.get(PAGE).status_code == 200
    clock.forward(hours=7, minutes=59)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(facilitator.pk)


@pytest.mark.django_db
def test_it_writes_the_last_seen_time_at_most_once_a_minute(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    first = stored_session(client)
    assert first[LOGGED_IN_AT] == first[LAST_SEEN_AT]
    clock.forward(seconds=30)
    client.get(PAGE)
    assert stored_session(client) == first
    clock.forward(seconds=31)
    client.get(PAGE)
    later = stored_session(client)
    assert later[LAST_SEEN_AT] - first[LAST_SEEN_AT] >= 60
    assert later[LOGGED_IN_AT] == first[LOGGED_IN_AT]


@pytest.mark.django_db
def test_it_starts_both_clocks_again_at_a_new_log_in(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    clock.forward(days=13)
    client.post("/accounts/logout/")
    client = logged_in(facilitator)
    for _ in range(8):  # two more days: 15 since the first log-in, 2 since this one
        clock.forward(hours=6)
        assert client.get(PAGE).status_code == 200


@pytest.mark.django_db
def test_it_says_why_in_the_users_language(facilitator, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import translation

    from accounts import middleware

    monkeypatch.setattr(middleware, "_", lambda message: f"[{translation.get_language()}] {message}")
    facilitator.language = "id"
    facilitator.save()
    client = logged_in(facilitator)
    clock.forward(hours=9)
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert f"[id] {IDLE_MESSAGE}" in response.content.decode()


@pytest.mark.django_db
def test_it_sends_htmx_requests_to_the_log_in_page_as_a_whole(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    clock.forward(hours=9)
    response = client.get(PAGE, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/partnerships/"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fpartnerships%2F"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_lets_an_expired_session_read_a_page_open_to_visitors_as_a_visitor(facilitator, clock: Clock) -> None:
    client = logged_in(facilitator)
    clock.forward(hours=9)
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert IDLE_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_reads_both_limits_from_the_environment(settings, facilitator, clock: Clock) -> None:
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=5)
    client = logged_in(facilitator)
    clock.forward(minutes=6)
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "480 336 1209600"),
        ({"SESSION_IDLE_TIMEOUT_MINUTES": "30", "SESSION_ABSOLUTE_TIMEOUT_HOURS": "12"}, "30 12 43200"),
    ],
)
def test_it_takes_the_limits_from_environment_variables(tmp_path: Path, variables: dict, expected: str) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(int(s.SESSION_IDLE_TIMEOUT.total_seconds() // 60), "
        "int(s.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600), s.SESSION_COOKIE_AGE)"
    )
    result = run_python(code, production_env(tmp_path, **variables))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("variable", ["SESSION_IDLE_TIMEOUT_MINUTES", "SESSION_ABSOLUTE_TIMEOUT_HOURS"])
@pytest.mark.parametrize("value", ["0", "-5", "eight"])
def test_it_refuses_to_start_on_a_nonsense_limit(tmp_path: Path, variable: str, value: str) -> None:
    result = run_python("import django; django.setup()", production_env(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


@pytest.mark.django_db
def test_it_logs_out_of_the_admin_too(admin, clock: Clock) -> None:
    client = logged_in(admin)
    assert client.get("/admin/").status_code == 200
    clock.forward(days=15)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
