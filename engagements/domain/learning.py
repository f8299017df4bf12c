"""The learning log's pure rules: how tags are kept, and which words a search looks for."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from engagements.models.learning import TAG_SEPARATOR

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
# A search reads at most this much of what was typed, and this many words of it.
MAX_QUERY_LENGTH = 200
MAX_SEARCH_TERMS = 8

_TAG_SPLIT = re.compile(r"[,;\n]")


def normalise_tag(text: str) -> str:
    """' #Air  Bersih ' -> 'air bersih': one spelling per tag, whatever the case and spaces typed."""
    return " ".join(text.split()).lstrip("#").strip().casefold()


def parse_tags(text: str) -> list[str]:
    """The tags typed as one text (commas, semicolons or lines between them), normalised, each once, in order."""
    tags: list[str] = []
    for part in _TAG_SPLIT.split(text):
        tag = normalise_tag(part)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def tags_text(tags: Iterable[str]) -> str:
    """The tags as the column keeps them: 'air bersih,pertanian'."""
    return TAG_SEPARATOR.join(tags)


def search_terms(text: str) -> list[str]:
    """The words to look for, lower case, without any character a search syntax could read as an operator."""
    return re.findall(r"\w+", text[:MAX_QUERY_LENGTH].casefold())[:MAX_SEARCH_TERMS]


def most_used_tags(tag_texts: Iterable[str], *, limit: int) -> list[str]:
    """The tags found most often in these column values, then alphabetically."""
    counts = Counter(tag for text in tag_texts for tag in text.split(TAG_SEPARATOR) if tag)
    return [tag for tag, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]
