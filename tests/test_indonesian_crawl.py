"""Every page a Bahasa Indonesia reader reaches is in Bahasa Indonesia (issue #8, defect 11).

A crawl with the test client, not a browser: from each role's start page it
follows every same-site link and reads every HTML page for English phrases
that the catalogue translates. A leftover is reported with its page, so one
run lists every page to fix.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.models import CheckIn, CheckInSchedule
from partners import services as partner_services
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.builders import build_partnership

STRONG_PASSWORD = "kebun-mangrove-pesisir-2026"

# English that must never show in the Indonesian interface: each is, or is
# the start of, a msgid whose Indonesian reads differently (a few wait for the
# lead's merge of new strings). Words spelt the same in both languages
# (Status, Email) and what people type are not listed.
LEFTOVERS = (
    # Named by the issue: Django's blank choice, the welcome flash.
    "- Select an option -",
    "Welcome to Rekan",
    # Navigation and buttons.
    "Log in",
    "Log out",
    "Save",
    "Cancel",
    "Switch",
    "Edit",
    "Search",
    "Partnerships",
    "Our partnerships",
    "Today",
    "Reminders",
    "Organizations",
    "Preferences",
    # Check-in states: every badge says one.
    "On schedule",
    "Check-in due",
    "due soon",
    "Late since",
    "Check-in late",
    # Labels of pages and forms.
    "Partnership",
    "Organization",
    "Time zone",
    "time zone",
    "No activity",
    "Add an activity",
    "Log a check-in",
    "Next steps",
    "Shared goals",
    "Share links",
    "working plan",
    "last agreed",
    "CSV file",
    "Invite a partner member",
    "Create your Rekan account",
)
LEFTOVER_PATTERNS = {phrase: re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)") for phrase in LEFTOVERS}

# Logging out ends the crawl; the language form is POST only; files are no pages.
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/logout/", "/accounts/language/", "/static/", "/media/")
SKIPPED_SUFFIXES = (".csv", ".ics", ".json")
# Sorting and filter links multiply one page many times over.
QUERY_VARIANTS_PER_PATH = 2
MAX_QUERY_LENGTH = 80
# Attributes a reader sees or hears.
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
BUTTON_TYPES = {"submit", "button", "reset"}


class PageReader(HTMLParser):
    """The text a reader sees (screen readers included) and the links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in {"script", "style"}:
            self._hidden_depth += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        self.parts.extend(value for name, value in attributes.items() if name in SHOWN_ATTRIBUTES)
        if tag == "input" and attributes.get("type") in BUTTON_TYPES:
            self.parts.append(attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def english_in(text: str) -> list[str]:
    return [phrase for phrase, pattern in LEFTOVER_PATTERNS.items() if pattern.search(text)]


def in_context(phrase: str, text: str, width: int = 40) -> str:
    match = LEFTOVER_PATTERNS[phrase].search(text)
    return text[max(0, match.start() - width) : match.end() + width]


@dataclass
class Crawl:
    """A breadth-first walk over the same-site links of one visitor."""

    client: Client
    limit: int
    within: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    wrong_language: list[str] = field(default_factory=list)
    leftovers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    examples: dict[str, str] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _queries: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _queue: deque[str] = field(default_factory=deque)

    def run(self, *starts: str) -> Crawl:
        for start in starts:
            self._enqueue(start, base="/")
        while self._queue:
            self._visit(self._queue.popleft())
        return self

    def _visit(self, url: str) -> None:
        response = self.client.get(url, headers=self.headers)
        if response.status_code >= 500:
            self.server_errors.append(f"{url} ({response.status_code})")
            return
        if response.status_code in {301, 302, 303, 307, 308}:
            self._enqueue(response["Location"], base=url)
            return
        if not response["Content-Type"].startswith("text/html"):
            return
        html = response.content.decode()
        self.pages.append(url)
        if '<html lang="id"' not in html:
            self.wrong_language.append(url)
        page = read_page(html)
        for phrase in english_in(page.text):
            self.leftovers[phrase].append(url)
            self.examples.setdefault(phrase, in_context(phrase, page.text))
        for link in page.links:
            self._enqueue(link, base=url)

    def _enqueue(self, link: str, *, base: str) -> None:
        url, _fragment = urldefrag(urljoin(base, link))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:  # absolute addresses: testserver or another site
            if parts.netloc != "testserver":
                return
            url = parts.path + (f"?{parts.query}" if parts.query else "")
        path = parts.path
        if not path.startswith(self.within) or path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
            return
        if url in self._seen or len(self._seen) >= self.limit:
            return
        if parts.query:
            if len(parts.query) > MAX_QUERY_LENGTH or self._queries[path] >= QUERY_VARIANTS_PER_PATH:
                return
            self._queries[path] += 1
        self._seen.add(url)
        self._queue.append(url)

    def report(self) -> str:
        lines = [f"server error: {url}" for url in self.server_errors]
        lines += [f'no <html lang="id">: {url}' for url in self.wrong_language]
        for phrase, urls in sorted(self.leftovers.items()):
            lines.append(f"{phrase!r} on {len(urls)} page(s), e.g. {self.examples[phrase]!r}:")
            lines += [f"    {url}" for url in urls]
        return "\n".join(lines)

    def assert_all_indonesian(self, *, at_least: int) -> None:
        assert len(self.pages) >= at_least, f"the crawl read only {len(self.pages)} page(s): {self.pages}"
        if problems := self.report():
            # pytest.fail, not assert: the report is the message, without a repr of the whole crawl.
            pytest.fail(f"English left in the Indonesian interface ({len(self.pages)} pages read):\n{problems}")


def speak_indonesian(*users: User) -> None:
    for user in users:
        user.language = "id"
        user.save()


@dataclass
class World:
    share_token: str
    invitation_token: str


# Offsets from today of (remind_from, due_on, late_from, dormant_from): one
# partnership in each state a badge names.
SCHEDULE_STATES = {
    "Sawah Organik": (-1, 2, 5, 30),  # check-in due soon
    "Hutan Desa": (-5, -1, 3, 30),  # late, in grace
    "Sungai Bersih": (-10, -5, -2, 20),  # late
}


def days_from_today(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def world(facilitator, partner_a, admin, org_a, org_b) -> World:
    """Partnerships in every check-in state, a check-in, goal progress, a share link and an open invitation."""
    speak_indonesian(facilitator, partner_a, admin)
    today = timezone.localdate()
    partnership = build_partnership(user=facilitator, organizations=[org_a, org_b], activities=3)
    services.checkins.schedule_save(
        user=facilitator,
        schedule=CheckInSchedule(partnership=partnership, cadence="days", interval=14, starts_on=today),
    )
    for title, (remind, due, late, dormant) in SCHEDULE_STATES.items():
        other = build_partnership(user=facilitator, organizations=[org_a, org_b], activities=1, title=title)
        schedule = services.checkins.schedule_save(
            user=facilitator, schedule=CheckInSchedule(partnership=other, cadence="days", interval=14, starts_on=today)
        )
        CheckInSchedule.objects.filter(pk=schedule.pk).update(
            remind_from=days_from_today(remind),
            due_on=days_from_today(due),
            late_from=days_from_today(late),
            dormant_from=days_from_today(dormant),
        )
    contact = Contact.objects.create(
        organization=org_a, name="Siti Rahayu", email="siti.rahayu@example.org", preferred_language="id"
    )
    partner_services.interaction_record(
        user=facilitator, organization=org_a, kind="visit", occurred_on=today, summary="Kunjungan ke balai desa"
    )
    services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(
            partnership=partnership,
            held_at=timezone.now() - datetime.timedelta(days=1),
            channel="phone",
            summary="Membahas jadwal pembibitan",
            next_steps="Beli polybag\nHubungi dinas",
            shared_notes="Terima kasih semua",
        ),
        contacts=[contact],
        participants=[facilitator],
    )
    goal = partnership.goals.get()
    services.goals.progress_record(user=facilitator, goal=goal, value=Decimal(250), measured_on=today)
    services.reminders.sweep()  # the reminder log lists what is due
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati di balai desa")
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=today + datetime.timedelta(days=30), label="Grup WA"
    )
    _invitation, token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership, contact=contact, email=""
    )
    return World(share_token=link.token, invitation_token=token)


@pytest.mark.django_db
def test_it_shows_the_facilitator_every_page_in_indonesian(facilitator, world) -> None:
    crawl = Crawl(client_for(facilitator), limit=150).run("/")
    crawl.assert_all_indonesian(at_least=50)


@pytest.mark.django_db
def test_it_shows_the_partner_member_every_page_in_indonesian(partner_a, world) -> None:
    crawl = Crawl(client_for(partner_a), limit=60).run("/")
    crawl.assert_all_indonesian(at_least=8)


@pytest.mark.django_db
def test_it_shows_the_administration_in_indonesian(admin, world) -> None:
    crawl = Crawl(client_for(admin), limit=80, within="/admin/").run("/admin/")
    crawl.assert_all_indonesian(at_least=30)


@pytest.mark.django_db
def test_it_shows_an_indonesian_visitor_the_shared_page_in_indonesian(world) -> None:
    crawl = Crawl(client_for(None), limit=20, headers={"accept-language": "id"})
    crawl.run(f"/shared/{world.share_token}/", "/accounts/login/", "/accounts/password/reset/")
    crawl.assert_all_indonesian(at_least=3)


@pytest.mark.django_db
def test_it_opens_the_invitation_in_indonesian_when_its_email_was(world) -> None:
    # The browser says English; the email, and so the page, was Indonesian.
    url = f"/invitations/{world.invitation_token}/"
    assert client_for(None).get(url, headers={"accept-language": "en"}).status_code == 200
    crawl = Crawl(client_for(None), limit=1, headers={"accept-language": "en"}).run(url)
    crawl.assert_all_indonesian(at_least=1)


@pytest.mark.django_db
def test_it_welcomes_the_invited_partner_member_in_indonesian(world) -> None:
    visitor = client_for(None)
    url = f"/invitations/{world.invitation_token}/"
    assert visitor.get(url, headers={"accept-language": "en"}).status_code == 200

    response = visitor.post(
        url,
        {"username": "siti", "password": STRONG_PASSWORD, "password_confirmation": STRONG_PASSWORD},
        headers={"accept-language": "en"},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain == [("/our-partnerships/", 302)]
    assert User.objects.get(username="siti").language == "id"
    assert '<html lang="id"' in html
    text = read_page(html).text
    assert "Selamat datang di Rekan! Berikut kemitraan kelompok Anda." in text
    assert "Welcome to Rekan" not in text
