"""The partnership list as a portfolio: its columns, each sort both ways, the filters, pages and bad parameters."""

from __future__ import annotations

import re

import pytest
from django.utils import formats

from engagements.models import Partnership
from tests.conftest import client_for
from tests.engagements.portfolio.builders import many_partnerships
from tests.engagements.portfolio.conftest import Portfolio, days_ago
from tests.factories import make_facilitator

URL = "/partnerships/"
ROW = re.compile(r'<th scope="row" class="portfolio-title">\s*<a href="/partnerships/(\d+)/">')


def page_of(user, query: str = "") -> str:
    response = client_for(user).get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def order_of(user, query: str = "") -> list[int]:
    return [int(pk) for pk in ROW.findall(page_of(user, query))]


def row_of(html: str, partnership: Partnership) -> str:
    start = html.index(f'<a href="/partnerships/{partnership.pk}/">')
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_it_shows_each_column_of_each_partnership(facilitator, portfolio: Portfolio) -> None:
    html = page_of(facilitator)
    for label in ("Partnership", "Status", "Health", "Last contact", "Open commitments", "Flags"):
        assert f">{label}</a>" in html or f">{label} <span" in html, label
    bank = row_of(html, portfolio.bank)
    assert "Bank Kelompok Satu" in bank and '<span class="badge">Active</span>' in bank
    assert "80 of 100" in bank and "health-score-good" in bank
    assert formats.date_format(days_ago(5), "j M Y") in bank
    assert f'href="/partnerships/{portfolio.bank.pk}/commitments/?state=open">2</a>' in bank
    assert f'href="/partnerships/{portfolio.bank.pk}/commitments/?due=overdue">1 overdue</a>' in bank
    assert f'href="/partnerships/{portfolio.bank.pk}/risks/">1 flag</a>' in bank

    kebun = row_of(html, portfolio.kebun)
    assert "30 of 100" in kebun and "health-score-poor" in kebun  # the latest snapshot, not the better one before
    assert formats.date_format(days_ago(20), "j M Y") in kebun  # the visit, later than the check-in
    assert "2 flags" in kebun  # three flags, one acknowledged
    assert "overdue" not in kebun

    mangrove = row_of(html, portfolio.mangrove)
    assert "Not measured yet" in mangrove and "None yet" in mangrove
    assert f'href="/partnerships/{portfolio.mangrove.pk}/commitments/?state=open">1</a>' in mangrove
    assert "overdue" not in mangrove and 'portfolio-flags">0</td>' in mangrove
    assert "RAHASIA" not in html


@pytest.mark.django_db
def test_it_says_when_a_snapshot_had_not_enough_data_and_when_it_is_old(facilitator, portfolio: Portfolio) -> None:
    portfolio.mangrove.health_snapshots.create(day=days_ago(3), score=None)
    mangrove = row_of(page_of(facilitator), portfolio.mangrove)
    assert "Not enough data yet" in mangrove
    assert "on " + formats.date_format(days_ago(3), "j M Y") in mangrove
    assert "on " not in row_of(page_of(facilitator), portfolio.bank)  # today's snapshot needs no date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["bank", "kebun", "mangrove"]),
        ("title", ["bank", "kebun", "mangrove"]),
        ("-title", ["mangrove", "kebun", "bank"]),
        ("status", ["mangrove", "bank", "kebun"]),  # the lifecycle: exploring, active, paused
        ("-status", ["kebun", "bank", "mangrove"]),
        ("health", ["kebun", "bank", "mangrove"]),  # weakest first, unmeasured last
        ("-health", ["bank", "kebun", "mangrove"]),  # unmeasured last either way
        ("last_contact", ["kebun", "bank", "mangrove"]),  # longest silence first, no contact last
        ("-last_contact", ["bank", "kebun", "mangrove"]),
        ("open_commitments", ["kebun", "mangrove", "bank"]),
        ("-open_commitments", ["bank", "mangrove", "kebun"]),
        ("flags", ["mangrove", "bank", "kebun"]),
        ("-flags", ["kebun", "bank", "mangrove"]),
    ],
)
def test_it_sorts_by_each_column_both_ways(facilitator, portfolio: Portfolio, sort: str, expected: list[str]) -> None:
    query = f"?sort={sort}" if sort else ""
    assert order_of(facilitator, query) == [getattr(portfolio, name).pk for name in expected]


@pytest.mark.django_db
def test_it_marks_the_sorted_column_and_links_each_header_to_its_sort(facilitator, portfolio: Portfolio) -> None:
    html = page_of(facilitator, "?sort=-health&status=paused")
    headers = re.findall(r'<th scope="col" class="portfolio-(\w+)"( aria-sort="(\w+)")?>\s*<a href="\?([^"]*)">', html)
    found = {key: (aria, link) for key, _attribute, aria, link in headers}
    assert found == {
        "title": ("", "status=paused"),
        "status": ("", "status=paused&amp;sort=status"),
        "health": ("descending", "status=paused&amp;sort=health"),  # the other way
        "last_contact": ("", "status=paused&amp;sort=last_contact"),
        "open_commitments": ("", "status=paused&amp;sort=-open_commitments"),  # most first
        "flags": ("", "status=paused&amp;sort=-flags"),
    }
    assert html.count("aria-sort=") == 1
    assert 'aria-sort="ascending"' in page_of(facilitator, "?sort=health")
    assert 'class="portfolio-title" aria-sort="ascending"' in page_of(facilitator)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=paused", ["kebun"]),
        ("?status=active", ["bank"]),
        ("?flags=1", ["bank", "kebun"]),
        ("?overdue=1", ["bank"]),
        ("?flags=1&overdue=1", ["bank"]),
        ("?flags=1&status=exploring", []),
        ("?flags=1&sort=-health", ["bank", "kebun"]),
        ("?overdue=1&sort=-flags", ["bank"]),
    ],
)
def test_it_filters_by_status_flags_and_overdue_commitments(
    facilitator, portfolio: Portfolio, query: str, expected: list[str]
) -> None:
    assert order_of(facilitator, query) == [getattr(portfolio, name).pk for name in expected]


@pytest.mark.django_db
def test_it_says_when_no_partnership_matches_and_keeps_the_filters_in_the_form(
    facilitator, portfolio: Portfolio
) -> None:
    html = page_of(facilitator, "?status=closed&flags=1&overdue=1&sort=-flags")
    assert "No partnership matches these filters." in html
    assert '<option value="closed" selected>' in html
    assert 'name="flags" value="1" checked' in html and 'name="overdue" value="1" checked' in html
    assert '<input type="hidden" name="sort" value="-flags">' in html
    assert 'href="/partnerships.csv?status=closed&amp;flags=1&amp;overdue=1&amp;sort=-flags"' in html


@pytest.mark.django_db
def test_it_counts_an_acknowledged_flag_no_more_at_once(facilitator, portfolio: Portfolio) -> None:
    from engagements import services
    from engagements.selectors.risks import flags_of

    services.risks.flag_acknowledge(
        user=facilitator, partnership=portfolio.bank, flag=flags_of(portfolio.bank)[0], note="Dana hibah masuk"
    )
    assert order_of(facilitator, "?flags=1") == [portfolio.kebun.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?sort=bogus",
        "?sort=-",
        "?sort=--health",
        "?sort=members__organization__name",
        "?status=nope",
        "?flags=maybe",
        "?overdue=%00",
        "?page=abc",
        "?page=0",
        "?page=-3",
        "?page=1.5",
        "?page=99999999999999999999999",
        "?sort=bogus&page=abc&status=nope&flags=2",
    ],
)
def test_it_ignores_parameters_it_does_not_understand(facilitator, portfolio: Portfolio, query: str) -> None:
    assert order_of(facilitator, query) == [p.pk for p in portfolio.all]


@pytest.mark.django_db
def test_it_shows_fifty_a_page_and_keeps_sort_and_filters_across_pages(facilitator) -> None:
    many_partnerships(120, facilitator=facilitator)
    first = page_of(facilitator, "?sort=-title&status=active")
    rows = order_of(facilitator, "?sort=-title&status=active")
    assert len(rows) == 30  # a quarter of them are active
    assert "30 partnerships" in first and 'rel="next"' not in first

    html = page_of(facilitator, "?sort=-title")
    titles = list(Partnership.objects.order_by("-title").values_list("pk", flat=True))
    assert order_of(facilitator, "?sort=-title") == titles[:50]
    assert "120 partnerships" in html and "Page 1 of 3" in html
    assert 'href="?sort=-title&amp;page=2" rel="next"' in html
    assert order_of(facilitator, "?sort=-title&page=3") == titles[100:]
    assert order_of(facilitator, "?sort=-title&page=9") == titles[100:]  # past the end: the last page
    third = page_of(facilitator, "?sort=-title&page=3")
    assert 'href="?sort=-title&amp;page=2" rel="prev"' in third and 'rel="next"' not in third
    by_flags = order_of(facilitator, "?sort=-flags&page=2")
    assert len(by_flags) == 50 and not set(by_flags) & set(order_of(facilitator, "?sort=-flags"))


@pytest.mark.django_db
def test_it_shows_an_empty_portfolio_what_to_do(facilitator) -> None:
    html = page_of(facilitator)
    assert "No partnership yet." in html and "<table" not in html


@pytest.mark.django_db
def test_it_is_for_facilitators_only(partner_a, portfolio: Portfolio) -> None:
    assert client_for(partner_a).get(URL).status_code == 403
    assert client_for(partner_a).get("/partnerships.csv").status_code == 403
    assert client_for(None).get(URL).status_code == 302
    assert client_for(None).get("/partnerships.csv").status_code == 302


@pytest.mark.django_db
def test_it_keeps_only_the_partnerships_the_user_facilitates_when_asked(facilitator, portfolio: Portfolio) -> None:
    portfolio.bank.facilitators.set([])
    portfolio.kebun.facilitators.set([facilitator])
    portfolio.mangrove.facilitators.set([])
    assert order_of(facilitator, "?mine=1") == [portfolio.kebun.pk]
    assert order_of(facilitator, "?mine=1&flags=1&sort=-flags") == [portfolio.kebun.pk]
    assert order_of(make_facilitator(username="fasilitator_lain"), "?mine=1") == []
    assert 'name="mine" value="1" checked' in page_of(facilitator, "?mine=1")
