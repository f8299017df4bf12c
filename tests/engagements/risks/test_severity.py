"""Severity is likelihood x impact, in three bands."""

from __future__ import annotations

import pytest

from engagements.domain.risks import Band, band_of, severity, too_many_broken
from engagements.models import Risk


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "band"),
    [
        (1, 1, 1, Band.LOW),
        (2, 2, 4, Band.LOW),
        (1, 5, 5, Band.MEDIUM),
        (2, 3, 6, Band.MEDIUM),
        (2, 5, 10, Band.MEDIUM),
        (3, 4, 12, Band.HIGH),
        (4, 3, 12, Band.HIGH),
        (5, 5, 25, Band.HIGH),
    ],
)
def test_it_bands_the_severity_of_a_risk(likelihood, impact, score, band) -> None:
    risk = Risk(likelihood=likelihood, impact=impact)
    assert severity(likelihood, impact) == risk.severity == score
    assert band_of(score) == risk.band == band


def test_it_needs_more_than_30_percent_of_at_least_3_closed_commitments() -> None:
    assert too_many_broken(3, 1)
    assert not too_many_broken(10, 3)
    assert too_many_broken(10, 4)
    assert not too_many_broken(2, 2)
    assert not too_many_broken(0, 0)
