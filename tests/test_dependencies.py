"""pyproject.toml names the dependencies; the lock files pin the same versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / lock).read_text().splitlines():
        if match := re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip()):
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def _declared(requirements: list[str]) -> dict[str, str]:
    declared = {}
    for requirement in requirements:
        name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]+\])?==(\S+)", requirement).groups()
        declared[re.sub(r"[-_.]+", "-", name).lower()] = version
    return declared


def test_it_pins_every_runtime_dependency_in_the_runtime_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _pins("requirements.lock")
    assert {name: runtime.get(name) for name in _declared(project["dependencies"])} == _declared(
        project["dependencies"]
    )


def test_it_pins_every_dev_dependency_in_the_dev_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dev = _declared(project["optional-dependencies"]["dev"])
    pinned = _pins("requirements-dev.lock")
    assert {name: pinned.get(name) for name in dev} == dev
    assert "-r requirements.lock" in (ROOT / "requirements-dev.lock").read_text()
