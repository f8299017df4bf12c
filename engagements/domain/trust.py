"""The trust log's hash chain: pure functions, no queries.

Each entry of a partnership's log stores a SHA-256 over its own canonical
content and the hash of the entry before it, so that changing, removing or
reordering any entry breaks every link after it. Anyone holding the entries
(a facilitator, a partner member, a copy exported as CSV) can recompute the
chain; no secret is involved.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The hash before the first entry of every partnership's log.
GENESIS = "0" * 64


def _canonical_value(value: object) -> object:
    if isinstance(value, datetime.datetime):
        # One spelling per instant, whatever zone the value carries.
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def canonical_content(content: Mapping[str, object]) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, UTF-8, dates in one spelling."""
    normalised = {key: _canonical_value(value) for key, value in content.items()}
    return json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(content: Mapping[str, object], previous_hash: str) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical content."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_content(content))
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainedEntry:
    """What verification needs of one stored entry."""

    pk: int
    content: Mapping[str, object]
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class Verification:
    entries: int
    first_broken: int | None  # pk of the first entry whose link does not hold

    @property
    def intact(self) -> bool:
        return self.first_broken is None


def verify(entries: Iterable[ChainedEntry]) -> Verification:
    """Walk one partnership's entries in order; name the first that breaks the chain."""
    expected_previous = GENESIS
    count = 0
    for entry in entries:
        count += 1
        if entry.previous_hash != expected_previous or entry.hash != entry_hash(entry.content, expected_previous):
            return Verification(entries=count, first_broken=entry.pk)
        expected_previous = entry.hash
    return Verification(entries=count, first_broken=None)
