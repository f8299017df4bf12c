"""The app shell: headers on every page, light assets, Indonesian throughout."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Organization
from tests.conftest import client_for
from tests.factories import OrganizationFactory, make_partner_member

# (role fixture or None, path) of every page a role may open.
HTML_PAGES = [
    (None, "/accounts/login/"),
    (None, "/accounts/password/reset/"),
    (None, "/accounts/password/reset/sent/"),
    ("facilitator", "/today/"),
    ("facilitator", "/accounts/password/change/"),
    ("partner_a", "/our-partnerships/"),
    ("admin", "/admin/"),
]
ASSET_BUDGET_BYTES = 60 * 1024


def _get(request: pytest.FixtureRequest, role: str | None, path: str):
    user = request.getfixturevalue(role) if role else None
    return client_for(user).get(path)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "path"), HTML_PAGES)
def test_it_sends_security_headers_on_every_html_page(request: pytest.FixtureRequest, role, path: str) -> None:
    response = _get(request, role, path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "path"), [p for p in HTML_PAGES if p[1] != "/admin/"])
def test_it_puts_the_csp_nonce_on_every_script_and_no_inline_style(request, role, path: str) -> None:
    response = _get(request, role, path)
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "htmx is loaded from our own static files"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert " style=" not in html
    assert "<style" not in html
    assert "//cdn" not in html and "https://" not in html


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.assets.append(attributes["href"])


@pytest.mark.django_db
def test_it_keeps_css_and_js_of_a_first_load_under_60_kb_compressed(facilitator) -> None:
    collector = _AssetCollector()
    collector.feed(client_for(facilitator).get("/today/").content.decode())
    assert len(collector.assets) >= 2
    total = 0
    for url in collector.assets:
        assert url.startswith("/static/"), url
        path = finders.find(url.removeprefix("/static/"))
        total += len(gzip.compress(Path(path).read_bytes(), compresslevel=9))
    assert total <= ASSET_BUDGET_BYTES, f"{total} bytes compressed"


class _TextCollector(HTMLParser):
    """Visible text and the accessible names of the shell."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "option"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "placeholder"} and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "option"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _texts(html: bytes) -> list[str]:
    collector = _TextCollector()
    collector.feed(html.decode())
    return collector.texts


# The product's name, and "Email", read the same in both languages.
SAME_IN_BOTH = {"Rekan", "Email:"}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "path"), [p for p in HTML_PAGES if p[1] != "/admin/"])
def test_it_shows_every_shell_string_in_indonesian_after_switching(request, role, path: str) -> None:
    user = request.getfixturevalue(role) if role else None
    client = client_for(user)
    english = _texts(client.get(path).content)
    response = client.post("/accounts/language/", {"language": "id", "next": path})
    assert response.status_code == 302
    indonesian = _texts(client.get(path).content)
    same = SAME_IN_BOTH | ({user.get_username()} if user else set())
    same |= set(Organization.objects.values_list("name", flat=True))  # proper names
    untranslated = [
        text for text in indonesian if text in english and text not in same and any(c.isalpha() for c in text)
    ]
    assert untranslated == [], untranslated


@pytest.mark.django_db
def test_it_remembers_the_language_on_the_user_across_sessions(facilitator) -> None:
    client_for(facilitator).post("/accounts/language/", {"language": "id", "next": "/today/"})
    facilitator.refresh_from_db()
    assert facilitator.language == "id"
    response = client_for(facilitator).get("/today/")  # a new session, no cookie
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_it_ignores_an_unknown_language_and_an_outside_next_url(facilitator) -> None:
    client = client_for(facilitator)
    response = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    facilitator.refresh_from_db()
    assert facilitator.language == ""


@pytest.mark.django_db
@pytest.mark.parametrize("organizations", [1, 40])
def test_it_costs_the_same_queries_whatever_the_data_size(partner_a, facilitator, organizations: int) -> None:
    for organization in OrganizationFactory.create_batch(organizations):
        make_partner_member(organization)
    counts = {}
    for user, path in [(facilitator, "/today/"), (partner_a, "/our-partnerships/")]:
        client = client_for(user)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[path] = len(queries)
    # Session, user, role groups, then the page (Today: its sections, the stale
    # standings and the mark of this visit): a fixed count at any data size.
    assert counts == {"/today/": 24, "/our-partnerships/": 5}


@pytest.mark.django_db
def test_it_answers_unknown_pages_and_refusals_inside_the_app_shell(partner_a) -> None:
    client = client_for(partner_a)
    missing = client.get("/organizations/999999/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    refused = client.get("/today/")
    assert refused.status_code == 403
    assert "Your role does not allow this" in refused.content.decode()
