"""Browsers ask every site for /favicon.ico: it must not be a 404 in the log and the console."""

from __future__ import annotations

import pytest

from tests.conftest import client_for


@pytest.mark.django_db
def test_it_serves_the_favicon_to_anyone_without_logging_in() -> None:
    response = client_for(None).get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert "max-age" in response["Cache-Control"]
