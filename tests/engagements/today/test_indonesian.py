"""Today reads in Bahasa Indonesia, every section with items, and every empty state."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from engagements.models import TodayVisit
from engagements.selectors.dashboard import EMPTY, HEADINGS, KINDS
from tests.conftest import client_for
from tests.engagements.today.scale import build_portfolio

pytestmark = pytest.mark.django_db

# English of Today that has an Indonesian translation (the sentences with a date or name, by their start).
PHRASES = (
    "Who acts:",
    "From:",
    "In:",
    "Welcome to Today",
    "Your last visit",
    "See all",
    "Grace period",
    "Due on",
    "Marked kept",
    "Marked the",
    "Added progress",
    "Answered the health check",
    "New leader in",
    "has led the group",
    "Meet the new leader",
    "Down ",
    "Weakest part",
    "Acknowledge it",
    "Log a check-in",
    "to hold",
    "to follow up",
    "late or due",
    "new risk flag",
    "low or falling health",
    "leadership change",
    "updates from partners",
    "follow-ups to do",
    "Nothing needs you today",
    "Go to your partnerships",
    "in all",
)


def english_left(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    with translation.override("en"):
        sentences = [str(HEADINGS[kind]) for kind in KINDS] + [str(EMPTY[kind]) for kind in KINDS]
    return [phrase for phrase in (*PHRASES, *sentences) if phrase in text or phrase in main]


def in_indonesian(user):
    user.language = "id"
    user.save(update_fields=["language"])
    return client_for(user)


def test_it_shows_today_and_its_lists_in_indonesian(facilitator) -> None:
    build_portfolio(facilitator, 12)
    client = in_indonesian(facilitator)
    first = client.get(reverse("engagements:today")).content.decode()
    assert english_left(first) == []
    TodayVisit.objects.update(last_at=timezone.now() - datetime.timedelta(hours=2))
    again = client.get(reverse("engagements:today")).content.decode()
    assert "Kunjungan terakhir Anda" in again
    assert english_left(again) == []
    for kind in KINDS:
        page = client.get(reverse("engagements:today_list", args=[kind])).content.decode()
        assert english_left(page) == [], kind


def test_it_says_what_to_do_next_in_indonesian(facilitator) -> None:
    client = in_indonesian(facilitator)
    assert english_left(client.get(reverse("engagements:today")).content.decode()) == []
    for kind in KINDS:
        assert english_left(client.get(reverse("engagements:today_list", args=[kind])).content.decode()) == [], kind
