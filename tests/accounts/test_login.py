from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD

LOGIN_URL = "/accounts/login/"


def _log_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_it_sends_a_facilitator_to_today(facilitator) -> None:
    client = client_for(None)
    response = _log_in(client, "fasilitator", PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("engagements:today")
    assert b"<h1>Today</h1>" in response.content


@pytest.mark.django_db
def test_it_sends_a_partner_member_to_our_partnerships(partner_a) -> None:
    client = client_for(None)
    _log_in(client, "mitra_a", PASSWORD)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("engagements:our_partnerships")


@pytest.mark.django_db
def test_it_rejects_a_wrong_password_with_a_message(facilitator) -> None:
    client = client_for(None)
    response = _log_in(client, "fasilitator", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_it_locks_a_username_and_address_after_five_failures(facilitator) -> None:
    client = client_for(None)
    for _ in range(4):
        assert _log_in(client, "fasilitator", "wrong").status_code == 200
    locked = _log_in(client, "fasilitator", "wrong")
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert b"15 minutes" in locked.content
    # Even the right password is refused during the cool-off.
    assert _log_in(client, "fasilitator", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_does_not_lock_the_same_username_from_another_address(facilitator) -> None:
    client = client_for(None)
    for _ in range(5):
        _log_in(client, "fasilitator", "wrong", ip="10.0.0.1")
    assert _log_in(client, "fasilitator", PASSWORD, ip="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_it_lets_the_user_in_again_after_the_cool_off(facilitator) -> None:
    client = client_for(None)
    for _ in range(5):
        _log_in(client, "fasilitator", "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert _log_in(client, "fasilitator", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_logs_out_on_post_only(facilitator) -> None:
    client = client_for(facilitator)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page_with_next() -> None:
    response = client_for(None).get("/today/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/today/"


@pytest.mark.django_db
def test_it_follows_next_after_login(facilitator) -> None:
    client = client_for(None)
    form = {"username": "fasilitator", "password": PASSWORD, "next": "/accounts/password/change/"}
    response = client.post(LOGIN_URL, form)
    assert response["Location"] == "/accounts/password/change/"


@pytest.mark.django_db
def test_it_sends_a_user_without_role_to_an_explanation() -> None:
    from tests.factories import UserFactory

    client = client_for(UserFactory())
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:no_role")
    assert b"no role yet" in response.content


# Over-long credentials: a form error on both log-in pages, never a 500, nothing written.

LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]
OVER_LONG = [
    pytest.param("u" * 256, PASSWORD, "A username has at most 150 characters.", id="username-256"),
    pytest.param("u" * 10_000, PASSWORD, "A username has at most 150 characters.", id="username-10000"),
    pytest.param("fasilitator", "p" * 10_000, "A password has at most 4096 characters.", id="password-10000"),
    pytest.param("u" * 10_000, "p" * 10_000, "A username has at most 150 characters.", id="both-10000"),
]


def database_rows() -> dict[str, list[tuple]]:
    from django.apps import apps

    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGIN_PAGES)
@pytest.mark.parametrize(("username", "password", "message"), OVER_LONG)
def test_it_answers_over_long_credentials_with_a_form_error_and_writes_nothing(
    facilitator, url: str, username: str, password: str, message: str
) -> None:
    client = client_for(None)
    before = database_rows()

    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert database_rows() == before
    assert "_auth_user_id" not in client.session


def test_it_caps_the_username_at_the_length_of_the_users_column() -> None:
    from accounts.forms import USERNAME_MAX_LENGTH
    from accounts.models import User

    assert User._meta.get_field("username").max_length == USERNAME_MAX_LENGTH


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_it_still_counts_a_wrong_password_of_a_usual_length(facilitator, url: str) -> None:
    response = client_for(None).post(url, {"username": "u" * 150, "password": "p" * 4096}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    assert [attempt.username for attempt in AccessAttempt.objects.all()] == ["u" * 150]


@pytest.mark.django_db
def test_it_lets_an_admin_log_in_through_the_admin_page(admin) -> None:
    client = client_for(None)
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_it_keeps_the_throttles_record_within_its_column_whatever_calls_authenticate(facilitator) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post(LOGIN_URL, REMOTE_ADDR="10.0.0.1")
    assert authenticate(request, username="u" * 300, password="wrong") is None
    assert [len(attempt.username) for attempt in AccessAttempt.objects.all()] == [255]
