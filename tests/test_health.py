from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import ConnectionHandler
from django.test import override_settings

from config import health
from config.health import broker_is_reachable, database_is_reachable
from tests.conftest import client_for

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_it_reports_database_and_broker_reachable() -> None:
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_unreachable() -> None:
    with override_settings(CELERY_BROKER_URL=UNREACHABLE_REDIS, CELERY_BROKER_TRANSPORT_OPTIONS={}):
        response = client_for(None).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unreachable"}


def test_it_finds_no_broker_on_a_closed_port() -> None:
    assert broker_is_reachable(UNREACHABLE_REDIS, {}) is False


@pytest.mark.django_db
def test_it_finds_the_configured_broker() -> None:
    assert broker_is_reachable(settings.CELERY_BROKER_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS) is True


def unreachable_database(tmp_path) -> ConnectionHandler:
    """The configured database, moved to where nothing answers."""
    broken = dict(connections["default"].settings_dict)
    if broken["ENGINE"].endswith("sqlite3"):
        broken.update(NAME=str(tmp_path / "missing-folder" / "db.sqlite3"))
    else:
        broken.update(HOST="127.0.0.1", PORT="1")
    return ConnectionHandler({"default": broken})


@pytest.mark.django_db
def test_it_finds_no_database_where_none_answers(tmp_path) -> None:
    handler = unreachable_database(tmp_path)
    try:
        assert database_is_reachable(handler["default"]) is False
    finally:
        handler.close_all()


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_unreachable(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    handler = unreachable_database(tmp_path)
    monkeypatch.setattr(health, "connections", handler)
    try:
        response = client_for(None).get("/healthz")
    finally:
        handler.close_all()
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
