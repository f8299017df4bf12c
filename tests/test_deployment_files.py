"""Dockerfile, docker-compose.yml and README.md agree with the application.

The set of environment variables the application reads comes from
``config.env.READ_VARIABLES``, filled by importing the real settings in fresh
processes under environments that reach every branch of config/settings.py
(development, production with SMTP and a proxy, file email).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
README = REPO_ROOT / "README.md"

APP_SERVICES = ("web", "worker", "beat")
MARKER = "READ_VARIABLES="
PRINT_READ_VARIABLES = (
    "import json\n"
    "import config.settings\n"
    "from config.env import READ_VARIABLES\n"
    f"print({MARKER!r} + json.dumps(sorted(READ_VARIABLES)))\n"
)
# Variables that choose a branch in config/settings.py; the parent's values
# must not leak into the subprocesses.
BRANCH_VARIABLES = ("DEBUG", "SECRET_KEY", "EMAIL_BACKEND", "TRUST_X_FORWARDED_PROTO")
ENVIRONMENTS = {
    "development": {"DEBUG": "true"},
    "production": {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60)[:60],
        "EMAIL_BACKEND": "smtp",
        "TRUST_X_FORWARDED_PROTO": "true",
    },
    "file email": {"DEBUG": "true", "EMAIL_BACKEND": "file"},
}


def variables_read_under(environment: dict[str, str], scratch: Path) -> set[str]:
    env = {name: value for name, value in os.environ.items() if name not in BRANCH_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REKAN_VAR_DIR=str(scratch / "var"),
        STATIC_ROOT=str(scratch / "static"),
        **environment,
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_READ_VARIABLES],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"importing config.settings failed:\n{result.stderr}"
    line = next(line for line in result.stdout.splitlines() if line.startswith(MARKER))
    return set(json.loads(line.removeprefix(MARKER)))


@pytest.fixture(scope="module")
def app_variables(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every environment variable the application reads, in any branch."""
    variables: set[str] = set()
    for name, environment in ENVIRONMENTS.items():
        variables |= variables_read_under(environment, tmp_path_factory.mktemp(name.replace(" ", "-")))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "EMAIL_FILE_PATH"} <= variables
    return variables


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        pairs = (item.split("=", 1) if "=" in item else (item, "") for item in environment)
        return {name: value for name, value in pairs}
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def command_of(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def readme_sections() -> tuple[str, list[tuple[str, str]]]:
    """The introduction before the first second-level heading, then (heading, body) pairs."""
    parts = re.split(r"^## +(.+)$", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return parts[0], list(zip(parts[1::2], parts[2::2], strict=True))


# --- docker-compose.yml --------------------------------------------------------


def test_it_defines_the_five_services(services: dict[str, Any]) -> None:
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", name


def test_it_health_checks_postgres_redis_and_web(services: dict[str, Any]) -> None:
    checks = {name: command_of({"command": services[name]["healthcheck"]["test"]}) for name in ("postgres", "redis")}
    assert "pg_isready" in checks["postgres"]
    assert "redis-cli ping" in checks["redis"]
    web_check = command_of({"command": services["web"]["healthcheck"]["test"]})
    assert "urllib" in web_check
    assert "http://127.0.0.1:8000/healthz" in web_check


def test_it_allows_the_host_that_the_web_health_check_asks_for(services: dict[str, Any]) -> None:
    hosts = environment_of(services["web"])["ALLOWED_HOSTS"].split(",")
    assert "127.0.0.1" in hosts


def test_it_keeps_postgres_and_redis_data_in_named_volumes(compose: dict[str, Any], services: dict[str, Any]) -> None:
    named = set(compose.get("volumes") or {})
    for service, mount in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data")):
        sources = {volume.split(":")[0] for volume in services[service]["volumes"] if volume.endswith(f":{mount}")}
        assert sources, f"{service} keeps no volume at {mount}"
        assert sources <= named, f"{service} mounts {sources}, which are not named volumes"


def test_it_starts_the_app_only_after_postgres_and_redis_are_healthy(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("postgres", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)


def test_it_migrates_collects_static_files_and_starts_gunicorn_in_web(services: dict[str, Any]) -> None:
    command = command_of(services["web"])
    steps = [
        command.index("manage.py migrate --noinput"),
        command.index("manage.py collectstatic --noinput"),
        command.index("gunicorn config.wsgi"),
    ]
    assert steps == sorted(steps), "migrate, then collectstatic, then gunicorn"
    assert "--bind 0.0.0.0:8000" in command


def test_it_runs_a_celery_worker_and_beat(services: dict[str, Any]) -> None:
    assert "celery -A config worker" in command_of(services["worker"])
    beat = command_of(services["beat"])
    assert "celery -A config beat" in beat
    assert "--schedule /tmp/" in beat


def test_it_names_only_variables_that_the_app_reads(services: dict[str, Any], app_variables: set[str]) -> None:
    for name in APP_SERVICES:
        assert "env_file" not in services[name], f"{name}: variables in an env_file cannot be checked"
        unknown = set(environment_of(services[name])) - app_variables
        assert not unknown, f"{name} sets variables that Rekan never reads: {sorted(unknown)}"


def test_it_gives_every_app_service_its_database_broker_and_secret_key(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        environment = environment_of(services[name])
        assert environment["DATABASE_URL"].startswith("postgres://rekan:"), name
        assert environment["DATABASE_URL"].endswith("@postgres:5432/rekan"), name
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name
        assert environment["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}", name
        assert environment["DEBUG"] == "false", name


# --- Dockerfile ----------------------------------------------------------------


def test_it_builds_a_non_root_image_from_the_lock_file() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.12-slim")
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    assert any("pip install" in run and "-r requirements.lock" in run for run in runs)
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert ("EXPOSE", "8000") in instructions
    cmd = [arguments for keyword, arguments in instructions if keyword == "CMD"][-1]
    assert json.loads(cmd)[:2] == ["gunicorn", "config.wsgi"]


def test_it_copies_every_local_app_and_asset_folder_into_the_image() -> None:
    copied = {
        arguments.split()[0].rstrip("/")
        for keyword, arguments in dockerfile_instructions()
        if keyword == "COPY" and not arguments.startswith("--")
    }
    apps = {path.parent.name for path in REPO_ROOT.glob("*/apps.py")}
    needed = apps | {"config", "manage.py", "templates", "static", "locale", "requirements.lock"}
    assert not needed - copied, f"the image lacks {sorted(needed - copied)}"


# --- README.md -----------------------------------------------------------------


def test_it_documents_every_variable_in_the_readme_table(app_variables: set[str]) -> None:
    rows = re.findall(r"^\|\s*`?([A-Z][A-Z0-9_]*)`?\s*\|", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(rows) == len(set(rows)), "a variable has two rows"
    missing, stale = app_variables - set(rows), set(rows) - app_variables
    assert not missing, f"README lacks rows for {sorted(missing)}"
    assert not stale, f"README documents variables Rekan never reads: {sorted(stale)}"


def test_it_puts_make_run_and_make_test_first_in_the_readme() -> None:
    _, sections = readme_sections()
    _, first_body = sections[0]
    assert "make run" in first_body
    assert "make test" in first_body
    assert first_body.index("make run") < first_body.index("make test")
    assert "DATABASE_URL=postgres://postgres@127.0.0.1:5432/rekan REDIS_URL=redis://127.0.0.1:6379/0 make test" in (
        first_body
    )


def test_it_tells_how_to_run_in_production_with_compose() -> None:
    text = README.read_text(encoding="utf-8")
    assert "docker compose up -d" in text
    assert "TRUST_X_FORWARDED_PROTO" in text
