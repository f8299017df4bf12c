"""The user's time zone: chosen in preferences, activated on every request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.middleware import UserPreferencesMiddleware
from tests.conftest import client_for


def preferences(**changes: str) -> dict[str, str]:
    return {"language": "en", "time_zone": "Asia/Jakarta", "email_reminders": "on"} | changes


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Asia/Jayapura", "Asia/Makassar", "Europe/Amsterdam"])
def test_it_saves_the_chosen_time_zone(facilitator, zone) -> None:
    response = client_for(facilitator).post("/accounts/preferences/", preferences(time_zone=zone))
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.time_zone == zone


@pytest.mark.django_db
def test_it_offers_the_three_indonesian_zones_first(facilitator) -> None:
    page = client_for(facilitator).get("/accounts/preferences/").content.decode()
    wib, wita, wit = (page.index(f'value="{zone}"') for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"))
    assert wib < wita < wit < page.index('value="Europe/Amsterdam"')
    assert "WIT (Asia/Jayapura)" in page


@pytest.mark.django_db
def test_it_refuses_an_unknown_zone_and_changes_nothing(facilitator) -> None:
    response = client_for(facilitator).post("/accounts/preferences/", preferences(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    facilitator.refresh_from_db()
    assert facilitator.time_zone == "Asia/Jakarta"


@pytest.mark.django_db
def test_it_activates_the_users_zone_for_the_request_only(facilitator, rf) -> None:
    facilitator.time_zone = "Asia/Jayapura"
    seen = []
    middleware = UserPreferencesMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()) or None)
    request = rf.get("/")
    request.user = facilitator
    middleware(request)
    request.user = AnonymousUser()
    middleware(request)
    assert seen == ["Asia/Jayapura", "Asia/Jakarta"]
    assert timezone.get_current_timezone_name() == "Asia/Jakarta"
