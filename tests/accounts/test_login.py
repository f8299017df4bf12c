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
