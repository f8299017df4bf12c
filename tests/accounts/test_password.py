from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import RequestFactory

from accounts.forms import QueuedPasswordResetForm
from accounts.models import User
from tests.conftest import client_for
from tests.factories import PASSWORD

NEW_PASSWORD = "a new and long passphrase 42"


@pytest.mark.django_db
def test_it_emails_a_reset_link_that_sets_a_new_password(facilitator, django_capture_on_commit_callbacks) -> None:
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": facilitator.email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [facilitator.email]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert b'name="new_password1"' in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/complete/"
    assert User.objects.get(pk=facilitator.pk).check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_it_sends_no_email_to_an_unknown_address_but_says_the_same(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_writes_the_reset_email_in_the_requesters_language(facilitator, django_capture_on_commit_callbacks) -> None:
    client = client_for(None)
    client.cookies["django_language"] = "id"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": facilitator.email})
    assert "Rekan" in mail.outbox[0].subject
    assert "Halo" in mail.outbox[0].body


@pytest.mark.django_db
def test_it_queues_the_reset_email_only_after_commit(facilitator, django_capture_on_commit_callbacks) -> None:
    form = QueuedPasswordResetForm({"email": facilitator.email})
    assert form.is_valid()
    with django_capture_on_commit_callbacks() as callbacks:
        form.save(request=RequestFactory().get("/"), domain_override="rekan.example")
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert "https://rekan.example/accounts/password/reset/" not in mail.outbox[0].body  # plain request
    assert "://rekan.example/accounts/password/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_it_shows_a_clear_message_for_a_used_or_forged_reset_link() -> None:
    response = client_for(None).get("/accounts/password/reset/MQ/forged-token/")
    assert response.status_code == 200
    assert b"no longer valid" in response.content


@pytest.mark.django_db
def test_it_changes_the_password_of_the_signed_in_user(partner_a) -> None:
    client = client_for(partner_a)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password/change/done/"
    assert User.objects.get(pk=partner_a.pk).check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_it_refuses_a_password_change_with_a_wrong_old_password(partner_a) -> None:
    client = client_for(partner_a)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert User.objects.get(pk=partner_a.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_it_writes_the_reset_email_in_the_accounts_saved_language(
    facilitator, django_capture_on_commit_callbacks
) -> None:
    facilitator.language = "id"
    facilitator.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(None).post("/accounts/password/reset/", {"email": facilitator.email})
    assert "Halo" in mail.outbox[0].body


# Every password that can be set can be used to log in: the cap of the log-in form applies everywhere.

TOO_LONG = "Bibit-Mangrove-" + "x" * 4096
CAP_MESSAGE = "A password has at most 4096 characters."


@pytest.mark.django_db
def test_it_refuses_a_new_password_longer_than_the_log_in_form_takes(partner_a) -> None:
    response = client_for(partner_a).post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": TOO_LONG, "new_password2": TOO_LONG}
    )
    assert response.status_code == 200
    assert CAP_MESSAGE in response.content.decode()
    assert User.objects.get(pk=partner_a.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_it_refuses_an_over_long_old_password_before_hashing_it(partner_a) -> None:
    response = client_for(partner_a).post(
        "/accounts/password/change/",
        {"old_password": "p" * 10_000, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert CAP_MESSAGE in response.content.decode()
    assert User.objects.get(pk=partner_a.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_it_refuses_an_over_long_password_through_a_reset_link(facilitator, django_capture_on_commit_callbacks) -> None:
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": facilitator.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": TOO_LONG, "new_password2": TOO_LONG})
    assert response.status_code == 200
    assert CAP_MESSAGE in response.content.decode()
    assert User.objects.get(pk=facilitator.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_it_refuses_an_over_long_password_set_in_the_admin(admin, facilitator) -> None:
    response = client_for(admin).post(
        f"/admin/accounts/user/{facilitator.pk}/password/",
        {"password1": TOO_LONG, "password2": TOO_LONG, "usable_password": "true"},
    )
    assert response.status_code == 200
    assert CAP_MESSAGE in response.content.decode()
    assert User.objects.get(pk=facilitator.pk).check_password(PASSWORD)
