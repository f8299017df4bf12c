"""Settings come from the environment and refuse an insecure production."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process, with nothing of the test run."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="rekan.example,testserver",
        REKAN_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_it_reads_booleans_and_fails_loudly_on_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REKAN_FLAG", "yes")
    assert env_bool("REKAN_FLAG") is True
    monkeypatch.setenv("REKAN_FLAG", "0")
    assert env_bool("REKAN_FLAG", default=True) is False
    monkeypatch.setenv("REKAN_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="REKAN_FLAG"):
        env_bool("REKAN_FLAG")


def test_it_reads_numbers_lists_and_choices_and_fails_loudly_on_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REKAN_NUMBER", "12")
    assert env_int("REKAN_NUMBER", 3) == 12
    monkeypatch.setenv("REKAN_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="REKAN_NUMBER"):
        env_int("REKAN_NUMBER", 3)
    monkeypatch.setenv("REKAN_HOSTS", "a.example, b.example,,")
    assert env_list("REKAN_HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("REKAN_CHOICE", "carrier-pigeon")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("REKAN_CHOICE", ["console", "smtp"], "console")


def test_it_refuses_a_whatsapp_channel_that_could_not_hear_its_delivery_statuses(tmp_path: Path) -> None:
    env = production_env(tmp_path, WHATSAPP_TOKEN="token", WHATSAPP_PHONE_NUMBER_ID="1065")
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECRET_KEY", "", "SECRET_KEY must be set"),
        ("SECRET_KEY", "short", "SECRET_KEY must be set"),
        ("DATABASE_URL", "mysql://root@localhost/rekan", "PostgreSQL or SQLite"),
        ("REDIS_URL", "http://localhost", "REDIS_URL must start with"),
        ("TIME_ZONE", "Asia/Atlantis", "not a known time zone"),
        ("LANGUAGE_CODE", "fr", "LANGUAGE_CODE must be one of"),
        ("EMAIL_BACKEND", "pigeon", "must be one of"),
        ("WHATSAPP_API_URL", "graph.facebook.com", "WHATSAPP_API_URL must start with"),
    ],
)
def test_it_refuses_to_start_on_a_bad_setting(tmp_path: Path, variable: str, value: str, message: str) -> None:
    result = run_python("import django; django.setup()", production_env(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_passes_the_deployment_checklist_without_a_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_RESPONSE = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="rekan.example")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
health = client.get("/healthz")
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "cookies": {
        name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}
        for name, c in secure.cookies.items()
    },
    "health_status": health.status_code,
}))
"""


def test_it_serves_production_pages_with_hsts_and_secure_httponly_cookies(tmp_path: Path) -> None:
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    env.pop("REDIS_URL", None)
    result = run_python(PRODUCTION_RESPONSE, env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://rekan.example/accounts/login/"
    assert seen["health_status"] == 200  # load balancers probe over plain HTTP
    assert seen["status"] == 200
    assert seen["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "csrftoken" in seen["cookies"]
    for name, flags in seen["cookies"].items():
        assert flags == {"secure": True, "httponly": True}, name
