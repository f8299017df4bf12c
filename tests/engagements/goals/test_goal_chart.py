"""The goal chart's SVG is machine-read: its numbers never go through localisation."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import translation

from engagements import services
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

SVG_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
X_ATTRIBUTES, Y_ATTRIBUTES = ("x1", "x2", "cx"), ("y1", "y2", "cy")


class ChartParser(HTMLParser):
    """Collects the attributes of the <svg> and of every element inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.elements = False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = self.inside or tag == "svg"
        if self.inside:
            self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "svg"


def chart_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = ChartParser()
    parser.feed(html)
    assert parser.elements and parser.elements[0][0] == "svg"
    return parser.elements


def numbers_of(chart: list[tuple[str, dict[str, str]]]) -> list[tuple[str, str]]:
    """(axis, text) of every number in the chart: "x", "y", "r", or "box" for the viewBox."""
    found = [("box", n) for n in chart[0][1]["viewbox"].split()]  # HTMLParser lowercases attribute names
    for _, attrs in chart[1:]:
        found += [("x", attrs[name]) for name in X_ATTRIBUTES if name in attrs]
        found += [("y", attrs[name]) for name in Y_ATTRIBUTES if name in attrs]
        found += [("r", attrs["r"])] if "r" in attrs else []
        for point in attrs.get("points", "").split():
            x, y = point.split(",")
            found += [("x", x), ("y", y)]
    return found


def elements(chart: list[tuple[str, dict[str, str]]], tag: str) -> list[dict[str, str]]:
    return [attrs for name, attrs in chart if name == tag]


@pytest.fixture
def goal(facilitator, org_a):
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()])
    goal = partnership.goals.get()
    goal.target = Decimal(6000)
    goal.save()
    for month, value in [(3, "1500.50"), (6, "7500")]:
        services.goals.progress_record(
            user=facilitator, goal=goal, value=Decimal(value), measured_on=datetime.date(2026, month, 1)
        )
    return goal


def page_of(user, goal) -> str:
    return client_for(user).get(f"/partnerships/{goal.partnership_id}/goals/{goal.pk}/").content.decode()


@pytest.mark.django_db
def test_it_writes_plain_svg_numbers_for_an_indonesian_reader(settings, facilitator, goal) -> None:
    settings.USE_THOUSAND_SEPARATOR = True
    facilitator.language = "id"
    facilitator.save()
    chart = chart_of(page_of(facilitator, goal))
    numbers = numbers_of(chart)
    for axis, text in numbers:
        assert SVG_NUMBER.match(text), (axis, text)
    left, top, width, height = (float(n) for n in chart[0][1]["viewbox"].split())
    assert (left, top, width, height) == (0, 0, 300, 100)
    assert all(0 <= float(text) <= width for axis, text in numbers if axis == "x")
    assert all(0 <= float(text) <= height for axis, text in numbers if axis == "y")
    assert len(elements(chart, "circle")) == 3  # the baseline and both updates
    target = elements(chart, "line")[0]
    # Values run from 0 to 7,500: 6,000 sits at 80% of the 84-unit drawing height, under the top padding of 8.
    assert target["y1"] == target["y2"] == "24.8"


@pytest.mark.django_db
def test_it_writes_the_same_svg_whatever_the_language(settings, facilitator, goal) -> None:
    settings.USE_THOUSAND_SEPARATOR = True
    english = chart_of(page_of(facilitator, goal))
    facilitator.language = "id"
    facilitator.save()
    with translation.override("id"):
        indonesian = chart_of(page_of(facilitator, goal))
    assert numbers_of(indonesian) == numbers_of(english)
    points = [tuple(float(n) for n in p.split(",")) for p in elements(indonesian, "polyline")[0]["points"].split()]
    assert points[0] == (8.0, 92.0)  # the baseline: left edge, bottom of the drawing
    assert points[-1][1] == 8.0  # 7,500 is the highest value: top of the drawing
