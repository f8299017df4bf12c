"""The trust log's hash chain, as pure functions: any change to any entry is seen."""

from __future__ import annotations

import datetime
import zoneinfo

from engagements.domain.trust import GENESIS, ChainedEntry, canonical_content, entry_hash, verify


def chain(contents: list[dict[str, object]]) -> list[ChainedEntry]:
    entries, previous = [], GENESIS
    for pk, content in enumerate(contents, start=1):
        digest = entry_hash(content, previous)
        entries.append(ChainedEntry(pk=pk, content=content, previous_hash=previous, hash=digest))
        previous = digest
    return entries


CONTENTS = [{"kind": "commitment_made", "text": f"Janji {n}", "at": datetime.date(2026, 12, n)} for n in range(1, 6)]


def test_it_verifies_an_untouched_chain() -> None:
    result = verify(chain(CONTENTS))
    assert (result.entries, result.intact) == (5, True)


def test_it_names_the_first_entry_whose_content_changed() -> None:
    entries = chain(CONTENTS)
    altered = entries[2]
    entries[2] = ChainedEntry(
        altered.pk, {**altered.content, "text": "Janji diubah"}, altered.previous_hash, altered.hash
    )
    assert verify(entries).first_broken == 3


def test_it_sees_a_removed_or_reordered_entry() -> None:
    entries = chain(CONTENTS)
    assert verify([*entries[:2], *entries[3:]]).first_broken == 4
    assert verify([entries[1], entries[0], *entries[2:]]).first_broken == 2


def test_it_sees_a_rehashed_entry_through_the_next_link() -> None:
    # Someone edits entry 3 and recomputes its own hash: entry 4 still points at the old one.
    entries = chain(CONTENTS)
    content = {**entries[2].content, "text": "Janji diubah"}
    entries[2] = ChainedEntry(3, content, entries[2].previous_hash, entry_hash(content, entries[2].previous_hash))
    assert verify(entries).first_broken == 4


def test_it_hashes_one_instant_the_same_in_every_zone() -> None:
    moment = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
    same = moment.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert canonical_content({"at": moment}) == canonical_content({"at": same})
    assert canonical_content({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
