"""Phone numbers read the Indonesian way and open WhatsApp's click-to-chat; what is stored stays +62."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from django.urls import reverse

from partners.models import Contact
from partners.phones import national_form, normalise_phone, whatsapp_share_url, whatsapp_url
from tests.conftest import client_for


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("+6281234567890", "0812-3456-7890"),
        ("+628123456789", "0812-3456-789"),
        ("+62274123456", "0274123456"),  # a landline keeps its area code whole
        ("", ""),
        ("12345", "12345"),  # not the stored form: shown as it is
    ],
)
def test_it_shows_a_stored_number_in_its_national_form(stored: str, read: str) -> None:
    assert national_form(stored) == read


def test_every_written_form_of_a_number_reads_the_same() -> None:
    for written in ("0812-3456-7890", "62 812 3456 7890", "+62 (812) 3456-7890"):
        assert national_form(normalise_phone(written)) == "0812-3456-7890"


def test_it_links_a_number_to_click_to_chat_with_digits_only() -> None:
    assert whatsapp_url("+6281234567890") == "https://wa.me/6281234567890"


def test_it_encodes_the_prefilled_message_whatever_it_holds() -> None:
    message = 'Halo & "salam": https://rekan.example/s/abc?x=1#y <b>'
    address = whatsapp_url("+6281234567890", message)
    parts = urlsplit(address)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(parts.query) == {"text": [message]}
    assert " " not in address and "<" not in address and '"' not in address


def test_it_gives_no_link_for_a_number_whatsapp_cannot_take() -> None:
    assert whatsapp_url("") == ""
    assert whatsapp_url("0812 3456") == ""


def test_a_message_without_a_number_lets_whatsapp_ask_whom_to_send_it_to() -> None:
    parts = urlsplit(whatsapp_share_url("Rencana kita: https://rekan.example/s/abc"))
    assert (parts.netloc, parts.path) == ("wa.me", "/")
    assert parse_qs(parts.query) == {"text": ["Rencana kita: https://rekan.example/s/abc"]}


def test_the_template_filters_escape_what_they_put_in_an_attribute() -> None:
    rendered = Template(
        '{% load phones %}<a href="{{ phone|whatsapp_url:message }}">{{ phone|phone_national }}</a>'
    ).render(Context({"phone": "+6281234567890", "message": 'a"b<c>&'}))
    assert rendered == ('<a href="https://wa.me/6281234567890?text=a%22b%3Cc%3E%26">0812-3456-7890</a>')


@pytest.mark.django_db
def test_the_contact_list_shows_the_national_form_and_a_whatsapp_link(facilitator, org_a) -> None:
    Contact.objects.create(organization=org_a, name="Bu Sri", phone="+6281234567890")
    Contact.objects.create(organization=org_a, name="Pak Budi", phone="")
    page = client_for(facilitator).get(reverse("partners:contact_list", args=[org_a.pk])).content.decode()

    assert '<a href="tel:+6281234567890">0812-3456-7890</a>' in page
    assert 'href="https://wa.me/6281234567890"' in page
    assert page.count("https://wa.me/") == 1  # nobody without a phone gets a link
