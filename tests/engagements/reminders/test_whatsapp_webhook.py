"""The WhatsApp webhook: Meta's address check, and signed delivery statuses that only move forward."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.urls import reverse

from engagements import services
from engagements.models import Reminder, ReminderChannel, ReminderStatus, WhatsAppDelivery
from tests.conftest import ROLES, client_for
from tests.engagements.graph_api import APP_SECRET, VERIFY_TOKEN
from tests.engagements.reminders.test_whatsapp_channel import (  # noqa: F401 (partnership: a fixture)
    add_contact,
    due_check_in,
    partnership,
    whatsapp_row,
)

pytestmark = pytest.mark.django_db

URL = "/webhooks/whatsapp/"


def status_body(message_id: str, status: str, **extra: object) -> bytes:
    """A delivery status as the Cloud API posts it (one entry, one change, one status)."""
    item: dict[str, object] = {
        "id": message_id,
        "status": status,
        "timestamp": "1764748800",
        "recipient_id": "6281234567890",
    } | extra
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                            "statuses": [item],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(body: bytes, sign: str | None = None) -> int:
    headers = {"X-Hub-Signature-256": signature(body) if sign is None else sign}
    return (
        Client(enforce_csrf_checks=True).post(URL, body, content_type="application/json", headers=headers).status_code
    )


@pytest.fixture
def sent(graph_api, partnership, facilitator, org_a) -> Reminder:  # noqa: F811 (the imported fixture)
    add_contact(org_a, email="sri@example.org")
    due_check_in(partnership, facilitator)
    services.reminders.sweep()
    services.reminders.deliver()
    row = whatsapp_row()
    assert row.status == ReminderStatus.SENT and row.provider_message_id
    return row


def test_it_answers_metas_address_check_with_the_challenge_only_for_the_right_token(graph_api) -> None:
    client = Client()
    good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    response = client.get(URL, good)
    assert (response.status_code, response.content, response["Content-Type"]) == (
        200,
        b"1158201444",
        "text/plain",
    )
    assert client.get(URL, good | {"hub.verify_token": "guess"}).status_code == 403
    assert client.get(URL, good | {"hub.mode": "unsubscribe"}).status_code == 403
    # Not echoed: the challenge is a number, never markup.
    assert client.get(URL, good | {"hub.challenge": "<script>alert(1)</script>"}).status_code == 403


def test_it_is_not_there_while_whatsapp_is_not_configured() -> None:
    assert reverse("engagements:whatsapp_webhook") == URL
    assert Client().get(URL, {"hub.mode": "subscribe"}).status_code == 404
    assert Client().post(URL, b"{}", content_type="application/json").status_code == 404


def test_it_records_delivered_then_read(sent) -> None:
    assert post(status_body(sent.provider_message_id, "delivered")) == 200
    sent.refresh_from_db()
    assert sent.delivery_status == WhatsAppDelivery.DELIVERED
    assert post(status_body(sent.provider_message_id, "read")) == 200
    sent.refresh_from_db()
    assert (sent.delivery_status, sent.status) == (WhatsAppDelivery.READ, ReminderStatus.SENT)


@pytest.mark.parametrize(
    "sign",
    ["", "sha256=" + "0" * 64, "sha1=abc", "wrong-secret"],
    ids=["none", "zeros", "other algorithm", "other secret"],
)
def test_it_refuses_a_wrong_signature_and_changes_nothing(sent, sign) -> None:
    body = status_body(sent.provider_message_id, "failed", errors=[{"code": 131026, "title": "Undeliverable"}])
    if sign == "wrong-secret":
        sign = signature(body, secret="not-the-app-secret")
    assert post(body, sign=sign) == 403
    sent.refresh_from_db()
    assert (sent.status, sent.delivery_status) == (ReminderStatus.SENT, "")
    assert Reminder.objects.filter(channel=ReminderChannel.EMAIL, contact__isnull=False).count() == 0


def test_a_replayed_or_late_status_changes_nothing_twice(sent) -> None:
    read = status_body(sent.provider_message_id, "read")
    assert post(read) == 200
    sent.refresh_from_db()
    first = sent.delivery_status_at
    assert post(read) == 200
    assert post(status_body(sent.provider_message_id, "delivered")) == 200  # late: "read" came first
    sent.refresh_from_db()
    assert (sent.delivery_status, sent.delivery_status_at) == (WhatsAppDelivery.READ, first)


def test_a_failed_delivery_fails_the_reminder_once_and_falls_back_to_email_once(sent) -> None:
    body = status_body(sent.provider_message_id, "failed", errors=[{"code": 131047, "title": "Re-engagement message"}])
    assert post(body) == 200
    assert post(body) == 200  # Meta retries a webhook it thinks was lost
    sent.refresh_from_db()
    assert (sent.status, sent.delivery_status) == (ReminderStatus.FAILED, WhatsAppDelivery.FAILED)
    assert "131047 Re-engagement message" in sent.last_error
    (fallback,) = Reminder.objects.filter(channel=ReminderChannel.EMAIL, contact__isnull=False)
    assert (fallback.status, fallback.email, fallback.occurrence) == (
        ReminderStatus.PENDING,
        "sri@example.org",
        sent.occurrence,
    )


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"entry": "x"}', b'{"entry": [{"changes": [{"value": {"statuses": [{"id": 5}]}}]}]}'],
    ids=["not json", "a list", "entry not a list", "id not text"],
)
def test_it_answers_odd_bodies_without_an_error_page(sent, body) -> None:
    assert post(body) in (200, 400)
    sent.refresh_from_db()
    assert sent.delivery_status == ""


def test_an_unknown_message_id_changes_nothing(sent) -> None:
    assert post(status_body("wamid.SOMEONE-ELSES", "read")) == 200
    sent.refresh_from_db()
    assert sent.delivery_status == ""


def test_the_reminder_log_shows_the_number_and_what_whatsapp_reported(sent, facilitator) -> None:
    assert post(status_body(sent.provider_message_id, "delivered")) == 200
    page = client_for(facilitator).get(reverse("engagements:reminder_log")).content.decode()
    assert "WhatsApp: 0812-3456-7890" in page
    assert "Delivered" in page


@pytest.mark.parametrize("role_user", ROLES, indirect=True)
def test_whoever_is_signed_in_only_the_signature_lets_a_status_in(sent, role_user) -> None:
    """The webhook's row of the permission matrix with the channel on: a session is no proof, nor is CSRF needed."""
    client = client_for(role_user)
    client.handler.enforce_csrf_checks = True
    body = status_body(sent.provider_message_id, "read")
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert client.get(URL, {"hub.mode": "subscribe", "hub.challenge": "1"}).status_code == 403
    sent.refresh_from_db()
    assert sent.delivery_status == ""
    headers = {"X-Hub-Signature-256": signature(body)}
    assert client.post(URL, body, content_type="application/json", headers=headers).status_code == 200
    sent.refresh_from_db()
    assert sent.delivery_status == WhatsAppDelivery.READ


def message_body(sender: str, message: dict[str, object]) -> bytes:
    """An incoming message as the Cloud API posts it."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Sri"}, "wa_id": sender}],
        "messages": [{"from": sender, "id": "wamid.IN1", "timestamp": "1764748800"} | message],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    "message",
    [
        {"type": "text", "text": {"body": "STOP"}},
        {"type": "text", "text": {"body": " Berhenti! "}},
        {"type": "button", "button": {"text": "Stop reminders", "payload": "stop"}},
    ],
    ids=["stop", "berhenti", "quick reply"],
)
def test_a_stop_reply_ends_the_agreement_and_cancels_what_was_written(
    graph_api,
    partnership,  # noqa: F811 (the imported fixture)
    facilitator,
    org_a,
    message,
) -> None:
    contact = add_contact(org_a, email="sri@example.org")
    due_check_in(partnership, facilitator)
    services.reminders.sweep()

    assert post(message_body("6281234567890", message)) == 200

    contact.refresh_from_db()
    assert (contact.whatsapp_reminders, contact.whatsapp_consent_on) == (False, None)
    assert contact.history.first().history_change_reason == "Asked on WhatsApp to stop its messages"
    services.reminders.deliver()
    row = whatsapp_row()
    assert row.status == ReminderStatus.CANCELLED
    assert graph_api.requests == 0


def test_any_other_reply_or_number_changes_nothing(graph_api, org_a) -> None:
    contact = add_contact(org_a)
    for sender, text in [("6281234567890", "Terima kasih, stop dulu ya"), ("6285700000000", "STOP")]:
        assert post(message_body(sender, {"type": "text", "text": {"body": text}})) == 200
    contact.refresh_from_db()
    assert contact.whatsapp_reminders is True


def test_an_unsigned_stop_changes_nothing(graph_api, org_a) -> None:
    contact = add_contact(org_a)
    assert post(message_body("6281234567890", {"type": "text", "text": {"body": "STOP"}}), sign="sha256=00") == 403
    contact.refresh_from_db()
    assert contact.whatsapp_reminders is True
