"""A share link pasted into a chat: a preview card without personal data, and the apps' fetches not counted."""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Partnership, ShareLink
from partners.models import Contact
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Pak Wiryo Sastrodiharjo"
CONTACT_EMAIL = "wiryo.sastro@example.org"
SHARED_NOTE = "SHARED-NOTE-kp51"
INTERNAL_NOTE = "INTERNAL-NOTE-zq81"


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    Contact.objects.create(organization=org_a, name=CONTACT_NAME, phone="+6281277665544", email=CONTACT_EMAIL)
    partnership = services.partnerships.partnership_save(
        user=facilitator,
        partnership=Partnership(title="Mangrove Pesisir Demak", shared_notes=SHARED_NOTE, internal_notes=INTERNAL_NOTE),
    )
    services.partnerships.member_add(partnership=partnership, organization=org_a, role="lead")
    return partnership


@pytest.fixture
def link(facilitator, partnership) -> ShareLink:
    return services.sharing.share_link_create(
        user=facilitator,
        partnership=partnership,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        label="Grup WhatsApp",
    )


def shared_url(link: ShareLink) -> str:
    return reverse("engagements:shared_plan", args=[link.token])


# As the services send them (the forms each one documents).
PREVIEW_AGENTS = [
    "WhatsApp/2.23.20.0 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "TelegramBot (like TwitterBot)",
    "Twitterbot/1.0",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
]
PHONE_BROWSER = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile"


def meta_tags(page: str) -> dict[str, str]:
    """``property`` or ``name`` -> ``content`` of every <meta> tag that has both."""
    tags = {}
    for attributes in re.findall(r"<meta\s([^>]*)>", page):
        found = dict(re.findall(r'(\w[\w:-]*)="([^"]*)"', attributes))
        key = found.get("property") or found.get("name")
        if key and "content" in found:
            tags[key] = html.unescape(found["content"])
    return tags


def test_the_shared_page_has_a_title_description_and_open_graph_tags(link: ShareLink, partnership) -> None:
    page = client_for(None).get(shared_url(link), HTTP_USER_AGENT=PREVIEW_AGENTS[0]).content.decode()
    tags = meta_tags(page)

    assert tags["og:title"] == partnership.title
    assert tags["og:type"] == "website"
    assert tags["og:site_name"] == "Rekan"
    assert tags["description"] == tags["og:description"]
    assert tags["description"]
    assert f"<title>{partnership.title} · Rekan</title>" in page


def test_the_preview_tags_hold_no_personal_data_and_no_notes(link: ShareLink, partnership) -> None:
    page = client_for(None).get(shared_url(link)).content.decode()
    preview = " ".join(meta_tags(page).values())
    private = (CONTACT_NAME, "Wiryo", CONTACT_EMAIL, "7766", "fasilitator", INTERNAL_NOTE, SHARED_NOTE, "Karang Taruna")
    for text in private:
        assert text not in preview, text
    assert link.token not in preview  # the card never repeats the secret


def test_the_preview_tags_escape_the_title(facilitator) -> None:
    hostile = 'Kelompok "Tani" <script>alert(1)</script> & Co'
    partnership = services.partnerships.partnership_save(user=facilitator, partnership=Partnership(title=hostile))
    shared = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    page = client_for(None).get(shared_url(shared)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert meta_tags(page)["og:title"] == hostile


@pytest.mark.parametrize("agent", PREVIEW_AGENTS)
def test_a_chat_apps_preview_fetch_gets_the_page_but_is_not_counted(link: ShareLink, agent: str) -> None:
    response = client_for(None).get(shared_url(link), HTTP_USER_AGENT=agent)
    link.refresh_from_db()

    assert response.status_code == 200
    assert (link.view_count, link.last_viewed_at) == (0, None)


def test_a_person_opening_the_link_is_counted(link: ShareLink) -> None:
    client_for(None).get(shared_url(link), HTTP_USER_AGENT=PHONE_BROWSER)
    link.refresh_from_db()
    assert link.view_count == 1


def test_head_answers_as_get_does_without_a_body_and_is_not_counted(link: ShareLink) -> None:
    client = client_for(None)
    head = client.head(shared_url(link), HTTP_USER_AGENT=PHONE_BROWSER)
    link.refresh_from_db()

    assert head.status_code == 200
    assert head["Content-Type"].startswith("text/html")
    assert head["X-Robots-Tag"] == "noindex"
    assert head.content == b""
    assert link.view_count == 0


def test_head_of_a_revoked_link_answers_404(link: ShareLink, facilitator) -> None:
    services.sharing.share_link_revoke(user=facilitator, link=link)
    assert client_for(None).head(shared_url(link)).status_code == 404


def test_a_post_to_the_shared_page_is_refused(link: ShareLink) -> None:
    assert client_for(None).post(shared_url(link)).status_code == 405


def test_the_share_links_panel_offers_to_copy_the_link_and_send_it_on_whatsapp(facilitator, partnership, link) -> None:
    request = RequestFactory().get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    request.user = facilitator
    context = {"partnership": partnership, "share_links": partnership.share_links.all()}
    page = render_to_string("engagements/sharing/_panel.html", context, request=request)

    address = f"http://testserver/shared/{link.token}/"
    assert f'data-copy="share-link-{link.pk}"' in page
    chat = html.unescape(re.search(r'href="(https://wa\.me/[^"]*)"', page).group(1))
    message = parse_qs(urlsplit(chat).query)["text"][0]
    assert address in message
    assert partnership.title in message
    for text in (CONTACT_NAME, CONTACT_EMAIL, "7766"):
        assert text not in message
