"""The page budgets of issue 13, checked by bench/pages.py on the figures it measured.

Budgets live here, not in timed tests: a test suite that fails when the
machine is busy teaches people to ignore it. bench/pages.py measures, this
module judges:

* at the largest scale measured (scale 1 is the issue's LARGE portfolio), every
  page serves at least ``RATIO_MIN`` times the requests per second of a trivial
  logged-in view measured in the same run, Today at least ``TODAY_RATIO_MIN``;
* between the smallest and the largest scale, the median latency (p50) of a
  page that shows a bounded amount grows at most ``GROWTH_MAX`` times (exports
  list everything, so they are left out);
* at the largest scale no HTML page is above ``HTML_MAX_BYTES`` before
  compression;
* every page answers 200 to its viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RATIO_MIN = 0.25
TODAY_RATIO_MIN = 0.35
RATIO_MINIMA = {"today": TODAY_RATIO_MIN}
GROWTH_MAX = 1.5
# The growth budget reads the raw p50s, as the issue states it. The two scales are measured minutes
# apart, and on a shared machine the load can differ threefold between them: True judges instead
# the growth divided by the trivial page's own growth (the control measured in the same runs).
GROWTH_AGAINST_TRIVIAL = False
HTML_MAX_BYTES = 100_000


@dataclass(frozen=True)
class Miss:
    page: str
    label: str
    budget: str
    value: float
    limit: float
    scale: float

    def sentence(self) -> str:
        if self.budget == "ratio":
            return (
                f"{self.label}: x{self.value:.3f} the trivial view at scale {self.scale:g} "
                f"(budget: at least x{self.limit:.2f})"
            )
        if self.budget == "growth":
            return (
                f"{self.label}: p50 grew x{self.value:.2f} up to scale {self.scale:g} "
                f"(budget: at most x{self.limit:.1f})"
            )
        if self.budget == "html":
            return (
                f"{self.label}: {self.value / 1000:.0f} KB of HTML at scale {self.scale:g} "
                f"(budget: at most {self.limit / 1000:.0f} KB)"
            )
        return f"{self.label}: answered HTTP {self.value:.0f} at scale {self.scale:g} (it must answer 200)"


def ratio_minimum(key: str) -> float:
    return RATIO_MINIMA.get(key, RATIO_MIN)


def misses(scales: list[dict[str, Any]]) -> list[Miss]:
    """The budgets missed by the results of bench/pages.py (``scales``: one entry per scale, smallest first)."""
    if not scales:
        return []
    found: list[Miss] = []
    largest = scales[-1]
    for scale in scales:
        for key, page in scale["pages"].items():
            if page.get("status") not in (None, 200):
                found.append(Miss(key, page["label"], "status", page["status"], 200, scale["scale"]))
    for key, page in largest["pages"].items():
        if page.get("ratio") is not None and page["ratio"] < ratio_minimum(key):
            found.append(Miss(key, page["label"], "ratio", page["ratio"], ratio_minimum(key), largest["scale"]))
        if page.get("html") and page.get("bytes", 0) > HTML_MAX_BYTES:
            found.append(Miss(key, page["label"], "html", page["bytes"], HTML_MAX_BYTES, largest["scale"]))
    if len(scales) > 1:
        judged = relative_growth_of if GROWTH_AGAINST_TRIVIAL else growth_of
        for key, growth in judged(scales[0], largest).items():
            page = largest["pages"][key]
            if not page.get("export") and growth > GROWTH_MAX:
                found.append(Miss(key, page["label"], "growth", growth, GROWTH_MAX, largest["scale"]))
    return found


def growth_of(small: dict[str, Any], large: dict[str, Any]) -> dict[str, float]:
    """LARGE p50 / SMALL p50 of every page measured at both scales."""
    growth = {}
    for key, page in large["pages"].items():
        before = small["pages"].get(key, {}).get("p50_ms")
        after = page.get("p50_ms")
        if before and after:
            growth[key] = after / before
    return growth


def relative_growth_of(small: dict[str, Any], large: dict[str, Any]) -> dict[str, float]:
    """Each page's p50 growth over the trivial page's: what the data added, whatever the machine's load did."""
    growth = growth_of(small, large)
    control = growth.get("trivial")
    return {key: value / control for key, value in growth.items()} if control else {}
