"""What people type as a name, a title or a short text, made safe to show and to compare.

Two kinds of characters do harm there. Invisible ones (zero-width space,
joiners, the byte order mark, soft hyphens, any other Unicode "format"
character, blank-looking letters such as the Hangul filler) let a name look
empty, or look like another group's name. Bidirectional controls (overrides,
embeddings, isolates, the left-to-right and right-to-left marks) reorder the
text around them on screen: "Kelompok\u202eTani" shows as "KelompokinaT", and
the same character can flip a list of names or a CSV cell. So:

- bidirectional controls are removed everywhere;
- a name or title is one line: line breaks become spaces, other control
  characters go, invisible characters at either end go;
- a value with nothing visible left is refused with a message that says why.

Joiners and other format characters inside a name stay: emoji sequences and
several scripts need them. ``partners`` and ``engagements`` forms and the CSV
import all go through here (``engagements`` imports ``partners``, never the
other way).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Letters and symbols that render as nothing: Hangul fillers, the braille blank, the Khmer inherent vowels.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
# Categories of characters that show nothing on their own: controls, format characters (ZWSP,
# ZWNJ, ZWJ, word joiner, BOM, soft hyphen...), surrogates, private use, unassigned, separators,
# and combining marks, which need a base to show.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})

_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_LINE_BREAK_RUN = re.compile(r"\s*(?:\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])\s*")
# C0 and C1 controls that are neither a tab nor a line break.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")

INVISIBLE_MESSAGE = _("This contains only spaces or invisible characters: type something that can be read.")


def is_invisible(character: str) -> bool:
    return character in BLANK_LOOKING or character.isspace() or unicodedata.category(character) in INVISIBLE_CATEGORIES


def has_visible_character(value: str) -> bool:
    return any(not is_invisible(character) for character in value)


def without_bidi_controls(value: str) -> str:
    return _BIDI.sub("", value)


def _strip_invisible_ends(value: str) -> str:
    start, end = 0, len(value)
    while start < end and is_invisible(value[start]):
        start += 1
    # A combining mark at the end belongs to the letter before it.
    while end > start and is_invisible(value[end - 1]) and unicodedata.category(value[end - 1]) not in {"Mn", "Me"}:
        end -= 1
    return value[start:end]


def clean_name(value: str) -> str:
    """A name or title as it is kept: one line, no bidirectional control, no invisible ends.

    Empty when nothing visible is left; ``validate_name`` refuses that.
    """
    value = _CONTROLS.sub("", _LINE_BREAK_RUN.sub(" ", without_bidi_controls(value)))
    return _strip_invisible_ends(value) if has_visible_character(value) else ""


def clean_text(value: str) -> str:
    """A longer text as it is kept: its lines as typed, without bidirectional or other control characters.

    Empty when nothing visible is left.
    """
    value = _CONTROLS.sub("", without_bidi_controls(value))
    return value.strip() if has_visible_character(value) else ""


def validate_name(value: str) -> str:
    """``clean_name``, or a ValidationError when the name has nothing visible (for forms and the CSV import)."""
    cleaned = clean_name(value)
    if not cleaned:
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    return cleaned


class _VisibleTextField(forms.CharField):
    """A CharField that refuses a required value with nothing visible, saying so."""

    def _clean_value(self, value: str) -> str:
        raise NotImplementedError

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return text
        cleaned = self._clean_value(text)
        if not cleaned and self.required:
            raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
        return cleaned


class NameField(_VisibleTextField):
    """A name or a title: one line, cleaned by ``clean_name``.

    In a ModelForm: ``field_classes = {"name": NameField}``; the model field's
    length, label and help text still apply.
    """

    def _clean_value(self, value: str) -> str:
        return clean_name(value)


class VisibleTextField(_VisibleTextField):
    """A longer text (a commitment, a trust-log entry): cleaned by ``clean_text``."""

    def _clean_value(self, value: str) -> str:
        return clean_text(value)


def clean_names_list(text: str) -> str:
    """'Waste, \u200b, fisheries' -> 'Waste,,fisheries': each comma- or semicolon-separated name cleaned.

    For focus areas typed as one text; ``parse_focus_areas`` then drops the empty ones.
    """
    return ",".join(clean_name(part) for part in re.split("[,;]", text))
