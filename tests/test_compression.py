"""Pages travel compressed to a phone that accepts it; static files keep WhiteNoise's own compressed copies."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_page_is_sent_compressed_to_a_browser_that_accepts_gzip(facilitator) -> None:
    client = client_for(facilitator)
    plain = client.get(reverse("engagements:today"))
    packed = client.get(reverse("engagements:today"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    text = gzip.decompress(packed.content).decode()
    assert "<main" in text
    assert len(packed.content) < len(plain.content)


def test_the_log_in_page_is_compressed_too(client) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"<form" in gzip.decompress(response.content)


def test_a_streamed_export_is_compressed_as_it_streams(facilitator) -> None:
    response = client_for(facilitator).get(reverse("partners:directory_export"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert body.splitlines()[0]
