"""A facilitator invites a partner contact; the link creates their account, once."""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.roles import PARTNER_MEMBER
from engagements import errors, services
from engagements.models import Invitation, Partnership
from partners.models import Contact, OrganizationMember
from tests.conftest import client_for
from tests.engagements.invitations.conftest import SECRET
from tests.factories import OrganizationFactory

STRONG_PASSWORD = "kebun-mangrove-pesisir-2026"
LINK = re.compile(r"http://testserver(/invitations/[\w-]+/)")


@pytest.fixture
def other_partnership(facilitator, org_b) -> Partnership:
    partnership = services.partnerships.partnership_save(
        user=facilitator, partnership=Partnership(title="Sawah Organik")
    )
    services.partnerships.member_add(partnership=partnership, organization=org_b, role="lead")
    return partnership


@pytest.fixture
def contact(org_a) -> Contact:
    return Contact.objects.create(
        organization=org_a, name="Siti Rahayu", email="siti.rahayu@example.org", preferred_language="en"
    )


@pytest.fixture
def outsider(org_b) -> Contact:
    return Contact.objects.create(organization=org_b, name="Pak Joko", email="joko@example.org")


def invite(client, partnership: Partnership, contact: Contact, capture, email: str = ""):
    with capture(execute=True):
        return client.post(f"/partnerships/{partnership.pk}/invitations/new/", {"contact": contact.pk, "email": email})


def issue(partnership: Partnership, contact: Contact, facilitator: User, **changes: object) -> str:
    invitation, token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=contact, email=""
    )
    if changes:
        Invitation.objects.filter(pk=invitation.pk).update(**changes)
    return token


def accept(client, token: str, username: str = "siti", password: str = STRONG_PASSWORD, confirmation: str = ""):
    return client.post(
        f"/invitations/{token}/",
        {"username": username, "password": password, "password_confirmation": confirmation or password},
    )


@pytest.mark.django_db
def test_it_invites_a_contact_who_then_lands_on_our_partnerships(
    facilitator, partnership, contact, django_capture_on_commit_callbacks
) -> None:
    facilitator.first_name, facilitator.last_name = "Dewi", "Lestari"
    facilitator.save()
    response = invite(client_for(facilitator), partnership, contact, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/{partnership.pk}/"
    invitation = Invitation.objects.get()
    assert (invitation.contact, invitation.email, invitation.created_by) == (contact, contact.email, facilitator)
    assert invitation.accepted_at is None
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    [message] = mail.outbox
    assert message.to == ["siti.rahayu@example.org"]
    assert "Mangrove Pesisir Demak" in message.subject
    assert "Dewi Lestari" in message.body
    assert "Siti Rahayu" in message.body
    path = LINK.search(message.body).group(1)
    token = path.split("/")[2]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash

    visitor = client_for(None)
    form_page = visitor.get(path)
    assert form_page.status_code == 200
    assert 'value="siti.rahayu"' in form_page.content.decode()
    response = accept(visitor, token, username="siti.rahayu")

    assert response.status_code == 302
    assert response["Location"] == "/our-partnerships/"
    user = User.objects.get(username="siti.rahayu")
    assert user.email == "siti.rahayu@example.org"
    assert user.language == "en"
    assert user.check_password(STRONG_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [PARTNER_MEMBER]
    assert OrganizationMember.objects.filter(user=user, organization=contact.organization).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user == user
    landing = visitor.get("/our-partnerships/")
    assert landing.status_code == 200
    assert "Mangrove Pesisir Demak" in landing.content.decode()
    portal = visitor.get(f"/partnerships/{partnership.pk}/")
    assert portal.status_code == 200
    assert "Mangrove Pesisir Demak" in portal.content.decode()
    assert SECRET not in portal.content.decode()


@pytest.mark.django_db
def test_it_keeps_internal_notes_out_of_the_email(
    facilitator, partnership, contact, django_capture_on_commit_callbacks
) -> None:
    invite(client_for(facilitator), partnership, contact, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "Mangrove Pesisir Demak" in message.body
    assert SECRET not in message.body
    assert SECRET not in message.subject


@pytest.mark.django_db
def test_it_works_only_once(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator)
    assert accept(client_for(None), token)["Location"] == "/our-partnerships/"

    again = client_for(None)
    page = again.get(f"/invitations/{token}/")
    response = accept(again, token, username="someone-else")

    assert page.status_code == 404
    assert "ask the facilitator" in page.content.decode().lower()
    assert response.status_code == 404
    assert list(User.objects.filter(email=contact.email).values_list("username", flat=True)) == ["siti"]
    assert not User.objects.filter(username="someone-else").exists()


@pytest.mark.django_db
def test_it_answers_404_for_an_expired_invitation(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    visitor = client_for(None)

    assert visitor.get(f"/invitations/{token}/").status_code == 404
    response = accept(visitor, token)

    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()
    assert not User.objects.filter(username="siti").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["unknown-token", "x" * 500])
def test_it_answers_404_for_an_unknown_token(db, token: str) -> None:
    response = client_for(None).get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()


@pytest.mark.django_db
def test_it_answers_404_once_the_contact_was_erased(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator)
    Contact.objects.filter(pk=contact.pk).update(erased_at=timezone.now())
    assert accept(client_for(None), token).status_code == 404
    assert not User.objects.filter(username="siti").exists()


@pytest.mark.django_db
def test_it_refuses_contacts_of_non_member_organizations(
    facilitator, partnership, contact, outsider, django_capture_on_commit_callbacks
) -> None:
    client = client_for(facilitator)
    form = client.get(f"/partnerships/{partnership.pk}/invitations/new/").content.decode()
    response = invite(client, partnership, outsider, django_capture_on_commit_callbacks)

    assert "Siti Rahayu" in form
    assert "Pak Joko" not in form
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    with pytest.raises(errors.EngagementRuleError):
        services.invitations.invitation_create(user=facilitator, partnership=partnership, contact=outsider, email="")


@pytest.mark.django_db
def test_it_does_not_offer_erased_contacts(facilitator, partnership, contact) -> None:
    Contact.objects.create(organization=contact.organization, name="Erased contact #99", erased_at=timezone.now())
    form = client_for(facilitator).get(f"/partnerships/{partnership.pk}/invitations/new/").content.decode()
    assert "Siti Rahayu" in form
    assert "Erased contact" not in form


@pytest.mark.django_db
def test_it_prefills_the_email_of_the_chosen_contact(facilitator, partnership, contact) -> None:
    response = client_for(facilitator).get(f"/partnerships/{partnership.pk}/invitations/new/?contact={contact.pk}")
    assert response.context["form"]["email"].value() == "siti.rahayu@example.org"
    assert 'value="siti.rahayu@example.org"' in response.content.decode()


@pytest.mark.django_db
def test_it_asks_for_an_email_when_the_contact_has_none(
    facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    no_email = Contact.objects.create(organization=org_a, name="Bu Sri")
    client = client_for(facilitator)

    refused = invite(client, partnership, no_email, django_capture_on_commit_callbacks)
    accepted = invite(client, partnership, no_email, django_capture_on_commit_callbacks, email="sri@example.org")

    assert refused.status_code == 200
    assert "has no email address" in refused.content.decode()
    assert accepted.status_code == 302
    assert Invitation.objects.get().email == "sri@example.org"
    assert [m.to for m in mail.outbox] == [["sri@example.org"]]


@pytest.mark.django_db
@pytest.mark.parametrize(("preferred", "month"), [("en", "March"), ("id", "Maret"), ("local", "Maret")])
def test_it_writes_the_email_in_the_contacts_language(
    facilitator, partnership, contact, preferred: str, month: str, django_capture_on_commit_callbacks
) -> None:
    Contact.objects.filter(pk=contact.pk).update(preferred_language=preferred)
    invitation, _token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=Contact.objects.get(pk=contact.pk), email=""
    )
    invitation.expires_at = datetime.datetime(2030, 3, 10, 5, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invitation_send(invitation=invitation, accept_url="http://testserver/invitations/t/")
    assert f"10 {month} 2030" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(("preferred", "language"), [("id", "id"), ("en", "en"), ("local", "id")])
def test_it_gives_the_new_account_the_language_of_its_invitation_email(
    facilitator, partnership, contact, preferred: str, language: str
) -> None:
    Contact.objects.filter(pk=contact.pk).update(preferred_language=preferred)
    token = issue(partnership, Contact.objects.get(pk=contact.pk), facilitator)
    accept(client_for(None), token)
    assert User.objects.get(username="siti").language == language


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preferred", "browser", "language", "heading"),
    [
        ("id", "en", "id", "Buat akun Rekan Anda"),
        ("local", "en", "id", "Buat akun Rekan Anda"),
        ("en", "id", "en", "Create your Rekan account"),
    ],
)
def test_it_opens_the_accept_page_in_the_language_of_the_invitation_email(
    facilitator, partnership, contact, preferred: str, browser: str, language: str, heading: str
) -> None:
    Contact.objects.filter(pk=contact.pk).update(preferred_language=preferred)
    token = issue(partnership, Contact.objects.get(pk=contact.pk), facilitator)

    page = client_for(None).get(f"/invitations/{token}/", headers={"accept-language": browser})

    html = page.content.decode()
    assert page.status_code == 200
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html  # the Indonesian heading needs the merged translations
    assert page["Content-Language"] == language


@pytest.mark.django_db
def test_it_welcomes_the_new_account_in_the_language_of_the_invitation_email(facilitator, partnership, contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(preferred_language="id")
    token = issue(partnership, Contact.objects.get(pk=contact.pk), facilitator)
    visitor = client_for(None)

    response = visitor.post(
        f"/invitations/{token}/",
        {"username": "siti", "password": STRONG_PASSWORD, "password_confirmation": STRONG_PASSWORD},
        headers={"accept-language": "en"},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain == [("/our-partnerships/", 302)]
    assert User.objects.get(username="siti").language == "id"
    assert '<html lang="id">' in html
    assert "Selamat datang di Rekan! Berikut kemitraan kelompok Anda." in html
    assert "Welcome to Rekan!" not in html


@pytest.mark.django_db
def test_it_keeps_the_language_the_visitor_chose_with_the_switcher(facilitator, partnership, contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(preferred_language="id")
    token = issue(partnership, Contact.objects.get(pk=contact.pk), facilitator)
    visitor = client_for(None)
    visitor.post("/accounts/language/", {"language": "en", "next": f"/invitations/{token}/"})

    page = visitor.get(f"/invitations/{token}/", headers={"accept-language": "id"})
    response = accept(visitor, token)

    assert '<html lang="en">' in page.content.decode()
    assert response.status_code == 302
    assert User.objects.get(username="siti").language == "en"


@pytest.mark.django_db
def test_it_leaves_a_signed_in_visitor_in_their_own_language(facilitator, partnership, contact) -> None:
    facilitator.language = "en"
    facilitator.save()
    Contact.objects.filter(pk=contact.pk).update(preferred_language="id")
    token = issue(partnership, Contact.objects.get(pk=contact.pk), facilitator)

    page = client_for(facilitator).get(f"/invitations/{token}/")

    assert '<html lang="en">' in page.content.decode()
    assert "log out first" in page.content.decode()


@pytest.mark.django_db
def test_it_forbids_partner_members_to_invite(partner_a, partnership, contact) -> None:
    client = client_for(partner_a)
    assert client.get(f"/partnerships/{partnership.pk}/invitations/new/").status_code == 403
    response = client.post(f"/partnerships/{partnership.pk}/invitations/new/", {"contact": contact.pk})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_it_answers_404_for_partnerships_of_other_groups(partner_a, other_partnership, outsider) -> None:
    client = client_for(partner_a)
    assert client.get(f"/partnerships/{other_partnership.pk}/invitations/new/").status_code == 404
    response = client.post(f"/partnerships/{other_partnership.pk}/invitations/new/", {"contact": outsider.pk})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_log_in(partnership) -> None:
    response = client_for(None).get(f"/partnerships/{partnership.pk}/invitations/new/")
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == "/accounts/login/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("kebun", "This password is too short."),
        ("12345678901", "This password is entirely numeric."),
        ("siti.rahayu", "The password is too similar to the"),
    ],
)
def test_it_refuses_weak_passwords_with_a_message(
    facilitator, partnership, contact, password: str, message: str
) -> None:
    token = issue(partnership, contact, facilitator)
    response = accept(client_for(None), token, username="siti.rahayu", password=password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="siti.rahayu").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_it_refuses_a_confirmation_that_differs(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator)
    response = accept(client_for(None), token, confirmation=STRONG_PASSWORD + "!")
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.content.decode()
    assert not User.objects.filter(username="siti").exists()


@pytest.mark.django_db
def test_it_refuses_a_username_that_is_taken(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator)
    response = accept(client_for(None), token, username=facilitator.username.upper())
    assert response.status_code == 200
    assert "This username is taken" in response.content.decode()
    assert User.objects.count() == 1
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_it_suggests_a_free_username(facilitator, partnership, contact) -> None:
    User.objects.create(username="Siti.Rahayu")
    token = issue(partnership, contact, facilitator)
    response = client_for(None).get(f"/invitations/{token}/")
    assert response.context["form"]["username"].value() == "siti.rahayu2"


@pytest.mark.django_db
def test_it_asks_an_existing_partner_member_to_log_in(facilitator, partnership, partner_a, org_a) -> None:
    contact = Contact.objects.create(
        organization=org_a, name="Mitra A", email=partner_a.email.upper(), preferred_language="en"
    )
    token = issue(partnership, contact, facilitator)
    visitor = client_for(None)

    page = visitor.get(f"/invitations/{token}/")
    response = accept(visitor, token, username="mitra_a_baru")

    assert page.status_code == 200
    assert "exists already" in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    assert "exists already" in response.content.decode()
    assert not User.objects.filter(username="mitra_a_baru").exists()
    assert Invitation.objects.get().accepted_at is None
    with pytest.raises(errors.InvitationAccountExists):
        services.invitations.invitation_accept(token=token, username="mitra_a_baru", password=STRONG_PASSWORD)


@pytest.mark.django_db
def test_it_does_not_swap_a_signed_in_session_for_the_new_account(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator)
    client = client_for(facilitator)

    response = accept(client, token)

    assert response.status_code == 200
    assert "log out first" in response.content.decode()
    assert not User.objects.filter(username="siti").exists()
    assert int(client.session["_auth_user_id"]) == facilitator.pk


@pytest.mark.django_db
def test_it_accepts_through_the_service_only_once(facilitator, partnership, contact) -> None:
    token = issue(partnership, contact, facilitator)
    user = services.invitations.invitation_accept(token=token, username="siti", password=STRONG_PASSWORD)
    with pytest.raises(errors.InvitationInvalid):
        services.invitations.invitation_accept(token=token, username="siti2", password=STRONG_PASSWORD)
    assert list(User.objects.filter(email=contact.email)) == [user]
    assert Group.objects.get(name=PARTNER_MEMBER).user_set.get() == user


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_simultaneous_acceptances_through(facilitator, partnership, contact) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's")
    token = issue(partnership, contact, facilitator)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept_in_thread(username: str) -> None:
        start.wait()
        try:
            services.invitations.invitation_accept(token=token, username=username, password=STRONG_PASSWORD)
            outcomes.append("accepted")
        except errors.InvitationInvalid:
            outcomes.append("invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept_in_thread, args=(name,)) for name in ("siti", "siti2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "invalid"]
    assert User.objects.filter(email=contact.email).count() == 1


@pytest.mark.django_db
def test_it_lists_invitations_with_their_status_on_the_partnership_page(
    facilitator, partnership, contact, org_a
) -> None:
    accepted = Contact.objects.create(organization=org_a, name="Bu Ani", email="ani@example.org")
    expired = Contact.objects.create(organization=org_a, name="Pak Budi", email="budi@example.org")
    services.invitations.invitation_accept(
        token=issue(partnership, accepted, facilitator), username="ani", password=STRONG_PASSWORD
    )
    issue(partnership, expired, facilitator, expires_at=timezone.now() - datetime.timedelta(days=1))
    issue(partnership, contact, facilitator)

    html = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()

    rows = {
        email: re.search(rf"{re.escape(email)}.*?</tr>", html, re.S).group(0)
        for email in ("ani@example.org", "budi@example.org", "siti.rahayu@example.org")
    }
    assert "Accepted" in rows["ani@example.org"]
    assert "Expired" in rows["budi@example.org"]
    assert "Pending" in rows["siti.rahayu@example.org"]
    assert org_a.name in rows["siti.rahayu@example.org"]
    assert f'href="/partnerships/{partnership.pk}/invitations/new/"' in html
    assert "Invite a partner member" in html


@pytest.mark.django_db
def test_it_offers_only_members_of_this_partnership(facilitator, partnership, contact, org_b, outsider) -> None:
    second = OrganizationFactory(name="Kelompok Nelayan Bahari")
    Contact.objects.create(organization=second, name="Pak Udin", email="udin@example.org")
    services.partnerships.member_add(partnership=partnership, organization=second, role="member")
    form = client_for(facilitator).get(f"/partnerships/{partnership.pk}/invitations/new/").content.decode()
    assert "Pak Udin" in form
    assert "Siti Rahayu" in form
    assert "Pak Joko" not in form
