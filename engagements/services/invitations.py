"""Inviting a partner contact to sign in: issue a link, email it, accept it once.

The link carries a random token; only its SHA-256 hash is stored, so a copy
of the database does not hold working links. A link works once, for
``INVITATION_LIFETIME``, and only while its contact has not been erased.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts.localtime import readable_date
from accounts.models import User
from accounts.roles import PARTNER_MEMBER
from accounts.tasks import send_email
from engagements.errors import EngagementRuleError, InvitationAccountExists, InvitationInvalid
from engagements.models import Invitation, InvitationChannel, Partnership, WhatsAppDelivery
from engagements.services.partnerships import contact_may_join
from engagements.whatsapp import Client as WhatsAppClient
from engagements.whatsapp import TemplateMessage, WhatsAppError, template_parameter
from partners.history import attribute_to
from partners.models import Contact, ContactLanguage, OrganizationMember
from partners.phones import whatsapp_url

INVITATION_LIFETIME = timedelta(days=7)


# The languages the site speaks; a contact who prefers a local language
# reads Indonesian.
EMAIL_LANGUAGES = {ContactLanguage.INDONESIAN, ContactLanguage.ENGLISH}


FALLBACK_LANGUAGE = ContactLanguage.INDONESIAN


# Longer than any token we issue: nothing longer is worth hashing.
MAX_TOKEN_LENGTH = 128


def invitation_token_new() -> tuple[str, str]:
    """A fresh token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, invitation_token_hash(token)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_language(contact: Contact) -> str:
    """The language of the invitation email, of its accept page and of the account it creates."""
    language = contact.preferred_language
    return str(language if language in EMAIL_LANGUAGES else FALLBACK_LANGUAGE)


def invitation_get_live(token: str) -> Invitation | None:
    """The invitation a link stands for, if the link still works."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    invitation = (
        Invitation.objects.select_related("partnership", "contact__organization")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if invitation is None or not _is_live(invitation):
        return None
    return invitation


def _is_live(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.expires_at > timezone.now()
        and invitation.contact.erased_at is None
    )


def account_exists_for(email: str) -> bool:
    """An account with this address already; never for no address (an invitation sent by WhatsApp)."""
    return bool(email) and User.objects.filter(email__iexact=email).exists()


def username_suggest(email: str) -> str:
    """The email's local part, made a valid username, numbered when taken."""
    username_length = User._meta.get_field("username").max_length
    assert username_length is not None, "the username is a CharField, which always has a max_length"
    max_length = username_length - 6
    base = re.sub(r"[^\w.@+-]", "", email.partition("@")[0])[:max_length] or "partner"
    taken = {
        name.casefold() for name in User.objects.filter(username__istartswith=base).values_list("username", flat=True)
    }
    candidate, number = base, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


@transaction.atomic
def invitation_create(
    *,
    user: User,
    partnership: Partnership,
    contact: Contact,
    email: str = "",
    channel: str = InvitationChannel.EMAIL,
) -> tuple[Invitation, str]:
    """Record an invitation; returns it with the token, which exists nowhere else.

    By email: send it with ``invitation_send`` while the token is at hand. By
    WhatsApp: the contact needs a number WhatsApp takes, and the facilitator
    sends ``invitation_whatsapp_url`` from their own phone.
    """
    if contact.erased_at is not None:
        raise EngagementRuleError(_("This person's data was erased: they cannot be invited."))
    if not contact_may_join(contact=contact, partnership=partnership):
        raise EngagementRuleError(_("Only people of a member organization can be invited to this partnership."))
    phone = ""
    if channel in (InvitationChannel.WHATSAPP, InvitationChannel.WHATSAPP_API):
        email = ""
        phone = contact.phone
        if not whatsapp_url(phone):
            raise EngagementRuleError(
                _("This person has no phone number WhatsApp can reach: add one to their contact, or send by email.")
            )
        if channel == InvitationChannel.WHATSAPP_API:
            whatsapp_api_check(contact)
    elif channel == InvitationChannel.EMAIL:
        email = (email or contact.email).strip()
        if not email:
            raise EngagementRuleError(_("This person has no email address: enter the one to send the invitation to."))
        try:
            validate_email(email)
        except ValidationError as error:
            raise EngagementRuleError(_("Enter a valid email address.")) from error
    else:
        raise EngagementRuleError(_("Choose how to send the invitation."))
    token, token_hash = invitation_token_new()
    invitation = Invitation(
        partnership=partnership,
        contact=contact,
        channel=channel,
        email=email,
        phone=phone,
        token_hash=token_hash,
        expires_at=timezone.now() + INVITATION_LIFETIME,
        created_by=user,
    )
    invitation.full_clean()
    attribute_to(user, invitation)
    invitation.save()
    return invitation, token


def whatsapp_api_check(contact: Contact) -> None:
    """Rekan sends on WhatsApp only where it is set up to, and only to someone who agreed to it."""
    if not settings.WHATSAPP_ENABLED:
        raise EngagementRuleError(
            _("Rekan is not set up to send WhatsApp messages: send the invitation from your phone instead.")
        )
    if not contact.whatsapp_reminders:
        raise EngagementRuleError(
            _(
                "This person has not agreed to messages from Rekan on WhatsApp: record their agreement on "
                "their contact, or send the invitation from your phone."
            )
        )


def invitation_whatsapp_url(*, invitation: Invitation, accept_url: str) -> str:
    """Click-to-chat to the invitee, the message written in their language: only what they may know.

    As in the email: their name, the partnership's title, who invites them,
    the link and until when it works; never another person's data.
    """
    inviter = invitation.created_by
    with translation.override(invitation_language(invitation.contact)):
        message = _(
            "Hello %(name)s, %(inviter)s invites you to the partnership “%(title)s” on Rekan. "
            "Open this link to create your account; it works once, until %(date)s: %(url)s"
        ) % {
            "name": invitation.contact.name,
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else _("your facilitator"),
            "title": invitation.partnership.title,
            "date": readable_date(timezone.localdate(invitation.expires_at)),
            "url": accept_url,
        }
    return whatsapp_url(invitation.phone, message)


def invitation_send(*, invitation: Invitation, accept_url: str) -> None:
    """Queue the invitation email, written in the contact's language, for after commit.

    Only what the invitee may know goes into the context: never the
    partnership itself, whose internal notes are for facilitators.
    """
    inviter = invitation.created_by
    context = {
        "name": invitation.contact.name,
        "organization": invitation.contact.organization.name,
        "partnership_title": invitation.partnership.title,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "accept_url": accept_url,
        "expires_at": invitation.expires_at,
    }
    with translation.override(invitation_language(invitation.contact)):
        # Plain text (the templates turn autoescape off), on one line whatever the title holds.
        subject = " ".join(
            loader.render_to_string("engagements/invitations/invitation_email_subject.txt", context).split()
        )
        body = loader.render_to_string("engagements/invitations/invitation_email.txt", context)
    to = [invitation.email]
    transaction.on_commit(lambda: send_email.delay(subject=subject, body=body, to=to))


def invitation_send_on_whatsapp(*, invitation: Invitation, accept_url: str) -> None:
    """Queue the invitation's template message for after commit; a broker that is down is written on the row.

    The link travels in the task's arguments, as the invitation email's body
    does: the token is stored nowhere else.
    """
    from engagements.tasks import send_invitation_on_whatsapp  # the tasks call services: imported at use

    def queue() -> None:
        try:
            send_invitation_on_whatsapp.delay(invitation_id=invitation.pk, accept_url=accept_url)
        except (KombuOperationalError, OSError) as error:  # the broker is unreachable: say where it shows
            invitation_whatsapp_failed(invitation_id=invitation.pk, text=f"Could not be queued: {error}")

    transaction.on_commit(queue)


def invitation_whatsapp_message(invitation: Invitation, accept_url: str) -> TemplateMessage:
    """The template message, in the invitee's language: the partnership's title, the link, its last day."""
    language = invitation_language(invitation.contact)
    with translation.override(language):
        last_day = readable_date(timezone.localdate(invitation.expires_at))
    return TemplateMessage(
        to=invitation.phone,
        template=settings.WHATSAPP_INVITATION_TEMPLATE,
        language=language,
        parameters=(template_parameter(invitation.partnership.title), accept_url, last_day),
    )


def invitation_deliver_on_whatsapp(*, invitation_id: int, accept_url: str) -> str:
    """Send one invitation through the Cloud API, at most once; returns what happened.

    At most once, as reminders: the intent is committed before WhatsApp is
    asked, so a task run again after a crash (the broker redelivers it) finds
    the intent and sends nothing. A temporary refusal raises ``WhatsAppError``
    for the task to retry; a permanent one is written on the row.
    """
    invitation = (
        Invitation.objects.select_related("contact", "partnership")
        .filter(pk=invitation_id, channel=InvitationChannel.WHATSAPP_API)
        .first()
    )
    if invitation is None:
        return "gone"
    if invitation.provider_message_id or invitation.delivery_status or invitation.send_started_at:
        return "already handled"
    contact = invitation.contact
    if not _is_live(invitation) or not contact.whatsapp_reminders or not settings.WHATSAPP_ENABLED:
        invitation_whatsapp_failed(
            invitation_id=invitation.pk,
            text="Not sent: the invitation, the person's "
            "agreement to WhatsApp or the WhatsApp channel ended before its turn.",
        )
        return "not sent"
    message = invitation_whatsapp_message(invitation, accept_url)
    if not Invitation.objects.filter(pk=invitation.pk, send_started_at__isnull=True).update(
        send_started_at=timezone.now()
    ):
        return "already handled"  # another run took it between our read and our stamp
    client = WhatsAppClient()
    try:
        message_id = client.send(message)
    except WhatsAppError as error:
        # Nothing was taken: give the intent back for the next try, or fail for good.
        if error.permanent:
            invitation_whatsapp_failed(invitation_id=invitation.pk, text=str(error))
            return "failed"
        Invitation.objects.filter(pk=invitation.pk).update(send_started_at=None, last_error=str(error)[:2000])
        raise
    finally:
        client.close()
    Invitation.objects.filter(pk=invitation.pk).update(
        provider_message_id=message_id,
        delivery_status=WhatsAppDelivery.SENT,
        delivery_status_at=timezone.now(),
        last_error="",
    )
    return "sent"


def invitation_whatsapp_failed(*, invitation_id: int, text: str) -> None:
    Invitation.objects.filter(pk=invitation_id).update(
        delivery_status=WhatsAppDelivery.FAILED, delivery_status_at=timezone.now(), last_error=text[:2000]
    )


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str, language: str = "") -> User:
    """Create the invitee's account, once; the invitation row is the lock.

    The account speaks ``language``, the one the accept page was read in;
    by default the language the invitation email was written in.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvitationInvalid
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if invitation is None or not _is_live(invitation):
        raise InvitationInvalid
    if account_exists_for(invitation.email):
        raise InvitationAccountExists
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken: choose another one.")})
    language = language or invitation_language(invitation.contact)
    user = User(username=username, email=invitation.email, language=language)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same username, chosen a moment earlier
        raise ValidationError({"username": _("This username is taken: choose another one.")}) from error
    user.groups.add(Group.objects.get_or_create(name=PARTNER_MEMBER)[0])
    OrganizationMember.objects.get_or_create(user=user, organization_id=invitation.contact.organization_id)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    attribute_to(user, invitation)
    invitation.save(update_fields=["accepted_at", "user"])
    return user
