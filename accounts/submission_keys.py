"""Submission keys: a form sent twice (a phone's offline queue, a double tap) records once.

A form that may be filled without signal opens with a fresh random key in
a hidden field; the record keeps it under a partial unique constraint, and
the view answers a key it has seen with the record already made.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

_KEY = re.compile(r"[0-9a-f]{32}")


def new_key() -> str:
    return uuid.uuid4().hex


def key_of(data: Any) -> str:
    """The key a posted form carries, when it is one a form issued; anything else counts as none."""
    key = str(data.get("submission_key", "")) if data is not None else ""
    return key if _KEY.fullmatch(key) else ""
