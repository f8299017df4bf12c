"""The results: both sides side by side, the disagreements highlighted, anonymity within a side, fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import HealthCheckAnswer
from engagements.selectors.health_checks import FACILITATORS, PARTNERS, results_of
from tests.conftest import client_for
from tests.engagements.health_checks.conftest import answer, facilitators, members_of, url

pytestmark = pytest.mark.django_db

SECRET = "RAHASIA-komentar-pribadi"


def cell_of(results, slug: str, key: str):
    [found] = [row for row in results.statements if row.statement.slug == slug]
    return next(cell for cell in found.cells if cell.side.key == key)


def test_it_puts_the_sides_averages_side_by_side(partnership, health_round, org_a, org_m) -> None:
    for user in facilitators(3):
        answer(user, health_round, 5)
    for n, user in enumerate(members_of(org_a, 3)):
        answer(user, health_round, 2 + n)  # 2, 3, 4
    for user in members_of(org_m, 3):
        answer(user, health_round, 4)

    results = results_of(health_round)

    assert [side.key for side in results.sides] == [FACILITATORS, str(org_a.pk), str(org_m.pk), PARTNERS]
    assert [side.respondents for side in results.sides] == [3, 3, 3, 6]
    assert cell_of(results, "goals-clear", FACILITATORS).average == 5
    assert cell_of(results, "goals-clear", str(org_a.pk)).average == 3
    assert cell_of(results, "goals-clear", PARTNERS).average == pytest.approx(3.5)
    assert cell_of(results, "goals-clear", str(org_a.pk)).answers == 3
    assert results.respondents == 9


def test_it_highlights_the_three_statements_where_the_sides_disagree_most(
    partnership, health_round, facilitator, org_a
) -> None:
    for user in facilitators(3):
        answer(user, health_round, 5)
    for user in members_of(org_a, 3):
        answer(user, health_round, 5, goals_clear=1, roles_clear=2, trust_open=3, benefit_worth=4)

    results = results_of(health_round)

    assert [(row.statement.slug, row.difference) for row in results.disagreements] == [
        ("goals-clear", 4),
        ("roles-clear", 3),
        ("trust-open", 2),
        ("benefit-worth", 1),
    ]
    assert [row.statement.slug for row in results.highlighted] == ["goals-clear", "roles-clear", "trust-open"]
    assert (results.highlighted[0].highest.side.key, results.highlighted[0].lowest.side.key) == (
        FACILITATORS,
        str(org_a.pk),
    )
    page = client_for(facilitator).get(url("health_check_results", partnership, health_round.pk)).content.decode()
    # Said in words, not only with a colour.
    assert 'id="disagreement-goals-clear"' in page and 'id="disagreement-benefit-worth"' not in page
    assert "a difference of 4.0 points" in page
    assert page.count("sides differ") == 3


def test_it_hides_a_side_of_two_respondents(partnership, health_round, facilitator, org_a) -> None:
    for user in facilitators(3):
        answer(user, health_round, 5)
    two = members_of(org_a, 2)
    for user in two:
        answer(user, health_round, 1, comment=SECRET)

    results = results_of(health_round)
    side = next(side for side in results.sides if side.key == str(org_a.pk))

    assert (side.respondents, side.shown) == (2, False)
    assert cell_of(results, "goals-clear", str(org_a.pk)).average is None
    assert cell_of(results, "goals-clear", PARTNERS).average is None  # the groups together are two people too
    assert results.disagreements == []
    assert not any(line.side.key == str(org_a.pk) for row in results.statements for line in row.lines)
    page = client_for(facilitator).get(url("health_check_results", partnership, health_round.pk)).content.decode()
    assert SECRET not in page
    assert "too few answers to show without identifying someone" in page
    assert all(user.username not in page and user.first_name not in page for user in two)


def test_it_shows_a_side_of_three_respondents_without_names(partnership, health_round, facilitator, org_a) -> None:
    three = members_of(org_a, 3)
    for n, user in enumerate(three):
        answer(user, health_round, 3, comment=f"{SECRET}-{n}")

    results = results_of(health_round)

    assert cell_of(results, "goals-clear", str(org_a.pk)).average == 3
    for client in (client_for(facilitator), client_for(three[0])):
        page = client.get(url("health_check_results", partnership, health_round.pk)).content.decode()
        assert all(f"{SECRET}-{n}" in page for n in range(3))
        assert all(user.username not in page and user.first_name not in page for user in three[1:])


def test_it_keeps_the_groups_together_hidden_when_subtraction_would_reveal_a_small_group(
    partnership, health_round, org_a, org_m
) -> None:
    for user in members_of(org_a, 3):
        answer(user, health_round, 5)
    answer(members_of(org_m, 1)[0], health_round, 1)

    results = results_of(health_round)

    partners = next(side for side in results.sides if side.key == PARTNERS)
    assert (partners.respondents, partners.shown) == (4, False)


def test_it_shows_the_trend_of_the_last_rounds(partnership, health_round, facilitator, org_a) -> None:
    members = members_of(org_a, 3)
    for user in members:
        answer(user, health_round, 2)
    from engagements import services

    services.health_checks.health_check_close(user=facilitator, found=health_round)
    later = services.health_checks.health_check_open(
        user=facilitator, partnership=partnership, closes_on=health_round.closes_on
    )
    for user in members:
        answer(user, later, 4)

    trend = results_of(later).trend

    assert [row.round for row in trend] == [later, health_round]
    assert [next(c for c in row.cells if c.side.key == str(org_a.pk)).average for row in trend] == [4, 2]
    assert [row.round for row in results_of(health_round).trend] == [health_round]


def test_it_shows_an_empty_round_with_what_to_do_next(partnership, health_round, facilitator) -> None:
    page = client_for(facilitator).get(url("health_check_results", partnership, health_round.pk))

    assert page.status_code == 200
    assert "Nobody has answered yet" in page.content.decode()


def _results_page_queries(client, partnership, found) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("health_check_results", partnership, found.pk))
    assert response.status_code == 200
    return len(queries)


def test_the_results_page_costs_the_same_queries_for_3_and_30_respondents(
    partnership, health_round, facilitator, org_a, org_m
) -> None:
    client = client_for(facilitator)
    for user in members_of(org_a, 3):
        answer(user, health_round, 3, comment="x")
    at_three = _results_page_queries(client, partnership, health_round)

    for user in [*members_of(org_a, 12, "lagi"), *members_of(org_m, 15), *facilitators(3)]:
        answer(user, health_round, 4, comment="y")
    assert HealthCheckAnswer.objects.values("respondent").distinct().count() == 33
    assert _results_page_queries(client, partnership, health_round) == at_three
