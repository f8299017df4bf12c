"""bench/seed.py and bench/pages.py at a tiny scale, on SQLite or PostgreSQL as the suite runs.

The bench itself is not a test (bench/README.md); this keeps it runnable: the
seeder writes the rows its plan names, the portfolio holds together (one
facilitator everywhere, intact trust log chains, the busy group and its
member), every page the bench times answers its viewer, and the budgets judge
figures as the issue says.
"""

from __future__ import annotations

import pytest

from bench import budgets, pages
from bench.seed import plan_for, seed_portfolio
from engagements.models import Partnership
from engagements.services.trust import trust_log_verify
from partners.models import Interaction, Organization

SCALE = 0.002


@pytest.fixture
def portfolio(db: None) -> pages.Portfolio:
    return seed_portfolio(scale=SCALE)


def test_it_plans_the_issues_large_portfolio_at_scale_1() -> None:
    counts = plan_for(1).counts()

    assert counts["organizations"] == 10_000
    assert counts["contacts"] == 30_000
    assert counts["partnerships"] == 2_000
    assert counts["goals"] == 6_000
    assert counts["activities"] == 30_000
    assert counts["interactions"] == 50_000
    # 20 a partnership, and the focal partnership's longer history.
    assert counts["check_ins"] == 40_000 + 200


def test_it_writes_the_rows_its_plan_names(portfolio: pages.Portfolio) -> None:
    assert portfolio.counts == plan_for(SCALE).counts()
    assert portfolio.counts["partnerships"] == 4
    assert portfolio.counts["organizations"] == 20
    # Each record has its "created" history row, as if it had been saved alone.
    assert Organization.history.filter(history_type="+").count() == 20
    assert Partnership.history.count() == 4


def test_it_puts_the_facilitator_on_every_partnership_and_chains_every_log(portfolio: pages.Portfolio) -> None:
    assert set(Partnership.objects.exclude(facilitators=portfolio.facilitator_id)) == set()
    for partnership in Partnership.objects.all():
        verification = trust_log_verify(partnership=partnership)
        assert verification.intact
        assert verification.entries > 0


def test_its_busy_group_has_the_most_interactions_and_a_member_in_three_partnerships(
    portfolio: pages.Portfolio,
) -> None:
    counts = {o: Interaction.objects.filter(organization=o).count() for o in Organization.objects.all()}
    assert max(counts, key=counts.__getitem__).pk == portfolio.busy_organization_id
    assert Partnership.objects.filter(members__organization__members__user=portfolio.partner_id).count() == 3


def test_every_page_the_bench_times_answers_its_viewer(portfolio: pages.Portfolio) -> None:
    cookies = pages.session_cookies(portfolio)
    answered = []
    for page in [pages.TRIVIAL, *pages.PAGES]:
        path = pages.page_path(page, portfolio)
        if path is None:  # a page not built yet: the bench skips it with a note
            continue
        status, queries, built_ms = pages.query_count(path, pages.request_headers(page, cookies))
        assert (page.key, status) == (page.key, 200), queries
        assert isinstance(queries, int)
        assert built_ms is not None and built_ms > 0
        answered.append(page.key)
    assert {"trivial", "plan", "partnership", "portal", "share"} <= set(answered)


# Built every time: the control.
NOT_KEPT = {"trivial"}


def test_every_page_the_bench_times_is_kept_on_its_second_visit(settings, portfolio: pages.Portfolio) -> None:
    """Reading a page writes nothing the data version watches (a read mistaken for a write keeps nothing)."""
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 300
    cookies = pages.session_cookies(portfolio)
    kept = set()
    for page in [pages.TRIVIAL, *pages.PAGES]:
        path = pages.page_path(page, portfolio)
        if path is None:
            continue
        headers = pages.request_headers(page, cookies)
        client = Client()
        for part in headers.pop("Cookie", "").split("; "):
            if "=" in part:
                name, value = part.split("=", 1)
                client.cookies[name] = value
        for _visit in range(3):  # the first may stamp the session or Today's visit
            response = client.get(path, headers=headers)
            assert response.status_code == 200, page.key
            if response.streaming:
                b"".join(response.streaming_content)  # as a browser reads a download to its end
        if getattr(response, "page_cache_hit", False):
            kept.add(page.key)
    assert kept == {page.key for page in pages.PAGES if pages.page_path(page, portfolio)} - NOT_KEPT


def _scale(scale: float, **pages_: dict[str, object]) -> dict[str, object]:
    base = {"label": "", "status": 200, "html": True, "export": False, "bytes": 1000, "ratio": 1.0, "p50_ms": 10.0}
    return {"scale": scale, "pages": {key: base | {"label": key} | page for key, page in pages_.items()}}


def test_the_budgets_judge_the_largest_scale_and_the_growth_from_the_smallest() -> None:
    small = _scale(0.1, today={}, plan={"p50_ms": 20.0}, export={"export": True}, share={})
    large = _scale(
        1,
        today={"ratio": 0.3},  # Today needs 0.35
        plan={"ratio": 0.26, "p50_ms": 29.0, "bytes": 100_001},  # 1.45 x: fine; too much HTML
        export={"export": True, "p50_ms": 100.0, "ratio": 0.25},  # an export may grow
        share={"p50_ms": 16.0, "status": 500},
    )

    missed = {(miss.page, miss.budget) for miss in budgets.misses([small, large])}

    assert missed == {("today", "ratio"), ("plan", "html"), ("share", "growth"), ("share", "status")}


def test_a_page_whose_url_name_does_not_exist_yet_is_skipped(portfolio: pages.Portfolio) -> None:
    missing = pages.Page("missing", "a page still being built", pages.FACILITATOR, "engagements:not_built_yet")

    assert pages.page_path(missing, portfolio) is None
    assert pages.page_path(pages.PAGES[0], portfolio) is not None
