"""Every user-facing string has its Bahasa Indonesia translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
SOURCE_FOLDERS = ["accounts", "partners", "engagements", "config", "templates"]


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values()) and bool(entry.msgstr_plural)
    return bool(entry.msgstr)


def test_it_has_no_untranslated_or_fuzzy_entry() -> None:
    po = polib.pofile(str(PO_FILE))
    untranslated = [e.msgid for e in po if not _is_translated(e) and not e.obsolete]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_it_ships_a_compiled_catalogue_matching_the_po_file() -> None:
    po = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.pofile(str(PO_FILE)) if e.msgid}
    mo = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO_FILE)) if e.msgid}
    assert mo == po, "run `make messages` to compile locale/id"


def test_it_has_a_catalogue_entry_for_every_string_in_the_source(tmp_path: Path) -> None:
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed (CI installs it)")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "id", "--no-obsolete"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "REKAN_VAR_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    committed = {e.msgid for e in polib.pofile(str(PO_FILE))}
    new = sorted({e.msgid for e in fresh} - committed)
    assert new == [], "strings missing from locale/id (run `make messages`, then translate)"
