"""The emails Rekan sends about partnerships: reminders and the daily digest.

Subjects and text parts are plain text (templates under ``{% autoescape off %}``);
the HTML part stays escaped.
"""

from __future__ import annotations

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


def _context(reminder: Reminder) -> dict[str, object]:
    return {
        "reminder": reminder,
        "partnership": reminder.partnership,
        "partnership_url": settings.SITE_URL
        + reverse("engagements:partnership_detail", args=[reminder.partnership_id]),
        "unsubscribe_url": unsubscribe_url(reminder),
        "subject_title": _subject_title(reminder),
    }


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
    message = EmailMultiAlternatives(subject=subject, body=text, to=[reminder.email], headers=_list_headers(context))
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
    message = EmailMultiAlternatives(subject=subject, body=text, to=[first.email], headers=_list_headers(context))
    message.attach_alternative(html, "text/html")
    return message


def _list_headers(context: dict[str, object]) -> dict[str, str]:
    # RFC 8058 one-click unsubscribe.
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
