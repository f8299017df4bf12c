"""Reminders a facilitator sends by hand on WhatsApp: click-to-chat links with the message ready.

For the contacts the outbox cannot reach by email (most partner contacts
have only a phone) and for anyone a facilitator prefers to message: the
same people the automatic reminders go to (consent recorded, reminders
wanted, not erased), each message in the contact's language and about their
own partnership only, never naming another person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.localtime import readable_date
from engagements.models import CheckInSchedule, Commitment, CommitmentState, Partnership, PartnershipStatus
from engagements.services import outbox
from partners.models import Contact
from partners.phones import national_form, whatsapp_url

# A partnership's member groups rarely have more reachable people than this; the panel names the first ones.
LIMIT = 12


@dataclass(frozen=True)
class Chat:
    name: str
    organization: str
    phone: str
    url: str


def _language(contact: Contact) -> str:
    """As in the reminder emails: a contact who prefers a local language reads Indonesian."""
    return contact.preferred_language if contact.preferred_language in outbox.LANGUAGES else "id"


def _reachable(partnership: Partnership) -> list[Contact]:
    """The first LIMIT people of the member groups who agreed to reminders and have a phone (one query)."""
    return list(
        Contact.objects.filter(
            organization__partnership_memberships__partnership=partnership,
            erased_at__isnull=True,
            consent_to_contact=True,
            wants_reminders=True,
        )
        .exclude(phone="")
        .select_related("organization")
        .order_by("organization__name", "name", "pk")[:LIMIT]
    )


def _chat(contact: Contact, message: str) -> Chat | None:
    url = whatsapp_url(contact.phone, message)
    if not url:
        return None
    return Chat(contact.name, contact.organization.name, national_form(contact.phone), url)


def check_in_chats(partnership: Partnership, schedule: CheckInSchedule | None) -> list[Chat]:
    """A check-in reminder for each reachable member contact, while a check-in is planned and Rekan reminds."""
    if schedule is None or schedule.paused or schedule.due_on is None:
        return []
    if partnership.status in (PartnershipStatus.PAUSED, PartnershipStatus.CLOSED):
        return []
    chats = []
    for contact in _reachable(partnership):
        with translation.override(_language(contact)):
            message = _(
                "Hello %(name)s, a reminder from Rekan: the regular check-in of the partnership “%(title)s” "
                "is due on %(date)s."
            ) % {"name": contact.name, "title": partnership.title, "date": readable_date(schedule.due_on)}
        if chat := _chat(contact, message):
            chats.append(chat)
    return chats


def commitment_chat(commitment: Commitment) -> Chat | None:
    """A reminder to the person who promised, when the commitment is open and they may be messaged."""
    contact = commitment.promised_by_contact
    if contact is None or commitment.state != CommitmentState.OPEN or not contact.phone:
        return None
    if contact.erased_at is not None or not contact.consent_to_contact or not contact.wants_reminders:
        return None
    with translation.override(_language(contact)):
        message = _(
            "Hello %(name)s, a reminder from Rekan about the partnership “%(title)s”: “%(text)s” is due on %(date)s."
        ) % {
            "name": contact.name,
            "title": commitment.partnership.title,
            "text": commitment.text,
            "date": readable_date(commitment.due_on),
        }
    return _chat(contact, message)
