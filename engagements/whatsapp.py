"""The WhatsApp Cloud API: the outbox's second channel, template messages out and delivery statuses in.

Plain HTTP with httpx rather than a client library: Rekan needs one request
(POST /<phone number id>/messages with a template) and one webhook shape,
and httpx keeps one HTTP connection open for a whole delivery batch, as the
SMTP backend keeps its session. pywa would bring a framework of handlers
for the conversations Rekan does not hold.

https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.utils import translation

from engagements.emails import reminder_line_and_link
from engagements.models import Reminder

# Answers that say "later", not "never": rate limits (4, 80007, 130429,
# 131056 per recipient), WhatsApp's own faults (1, 2, 131000, 131016), and
# an expired token or a missing permission (190, 10, 200-299), which is our
# configuration: the reminders wait for the fix, as for a refused SMTP login.
TEMPORARY_CODES = frozenset({1, 2, 4, 10, 190, 80007, 130429, 131000, 131016, 131056, 133004} | set(range(200, 300)))

# WhatsApp refuses a template parameter with a line break, a tab or more
# than four spaces in a row, and one longer than this.
PARAMETER_LIMIT = 1000

TIMEOUT_SECONDS = 15


class WhatsAppError(Exception):
    """The Cloud API did not take the message: ``permanent`` when trying again cannot help."""

    def __init__(self, text: str, *, permanent: bool) -> None:
        super().__init__(text)
        self.permanent = permanent


@dataclass(frozen=True)
class TemplateMessage:
    to: str  # E.164: "+6281234567890"
    template: str
    language: str  # WhatsApp's language code: "id", "en"
    parameters: tuple[str, ...]

    def payload(self) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": self.to.removeprefix("+"),
            "type": "template",
            "template": {
                "name": self.template,
                "language": {"code": self.language},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": text} for text in self.parameters]}
                ],
            },
        }


def template_parameter(text: str) -> str:
    return " ".join(text.split())[:PARAMETER_LIMIT]


def reminder_whatsapp(reminder: Reminder) -> TemplateMessage:
    """The template message of one WhatsApp reminder, in the recipient's language.

    Two body parameters: the reminder's line (the email's subject: what is
    due, of which partnership, when) and the address to open.
    """
    with translation.override(reminder.language):
        line, link = reminder_line_and_link(reminder)
    return TemplateMessage(
        to=reminder.phone,
        template=settings.WHATSAPP_TEMPLATE,
        language=reminder.language,
        parameters=(template_parameter(line), link),
    )


class Client:
    """One HTTP connection to the Cloud API, kept open while a batch is sent."""

    def __init__(self) -> None:
        self.http = httpx.Client(
            base_url=settings.WHATSAPP_API_URL,
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}"},
            timeout=TIMEOUT_SECONDS,
        )

    def send(self, message: TemplateMessage) -> str:
        """Hand the message to WhatsApp; returns its message id (``wamid...``), which the statuses name."""
        try:
            response = self.http.post(f"/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages", json=message.payload())
        except httpx.HTTPError as error:  # refused, reset, timed out: nothing was taken, or we cannot know
            raise WhatsAppError(f"{type(error).__name__}: {error}", permanent=False) from error
        if response.status_code == 200:
            try:
                return str(response.json()["messages"][0]["id"])
            except (ValueError, KeyError, IndexError, TypeError) as error:
                raise WhatsAppError(f"Unexpected answer: {response.text[:200]}", permanent=False) from error
        raise error_of(response)

    def close(self) -> None:
        self.http.close()


def error_of(response: httpx.Response) -> WhatsAppError:
    """What a refusal means: the Graph API's error body, {"error": {"code": ..., "message": ...}}."""
    try:
        error = response.json()["error"]
        code, text = int(error.get("code", 0)), str(error.get("message", ""))
        details = error.get("error_data", {}).get("details", "")
    except (ValueError, KeyError, TypeError, AttributeError):
        code, text, details = 0, response.text[:200], ""
    temporary = response.status_code == 429 or response.status_code >= 500 or code in TEMPORARY_CODES
    summary = f"HTTP {response.status_code}, WhatsApp error {code}: {text}"
    return WhatsAppError(f"{summary} ({details})" if details else summary, permanent=not temporary)


def signature_is_valid(body: bytes, header: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


@dataclass(frozen=True)
class StatusUpdate:
    message_id: str
    status: str
    error: str


def _items(parent: object, key: str) -> list[dict[str, Any]]:
    """``parent[key]`` when it is a list, its dicts only: a webhook body is read, never trusted."""
    found = parent.get(key) if isinstance(parent, dict) else None
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def statuses_of(payload: object) -> list[StatusUpdate]:
    """The delivery statuses in a webhook's body; anything else in it (incoming messages) is left out."""
    updates = []
    for entry in _items(payload, "entry"):
        for change in _items(entry, "changes"):
            for status in _items(change.get("value"), "statuses"):
                if isinstance(status.get("id"), str):
                    errors = "; ".join(
                        f"{e.get('code', '')} {e.get('title', '')}".strip() for e in _items(status, "errors")
                    )
                    updates.append(StatusUpdate(status["id"], str(status.get("status", "")), errors))
    return updates


# What a person writes back to stop Rekan's messages, in the languages it
# speaks; WhatsApp's own "Stop" quick-reply button sends the same words.
STOP_WORDS = frozenset({"stop", "berhenti", "unsubscribe", "stop reminders", "berhenti langganan"})


def stop_requests_of(payload: object) -> list[str]:
    """The numbers (E.164) that wrote one of ``STOP_WORDS`` in a webhook's incoming messages."""
    numbers = []
    for entry in _items(payload, "entry"):
        for change in _items(entry, "changes"):
            for message in _items(change.get("value"), "messages"):
                sender = message.get("from")
                text = message.get("text") if message.get("type") == "text" else message.get("button")
                words = text.get("body", text.get("text")) if isinstance(text, dict) else None
                if isinstance(sender, str) and sender.isdigit() and isinstance(words, str):
                    if " ".join(words.casefold().split()).strip(".!") in STOP_WORDS:
                        numbers.append(f"+{sender}")
    return numbers
