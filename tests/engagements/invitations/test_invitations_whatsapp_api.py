"""A contact with only a phone is invited by Rekan itself, through the WhatsApp Cloud API.

The Cloud API is ``tests.engagements.graph_api.GraphApi``, a local server
that answers as the API documents (message ids, 429, error bodies); the
statuses come in through the signed webhook, as Meta posts them.
"""

from __future__ import annotations

import re

import pytest
from celery import current_app
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.models import Invitation, InvitationChannel, Partnership, WhatsAppDelivery
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.graph_api import NOT_ON_WHATSAPP, RATE_LIMITED, SERVER_ERROR, parameters_of
from tests.engagements.reminders.test_whatsapp_webhook import post, status_body

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "kebun-mangrove-pesisir-2026"
PHONE = "+6281234567890"


def phone_only(organization, *, agreed: bool = True) -> Contact:
    return Contact.objects.create(
        organization=organization,
        name="Bu Sri Lestari",
        phone=PHONE,
        consent_to_contact=True,
        whatsapp_reminders=agreed,
        whatsapp_consent_on=timezone.localdate() if agreed else None,
    )


def invite(facilitator, partnership: Partnership, contact: Contact, capture):
    with capture(execute=True):
        return client_for(facilitator).post(
            f"/partnerships/{partnership.pk}/invitations/new/", {"contact": contact.pk, "channel": "whatsapp_api"}
        )


def invitations_panel(facilitator, partnership: Partnership) -> str:
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    return page[page.index('id="invitations-heading"') :]


def test_a_contact_with_only_a_phone_is_invited_by_the_cloud_api_and_accepts_the_link(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    contact = phone_only(org_a)

    response = invite(facilitator, partnership, contact, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    (body,) = graph_api.accepted
    assert body["to"] == "6281234567890"
    assert (body["template"]["name"], body["template"]["language"]["code"]) == ("rekan_invitation", "id")
    title, link, last_day = parameters_of(body)
    assert title == "Mangrove Pesisir Demak"
    assert re.fullmatch(r"http://testserver/invitations/[\w-]+/", link)
    assert re.search(r"\d+ \w+ \d{4}", last_day)  # a date, in Indonesian
    assert "RAHASIA" not in str(body)
    invitation = Invitation.objects.get()
    assert (invitation.channel, invitation.phone, invitation.email) == (InvitationChannel.WHATSAPP_API, PHONE, "")
    assert (invitation.provider_message_id, invitation.delivery_status) == (
        graph_api.message_ids[0],
        WhatsAppDelivery.SENT,
    )
    assert "WhatsApp: Sent to the phone" in invitations_panel(facilitator, partnership)

    # The link is accepted as one sent by email.
    client = client_for(None)
    path = link.removeprefix("http://testserver")
    accepted = client.post(
        path, {"username": "bu-sri", "password": STRONG_PASSWORD, "password_confirmation": STRONG_PASSWORD}
    )
    assert accepted.status_code == 302
    assert User.objects.get(username="bu-sri").email == ""


def test_the_panel_shows_what_the_webhook_reports_and_a_replay_changes_nothing(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    invite(facilitator, partnership, phone_only(org_a), django_capture_on_commit_callbacks)
    message_id = graph_api.message_ids[0]

    assert post(status_body(message_id, "read")) == 200
    assert post(status_body(message_id, "delivered")) == 200  # late: read already says more

    invitation = Invitation.objects.get()
    assert invitation.delivery_status == WhatsAppDelivery.READ
    assert "WhatsApp: Read" in invitations_panel(facilitator, partnership)


def test_a_failure_reported_later_shows_with_whatsapps_reason(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    invite(facilitator, partnership, phone_only(org_a), django_capture_on_commit_callbacks)
    failure = status_body(graph_api.message_ids[0], "failed", errors=[{"code": 131049, "title": "Not delivered"}])

    assert post(failure) == 200
    assert post(failure) == 200

    invitation = Invitation.objects.get()
    assert invitation.delivery_status == WhatsAppDelivery.FAILED
    assert "131049" in invitation.last_error
    panel = invitations_panel(facilitator, partnership)
    assert "WhatsApp: Not delivered" in panel and "131049" in panel


def test_it_is_not_offered_while_whatsapp_is_not_configured(
    facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    form = client_for(facilitator).get(f"/partnerships/{partnership.pk}/invitations/new/").content.decode()
    assert 'value="whatsapp_api"' not in form

    response = invite(facilitator, partnership, phone_only(org_a), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_refuses_someone_who_did_not_agree_to_whatsapp_messages(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    form = client_for(facilitator).get(f"/partnerships/{partnership.pk}/invitations/new/").content.decode()
    assert 'value="whatsapp_api"' in form

    response = invite(facilitator, partnership, phone_only(org_a, agreed=False), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "has not agreed to messages from Rekan on WhatsApp" in response.content.decode()
    assert not Invitation.objects.exists()
    assert graph_api.requests == 0


@pytest.mark.parametrize("refusal", [RATE_LIMITED, SERVER_ERROR])
def test_a_temporary_refusal_is_tried_again_and_sends_once(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks, refusal, monkeypatch
) -> None:
    # Run eagerly, a task's retry runs at once when its exception is not propagated.
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    graph_api.answer_next(refusal)

    invite(facilitator, partnership, phone_only(org_a), django_capture_on_commit_callbacks)

    assert graph_api.total == 1
    invitation = Invitation.objects.get()
    assert invitation.delivery_status == WhatsAppDelivery.SENT
    assert (invitation.last_error, invitation.provider_message_id) == ("", graph_api.message_ids[0])


def test_a_number_not_on_whatsapp_fails_at_once_with_the_reason(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    graph_api.answer_next(NOT_ON_WHATSAPP)

    invite(facilitator, partnership, phone_only(org_a), django_capture_on_commit_callbacks)

    invitation = Invitation.objects.get()
    assert invitation.delivery_status == WhatsAppDelivery.FAILED
    assert "131026" in invitation.last_error
    assert graph_api.total == 0
    assert "WhatsApp: Not delivered" in invitations_panel(facilitator, partnership)


def test_a_task_run_again_sends_nothing_more(
    graph_api, facilitator, partnership, org_a, django_capture_on_commit_callbacks
) -> None:
    invite(facilitator, partnership, phone_only(org_a), django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()

    again = services.invitations.invitation_deliver_on_whatsapp(invitation_id=invitation.pk, accept_url="http://x/")

    assert again == "already handled"
    assert graph_api.total == 1


def test_a_run_that_finds_an_intent_without_an_answer_does_not_send_blindly(
    graph_api, facilitator, partnership, org_a
) -> None:
    """A worker killed while WhatsApp answered: the broker gives the task again, and it must not send twice."""
    invitation, _token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=phone_only(org_a), channel=InvitationChannel.WHATSAPP_API
    )
    Invitation.objects.filter(pk=invitation.pk).update(send_started_at=timezone.now())

    result = services.invitations.invitation_deliver_on_whatsapp(invitation_id=invitation.pk, accept_url="http://x/")

    assert result == "already handled"
    assert graph_api.requests == 0
    assert "no report yet" in invitations_panel(facilitator, partnership)


def test_a_consent_withdrawn_before_its_turn_sends_nothing(graph_api, facilitator, partnership, org_a) -> None:
    contact = phone_only(org_a)
    invitation, _token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=contact, channel=InvitationChannel.WHATSAPP_API
    )
    Contact.objects.filter(pk=contact.pk).update(whatsapp_reminders=False)

    result = services.invitations.invitation_deliver_on_whatsapp(invitation_id=invitation.pk, accept_url="http://x/")

    assert result == "not sent"
    assert graph_api.requests == 0
    assert Invitation.objects.get().delivery_status == WhatsAppDelivery.FAILED
