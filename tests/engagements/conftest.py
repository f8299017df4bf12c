"""Fixtures of the engagements tests that talk to WhatsApp."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.engagements.graph_api import GraphApi


@pytest.fixture
def graph_api(settings) -> Iterator[GraphApi]:
    """A local Cloud API server, and the WhatsApp channel configured to send to it."""
    with GraphApi() as api:
        for name, value in api.settings.items():
            setattr(settings, name, value)
        settings.WHATSAPP_ENABLED = True
        yield api
