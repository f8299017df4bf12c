"""The emails Rekan sends about partnerships: reminders and the daily digest.

Subjects and text parts are plain text (templates under ``{% autoescape off %}``);
the HTML part stays escaped.
"""

from __future__ import annotations

import datetime
import email.policy
import email.utils
from email.charset import QP, Charset
from email.header import Header
from email.message import EmailMessage as PythonEmailMessage
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32, Policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from engagements.access import unsubscribe_url
from engagements.models import (
    Activity,
    Commitment,
    Reminder,
)
from engagements.services.outbox import message_id


class ListMessage(EmailMultiAlternatives):
    """A reminder or digest: a text and an HTML part, headers never folded into RFC 2047 encoded words.

    The List-Unsubscribe URL is one long word: at the usual 78 columns the
    mail library would write it as ``=?utf-8?q?=3Chttps...`` and mail clients
    would not offer one-click unsubscribe. RFC 5322 allows 998 characters a
    line; bodies keep the encoding they were given.

    Delivery builds one of these per row, so its cost sets the sending rate.
    When every header but the subject is plain ASCII on one line (Rekan's own
    addresses and headers, which is the usual case), the message is built
    with the mail library's compat32 classes: the same MIME, at a third of the
    cost of the modern policy, which parses every header into an object on
    assignment (bench/README.md). Anything else (a non-ASCII address, a line
    break where none belongs) takes Django's way, which encodes or refuses it.
    """

    # A compat32 Message where Django's stub says EmailMessage: every backend only writes it out (as_bytes).
    def message(self, *, policy: Policy | None = email.policy.default) -> PythonEmailMessage | Message:  # type: ignore[override]
        policy = policy or email.policy.default
        if self._has_plain_headers():
            return self._compact_message(linesep=policy.linesep)
        message = super().message(policy=policy)
        message.policy = message.policy.clone(max_line_length=998)
        return message

    def _has_plain_headers(self) -> bool:
        values = [str(self.from_email), *self.to, *self.extra_headers.values()]
        plain = all(value.isascii() and not _LINE_BREAKS.intersection(value) for value in values)
        simple = not (self.cc or self.bcc or self.reply_to or self.attachments) and len(self.alternatives) == 1
        reserved = {name.lower() for name in self.extra_headers} & {"from", "to", "date", "subject"}
        return plain and simple and not reserved and not _LINE_BREAKS.intersection(str(self.subject))

    def _compact_message(self, *, linesep: str) -> Message:
        policy = _UnfoldedPolicy(linesep=linesep, max_line_length=998)
        root = MIMEMultipart("alternative", policy=policy)
        subject = str(self.subject)
        # Encoded words of at most 75 characters, on folded lines (RFC 2047).
        if not subject.isascii():
            subject = Header(subject, "utf-8", maxlinelen=76, header_name="Subject").encode(linesep=linesep)
        root["Subject"] = subject
        root["From"] = str(self.from_email)
        root["To"] = ", ".join(self.to)
        root["Date"] = email.utils.format_datetime(datetime.datetime.now(datetime.UTC))
        for name, value in self.extra_headers.items():
            root[name] = value
        html, mimetype = self.alternatives[0]
        for content, subtype in ((self.body, "plain"), (html, mimetype.partition("/")[2])):
            part = MIMEText(str(content), subtype, _UTF8, policy=policy)  # type: ignore[arg-type]  # a Charset works
            del part["MIME-Version"]  # once, at the top
            root.attach(part)
        return root


_LINE_BREAKS = frozenset("\r\n")


class _UnfoldedPolicy(Compat32):
    """compat32, writing a header that is plain ASCII with short enough lines as it is.

    compat32 refolds every header through an ``email.header.Header`` on the way
    out; for the headers a reminder has (the subject arrives already folded
    into encoded words), that gives the same bytes, at a good part of the cost.
    """

    def _fold(self, name: str, value: object, sanitize: bool) -> str:
        if isinstance(value, str) and value.isascii():
            header = f"{name}: {value}"
            if max(len(line) for line in header.split(self.linesep)) <= (self.max_line_length or 998):
                return header + self.linesep
        return super()._fold(name, value, sanitize)  # type: ignore[misc]  # private in the stub, not in the library


def _quoted_printable_utf8() -> Charset:
    charset = Charset("utf-8")
    charset.body_encoding = QP  # readable text parts, as Django writes them
    return charset


_UTF8 = _quoted_printable_utf8()


def _context(reminder: Reminder) -> dict[str, object]:
    return {
        "reminder": reminder,
        "partnership": reminder.partnership,
        # Where the email sends the reader: the health check form, else the partnership.
        "link_url": settings.SITE_URL + _link_path(reminder),
        "unsubscribe_url": unsubscribe_url(reminder),
        "subject_title": _subject_title(reminder),
    }


def _link_path(reminder: Reminder) -> str:
    if reminder.subject_type == "health":
        return reverse("engagements:health_check_answer", args=[reminder.partnership_id, reminder.subject_id])
    return reverse("engagements:partnership_detail", args=[reminder.partnership_id])


def _subject_title(reminder: Reminder) -> str:
    if reminder.subject_type == "activity":
        return Activity.objects.filter(pk=reminder.subject_id).values_list("title", flat=True).first() or ""
    if reminder.subject_type == "commitment":
        return Commitment.objects.filter(pk=reminder.subject_id).values_list("text", flat=True).first() or ""
    return ""


def _subject(template_name: str, context: dict[str, object]) -> str:
    """One line of plain text: the template turns autoescape off, a title's line breaks become spaces.

    The HTML part shows it as ``{{ subject }}``, escaped there like any other text.
    """
    return " ".join(render_to_string(template_name, context).split())


def reminder_message(reminder: Reminder) -> EmailMultiAlternatives:
    with translation.override(reminder.language):
        context = _context(reminder)
        subject = context["subject"] = _subject("engagements/reminders/email/reminder_subject.txt", context)
        text = render_to_string("engagements/reminders/email/reminder.txt", context)
        html = render_to_string("engagements/reminders/email/reminder.html", context)
    headers = _list_headers(context) | {"Message-ID": message_id([reminder])}
    message = ListMessage(subject=subject, body=text, to=[reminder.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def reminder_line_and_link(reminder: Reminder) -> tuple[str, str]:
    """What a WhatsApp reminder says, in the active language: the email's subject line and the address to open."""
    context = _context(reminder)
    return _subject("engagements/reminders/email/reminder_subject.txt", context), str(context["link_url"])


def digest_message(reminders: list[Reminder]) -> EmailMultiAlternatives:
    first = reminders[0]
    with translation.override(first.language):
        items = [_context(reminder) for reminder in reminders]
        context: dict[str, object] = {"items": items, "unsubscribe_url": unsubscribe_url(first)}
        subject = context["subject"] = _subject("engagements/reminders/email/digest_subject.txt", context)
        text = render_to_string("engagements/reminders/email/digest.txt", context)
        html = render_to_string("engagements/reminders/email/digest.html", context)
    headers = _list_headers(context) | {"Message-ID": message_id(reminders)}
    message = ListMessage(subject=subject, body=text, to=[first.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def _list_headers(context: dict[str, object]) -> dict[str, str]:
    # RFC 8058 one-click unsubscribe.
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
