"""latest_results, for the health score: the numbers of each partnership's latest round, in fixed queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.domain.health_checks import SLUGS
from engagements.models import HealthCheckAnswer, HealthCheckRound, HealthCheckSide, Partnership
from engagements.selectors.health_checks import LatestResult, latest_results
from tests.engagements.health_checks.conftest import answer, facilitators, members_of
from tests.factories import OrganizationFactory, make_partner_member

pytestmark = pytest.mark.django_db


def test_it_gives_the_numbers_of_the_latest_round(partnership, health_round, facilitator, org_a, org_m) -> None:
    old = HealthCheckRound.objects.create(
        partnership=partnership,
        opened_on=health_round.opened_on - datetime.timedelta(days=90),
        closes_on=health_round.closes_on,
    )
    answer(facilitators(1, "lama")[0], old, 1)
    HealthCheckRound.objects.filter(pk=old.pk).update(closes_on=old.opened_on + datetime.timedelta(days=10))
    for user in facilitators(2):
        answer(user, health_round, 5)  # facilitators' average 5
    answer(members_of(org_a, 1)[0], health_round, 1)  # A's 1
    answer(members_of(org_m, 1)[0], health_round, 3)  # M's 3
    alone = Partnership.objects.create(title="Tanpa pemeriksaan", start_date=datetime.date(2026, 1, 1))

    results = latest_results([partnership.pk, alone.pk])

    assert results == {
        partnership.pk: LatestResult(
            round_id=health_round.pk,
            closed_or_opened_on=health_round.opened_on,
            overall=pytest.approx(((5 * 2 + 1 + 3) / 4 - 1) / 4),
            gap=4,
            respondents=4,
        )
    }


def test_it_says_none_without_answers_or_with_one_side(partnership, health_round, facilitator) -> None:
    assert latest_results([partnership.pk])[partnership.pk].overall is None
    assert latest_results([partnership.pk])[partnership.pk].gap is None
    assert latest_results([partnership.pk])[partnership.pk].respondents == 0

    answer(facilitator, health_round, 3)

    result = latest_results([partnership.pk])[partnership.pk]
    assert (result.overall, result.gap, result.respondents) == (0.5, None, 1)


def test_it_dates_a_closed_round_by_its_end(partnership, health_round, facilitator) -> None:
    from engagements import services

    closed = services.health_checks.health_check_close(user=facilitator, found=health_round)

    assert latest_results([partnership.pk])[partnership.pk].closed_or_opened_on == timezone.localdate(closed.closed_at)
    assert latest_results([]) == {}


def partnerships_with_rounds(count: int) -> list[int]:
    organization = OrganizationFactory()
    member = make_partner_member(organization, username=f"anggota_banyak_{count}")
    facilitator = facilitators(1, f"f{count}")[0]
    today = timezone.localdate()
    ids = []
    for n in range(count):
        partnership = Partnership.objects.create(title=f"Kemitraan {n}", start_date=datetime.date(2026, 1, 1))
        partnership.members.create(organization=organization, role="member")
        for days in (30, 0):
            found = HealthCheckRound.objects.create(
                partnership=partnership, opened_on=today - datetime.timedelta(days=days), closes_on=today
            )
            side = {"round": found, "side": HealthCheckSide.FACILITATORS, "respondent": facilitator}
            ours = {"round": found, "side": HealthCheckSide.MEMBER, "organization": organization, "respondent": member}
            HealthCheckAnswer.objects.bulk_create(
                [HealthCheckAnswer(statement=slug, score=4, **side) for slug in SLUGS]
                + [HealthCheckAnswer(statement=slug, score=2, **ours) for slug in SLUGS]
            )
        ids.append(partnership.pk)
    return ids


def test_it_costs_the_same_queries_for_2_and_30_partnerships() -> None:
    counts = []
    for count in (2, 30):
        ids = partnerships_with_rounds(count)
        with CaptureQueriesContext(connection) as queries:
            results = latest_results(ids)
        assert len(results) == count
        assert {(r.overall, r.gap, r.respondents) for r in results.values()} == {(0.5, 2, 2)}
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2
