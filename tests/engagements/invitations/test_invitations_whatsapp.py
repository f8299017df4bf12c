"""A contact with only a phone is invited on WhatsApp: the facilitator sends the link from their own phone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from accounts.models import User
from engagements import services
from engagements.models import Invitation, InvitationChannel, Partnership
from partners.models import Contact
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "kebun-mangrove-pesisir-2026"


@pytest.fixture
def phone_only(org_a) -> Contact:
    return Contact.objects.create(organization=org_a, name="Bu Sri Lestari", phone="+6281234567890")


def invite_by_whatsapp(client, partnership: Partnership, contact: Contact, capture):
    with capture(execute=True):
        return client.post(
            f"/partnerships/{partnership.pk}/invitations/new/", {"contact": contact.pk, "channel": "whatsapp"}
        )


def chat_of(page: str) -> tuple[str, str]:
    """The click-to-chat link of the page: (its number, its message)."""
    address = re.search(r'href="(https://wa\.me/[^"]+)"', page).group(1).replace("&amp;", "&")
    parts = urlsplit(address)
    return parts.path.strip("/"), parse_qs(parts.query)["text"][0]


def test_a_contact_with_only_a_phone_is_invited_on_whatsapp(
    facilitator, partnership, phone_only, django_capture_on_commit_callbacks
) -> None:
    response = invite_by_whatsapp(client_for(facilitator), partnership, phone_only, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    invitation = Invitation.objects.get()
    assert (invitation.channel, invitation.phone, invitation.email) == (
        InvitationChannel.WHATSAPP,
        phone_only.phone,
        "",
    )
    assert mail.outbox == []  # Rekan sends nothing: the facilitator does
    number, message = chat_of(response.content.decode())
    assert number == "6281234567890"
    # In the contact's language (Indonesian by default), with the working link.
    assert "Bu Sri Lestari" in message and "Mangrove Pesisir Demak" in message
    assert "mengundang" in message
    link = re.search(r"http://testserver(/invitations/[\w-]+/)", message).group(1)
    assert "RAHASIA" not in message

    # The link is accepted the same way as one sent by email.
    client = client_for(None)
    assert client.get(link).status_code == 200
    accepted = client.post(
        link, {"username": "bu-sri", "password": STRONG_PASSWORD, "password_confirmation": STRONG_PASSWORD}
    )
    assert accepted.status_code == 302
    user = User.objects.get(username="bu-sri")
    assert user.email == ""
    invitation.refresh_from_db()
    assert invitation.user == user
    assert client_for(None).get(link).status_code == 404  # once


def test_the_message_is_written_in_the_contacts_language(
    facilitator, partnership, phone_only, django_capture_on_commit_callbacks
) -> None:
    phone_only.preferred_language = "en"
    phone_only.save()
    response = invite_by_whatsapp(client_for(facilitator), partnership, phone_only, django_capture_on_commit_callbacks)
    _number, message = chat_of(response.content.decode())
    assert message.startswith("Hello Bu Sri Lestari,")


def test_a_contact_without_a_phone_cannot_be_invited_on_whatsapp(
    facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    no_phone = Contact.objects.create(organization=org_a, name="Pak Budi", email="budi@example.org")
    response = invite_by_whatsapp(client_for(facilitator), partnership, no_phone, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "no phone number WhatsApp can reach" in response.content.decode()
    assert not Invitation.objects.exists()


def test_two_accounts_without_email_do_not_block_each_other(facilitator, partnership, phone_only, org_a) -> None:
    other = Contact.objects.create(organization=org_a, name="Mbak Ani", phone="+6281311112222")
    for contact, username in ((phone_only, "bu-sri"), (other, "mbak-ani")):
        _invitation, token = services.invitations.invitation_create(
            user=facilitator, partnership=partnership, contact=contact, channel=InvitationChannel.WHATSAPP
        )
        services.invitations.invitation_accept(token=token, username=username, password=STRONG_PASSWORD)
    assert User.objects.filter(username__in=["bu-sri", "mbak-ani"], email="").count() == 2


def test_the_panel_says_where_the_invitation_went(facilitator, partnership, phone_only) -> None:
    services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=phone_only, channel=InvitationChannel.WHATSAPP
    )
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "WhatsApp 0812-3456-7890" in page


def test_an_unknown_channel_changes_nothing(facilitator, partnership, phone_only) -> None:
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/invitations/new/", {"contact": phone_only.pk, "channel": "pigeon"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
