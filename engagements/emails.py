"""The emails Rekan sends about partnerships: reminders and the daily digest.

Subjects and text parts are plain text (templates under ``{% autoescape off %}``);
the HTML part stays escaped.
"""

from __future__ import annotations

import email.policy
from email.message import EmailMessage as PythonEmailMessage
from email.policy import Policy

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
    """A message whose headers are never folded into RFC 2047 encoded words.

    The List-Unsubscribe URL is one long word: at the usual 78 columns the
    mail library would write it as ``=?utf-8?q?=3Chttps...`` and mail clients
    would not offer one-click unsubscribe. RFC 5322 allows 998 characters a
    line; bodies keep the encoding they were given.
    """

    def message(self, *, policy: Policy | None = email.policy.default) -> PythonEmailMessage:
        message = super().message(policy=policy or email.policy.default)
        message.policy = message.policy.clone(max_line_length=998)
        return message


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
