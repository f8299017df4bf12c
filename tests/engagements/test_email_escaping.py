"""Plain-text email parts (subjects, text bodies) say what people typed; HTML parts escape it.

One mechanism for every plain-text email: the template itself turns
autoescape off. Fragments shared with an HTML part carry no autoescape tag,
so the including template decides.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.base import TextNode
from django.template.defaulttags import AutoEscapeControlNode, LoadNode
from django.template.loader import get_template
from django.utils.html import escape

from accounts.models import User
from engagements import emails, services
from engagements.models import Commitment, CommitmentSide, Partnership, Reminder, ReminderKind
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

TRICKY = "Jum'at & <script>alert(1)</script> 🌿"
ESCAPED = "Jum&#x27;at &amp; &lt;script&gt;alert(1)&lt;/script&gt; 🌿"
ENTITIES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")

TEXT_EMAIL_TEMPLATES = [
    "engagements/reminders/email/reminder_subject.txt",
    "engagements/reminders/email/reminder.txt",
    "engagements/reminders/email/digest_subject.txt",
    "engagements/reminders/email/digest.txt",
    "engagements/invitations/invitation_email_subject.txt",
    "engagements/invitations/invitation_email.txt",
    "registration/password_reset_subject.txt",
    "registration/password_reset_email.html",  # Django's name; it is the plain-text body
]


def assert_literal(text: str) -> None:
    assert TRICKY in text
    assert not [entity for entity in ENTITIES if entity in text]


def assert_escaped(html: str) -> None:
    assert ESCAPED in html
    assert "<script>" not in html
    assert "Jum'at" not in html


def html_part(message) -> str:
    return dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=1, title=TRICKY)
    partnership.activities.update(title=TRICKY)
    Commitment.objects.create(
        partnership=partnership,
        promised_by_side=CommitmentSide.MEMBER,
        promised_by=org_a,
        text=TRICKY,
        due_on=datetime.date(2030, 3, 1),
    )
    return partnership


def reminder_for(partnership: Partnership, kind: str, language: str, *, email: str = "sri@example.org") -> Reminder:
    subject_type, subject_id = "checkin", 1
    if kind.startswith("activity"):
        subject_type, subject_id = "activity", partnership.activities.get().pk
    elif kind.startswith("commitment"):
        subject_type, subject_id = "commitment", partnership.commitments.get().pk
    return Reminder.objects.create(
        partnership=partnership,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        occurrence=f"2030-03-01#{kind}",
        recipient_key="contact:1",
        email=email,
        language=language,
        due_on=datetime.date(2030, 3, 1),  # a Friday: "Jumat" in Indonesian
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("kind", ReminderKind.values)
def test_it_writes_titles_literally_in_reminder_subjects_and_text_but_escaped_in_html(
    partnership, kind: str, language: str
) -> None:
    message = emails.reminder_message(reminder_for(partnership, kind, language))

    assert_literal(message.subject)
    assert_literal(message.body)
    assert_escaped(html_part(message))
    assert ESCAPED in re.search(r"<title>(.*)</title>", html_part(message)).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
def test_it_writes_titles_literally_in_the_digest_text_but_escaped_in_its_html(partnership, language: str) -> None:
    rows = [
        reminder_for(partnership, kind, language)
        for kind in (ReminderKind.CHECK_IN_DUE, ReminderKind.ACTIVITY_DUE, ReminderKind.COMMITMENT_OVERDUE)
    ]

    message = emails.digest_message(rows)

    assert "3" in message.subject
    assert message.body.count(TRICKY) == 3 + 2  # the partnership in each item, the activity, the commitment
    assert not [entity for entity in ENTITIES if entity in message.subject]
    assert_literal(message.body)
    assert_escaped(html_part(message))


@pytest.mark.django_db
def test_it_keeps_reminder_subjects_on_one_line(partnership) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(title="Bersih Desa\r\nJum'at\nberkah")
    partnership.refresh_from_db()
    message = emails.reminder_message(reminder_for(partnership, ReminderKind.CHECK_IN_LATE, "en"))
    assert message.subject == "Check-in late: Bersih Desa Jum'at berkah"


@pytest.mark.django_db
def test_it_keeps_commitment_reminder_subjects_on_one_line(partnership) -> None:
    partnership.commitments.update(text="Menyiapkan 500 polybag\r\nJum'at\nberkah")
    message = emails.reminder_message(reminder_for(partnership, ReminderKind.COMMITMENT_OVERDUE, "en"))
    assert message.subject == "Commitment overdue: Menyiapkan 500 polybag Jum'at berkah"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
def test_it_writes_the_invitation_subject_and_body_literally(
    facilitator, language: str, django_capture_on_commit_callbacks
) -> None:
    organization = OrganizationFactory(name=TRICKY)
    partnership = build_partnership(user=facilitator, organizations=[organization], activities=0, title=TRICKY)
    contact = Contact.objects.create(
        organization=organization, name="Siti Nur'aini", email="siti@example.org", preferred_language=language
    )
    facilitator.first_name, facilitator.last_name = "Dewi", "O'Neil & <Co>"
    facilitator.save()
    invitation, _token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=contact, email=""
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invitation_send(invitation=invitation, accept_url="http://testserver/invitations/t/")

    [message] = mail.outbox
    assert_literal(message.subject)
    assert message.body.count(TRICKY) == 2  # the partnership and the organization
    assert_literal(message.body)
    assert "Siti Nur'aini" in message.body
    assert "Dewi O'Neil & <Co>" in message.body


@pytest.mark.django_db
def test_it_keeps_the_invitation_subject_on_one_line(facilitator, org_a, django_capture_on_commit_callbacks) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0, title="Bersih Desa")
    Partnership.objects.filter(pk=partnership.pk).update(title="Bersih Desa\r\nJum'at")
    contact = Contact.objects.create(organization=org_a, name="Siti", email="siti@example.org", preferred_language="en")
    invitation, _token = services.invitations.invitation_create(
        user=facilitator, partnership=Partnership.objects.get(pk=partnership.pk), contact=contact, email=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invitation_send(invitation=invitation, accept_url="http://testserver/invitations/t/")
    assert mail.outbox[0].subject == "Invitation to the partnership “Bersih Desa Jum'at” on Rekan"


@pytest.mark.django_db
def test_it_writes_the_password_reset_email_literally(django_capture_on_commit_callbacks) -> None:
    # The admin can save names the sign-up form would refuse; the email must still read right.
    User.objects.create(username=TRICKY, email="tricky@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(None).post("/accounts/password/reset/", {"email": "tricky@example.org"})

    [message] = mail.outbox
    assert "\n" not in message.subject
    assert not [entity for entity in ENTITIES if entity in message.subject]
    assert_literal(message.body)


@pytest.mark.parametrize("name", TEXT_EMAIL_TEMPLATES)
def test_it_turns_autoescape_off_around_every_plain_text_email_template(name: str) -> None:
    nodes = [
        node
        for node in get_template(name).template.nodelist
        if not isinstance(node, LoadNode) and not (isinstance(node, TextNode) and not node.s.strip())
    ]
    assert len(nodes) == 1
    assert isinstance(nodes[0], AutoEscapeControlNode)
    assert nodes[0].setting is False


def test_it_knows_every_plain_text_template() -> None:
    # A new .txt email template joins TEXT_EMAIL_TEMPLATES, and so the test above.
    # Fragments (leading underscore) are included by text and HTML parts alike: the includer decides.
    root = Path(settings.BASE_DIR) / "templates"
    found = {str(path.relative_to(root)) for path in root.rglob("*.txt") if not path.name.startswith("_")}
    assert found <= set(TEXT_EMAIL_TEMPLATES)


# --- What an attacker would type, in every field each email shows --------------------------------

ATTACKS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "ampersand": "Tani & Nelayan",
    "apostrophe": "Jum'at Berkah",
}
# The only markup the HTML parts are made of: anything else came from what people typed.
HTML_EMAIL_TAGS = {"html", "head", "meta", "title", "body", "p", "a", "hr", "small", "ul", "li"}
HTML_EMAIL_ATTRIBUTES = {"lang", "charset", "href"}
HTML_EMAIL_TEMPLATES = [
    "engagements/reminders/email/reminder.html",
    "engagements/reminders/email/digest.html",
]
LINE_BREAKS = ["\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes |= {name for name, _value in attrs}

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_markup_is_ours_and_shows(html: str, typed: str) -> None:
    markup = _Markup()
    markup.feed(html)
    assert markup.tags <= HTML_EMAIL_TAGS, f"markup from what people typed: {markup.tags - HTML_EMAIL_TAGS}"
    assert markup.attributes <= HTML_EMAIL_ATTRIBUTES
    assert typed in "".join(markup.text)  # the reader sees what was typed, as text
    assert escape(typed) in html


def assert_plain_subject(subject: str, typed: str) -> None:
    assert typed in subject or (len(typed) > 80 and typed[:70] in subject)
    assert not [entity for entity in ENTITIES if entity in subject and entity not in typed]
    assert not any(character in subject for character in LINE_BREAKS)


@pytest.fixture
def attacked(facilitator, org_a):
    def build(attack: str, field: str) -> Partnership:
        organization = OrganizationFactory(name=attack if field == "organization" else "Kelompok Tani Sri Rejeki")
        partnership = build_partnership(
            user=facilitator,
            organizations=[organization],
            activities=1,
            title=attack if field == "partnership" else "Bersih Desa",
        )
        partnership.activities.update(title=attack if field == "activity" else "Pembibitan")
        Commitment.objects.create(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by=organization,
            text=attack if field == "commitment" else "Menyiapkan 500 polybag",
            due_on=datetime.date(2030, 3, 1),
        )
        return partnership

    return build


def kinds_showing(field: str) -> list[str]:
    """The reminders whose body shows the field."""
    if field == "partnership":
        return list(ReminderKind.values)
    return [kind for kind in ReminderKind.values if kind.startswith(field)]


def shows_in_subject(kind: str, field: str) -> bool:
    """A check-in reminder's subject names the partnership; the others, their activity or commitment."""
    return kind.startswith(field) or (field == "partnership" and kind.startswith("checkin"))


@pytest.mark.django_db
@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
@pytest.mark.parametrize("field", ["partnership", "activity", "commitment"])
@pytest.mark.parametrize("language", ["en", "id"])
def test_it_escapes_what_people_typed_in_every_reminder_html_part(attacked, attack, field, language) -> None:
    partnership = attacked(attack, field)
    for kind in kinds_showing(field):
        message = emails.reminder_message(reminder_for(partnership, kind, language))
        html = html_part(message)
        assert_markup_is_ours_and_shows(html, attack)
        if shows_in_subject(kind, field):
            assert_plain_subject(message.subject, attack)
            assert escape(attack) in re.search(r"<title>(.*)</title>", html, flags=re.DOTALL).group(1)
        assert not any(character in message.subject for character in LINE_BREAKS)
        assert attack in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
@pytest.mark.parametrize("field", ["partnership", "activity", "commitment"])
def test_it_escapes_what_people_typed_in_the_digest_html_part(attacked, attack, field) -> None:
    partnership = attacked(attack, field)
    rows = [
        reminder_for(partnership, kind, "en")
        for kind in (ReminderKind.CHECK_IN_DUE, ReminderKind.ACTIVITY_DUE, ReminderKind.COMMITMENT_OVERDUE)
    ]
    message = emails.digest_message(rows)
    assert_markup_is_ours_and_shows(html_part(message), attack)
    assert attack in message.body
    assert not any(character in message.subject for character in LINE_BREAKS)


@pytest.mark.django_db
@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_it_writes_the_invitation_plain_whatever_people_typed(
    facilitator, attack, django_capture_on_commit_callbacks
) -> None:
    organization = OrganizationFactory(name=attack)
    partnership = build_partnership(user=facilitator, organizations=[organization], activities=0, title=attack)
    contact = Contact.objects.create(organization=organization, name=attack, email="siti@example.org")
    invitation, _token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=contact, email=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invitation_send(invitation=invitation, accept_url="http://testserver/invitations/t/")

    [message] = mail.outbox
    assert not getattr(message, "alternatives", []), "an HTML part joins HTML_EMAIL_TEMPLATES and the tests above"
    assert_plain_subject(message.subject, attack)
    assert message.body.count(attack) == 3  # the person, the partnership and the organization


@pytest.mark.django_db
@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=["+".join(f"U+{ord(c):04X}" for c in b) for b in LINE_BREAKS])
@pytest.mark.parametrize("field", ["partnership", "activity", "commitment"])
def test_it_keeps_every_subject_on_one_line_whatever_breaks_a_title(attacked, field, line_break) -> None:
    partnership = attacked(f"Bersih{line_break}Subject: evil", field)
    for kind in kinds_showing(field):
        message = emails.reminder_message(reminder_for(partnership, kind, "en"))
        assert not any(character in message.subject for character in LINE_BREAKS)
        if shows_in_subject(kind, field):
            assert "Bersih Subject: evil" in message.subject
        message.message()  # the headers Django writes: a line break in one would raise BadHeaderError


@pytest.mark.django_db
def test_it_sends_the_password_reset_as_plain_text_only(django_capture_on_commit_callbacks) -> None:
    User.objects.create(username="siti", email="siti@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(None).post("/accounts/password/reset/", {"email": "siti@example.org"})
    [message] = mail.outbox
    assert not getattr(message, "alternatives", []), "an HTML part joins HTML_EMAIL_TEMPLATES and the tests above"


def _html_email_templates() -> set[str]:
    root = Path(settings.BASE_DIR) / "templates"
    return {
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "email" in path.relative_to(root).parts[:-1] or path.stem.endswith("_email")
    }


def test_it_knows_every_html_email_template() -> None:
    # Django's "registration/password_reset_email.html" is the plain-text body (see TEXT_EMAIL_TEMPLATES).
    found = _html_email_templates() - set(TEXT_EMAIL_TEMPLATES)
    assert found == set(HTML_EMAIL_TEMPLATES)


@pytest.mark.parametrize("name", HTML_EMAIL_TEMPLATES)
def test_it_never_turns_escaping_off_in_an_html_email_or_what_it_includes(name: str) -> None:
    root = Path(settings.BASE_DIR) / "templates"
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        seen.add(current)
        source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", (root / current).read_text(encoding="utf-8"))
        assert not re.search(r"\|\s*safe|\bautoescape\s+off\b|\bsafeseq\b|mark_safe", source), current
        pending += [included for included in re.findall(r'{%\s*include\s+"([^"]+)"', source) if included not in seen]
