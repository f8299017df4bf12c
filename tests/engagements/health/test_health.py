"""The health score of real partnerships: its facts, the daily snapshot, the panel, the page and the drops."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements import selectors, services, tasks
from engagements.domain.health import Key
from engagements.models import CheckIn, CheckInSchedule, HealthSnapshot, Partnership
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.engagements.risks.conftest import commitment, days_ago, interaction, risk
from tests.factories import OrganizationFactory


@pytest.fixture
def org_m(db: None):
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


def lively(facilitator, organizations, *, title: str = "Mangrove Pesisir Demak") -> Partnership:
    """A partnership with data in five parts: a schedule and a check-in, commitments, a goal, a risk, contact."""
    partnership = build_partnership(user=facilitator, organizations=organizations, activities=0, title=title)
    services.checkins.schedule_save(
        user=facilitator,
        schedule=CheckInSchedule(partnership=partnership, cadence="weeks", interval=2, starts_on=days_ago(60)),
    )
    services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(
            partnership=partnership, held_at=timezone.now() - datetime.timedelta(days=3), channel="phone", summary="x"
        ),
    )
    commitment(partnership, facilitator, organizations[0], outcome="kept")
    risk(partnership, facilitator, likelihood=2, impact=2)
    interaction(organizations[0], days_ago(5), facilitator)
    return partnership


def test_it_gathers_the_facts_of_a_partnership(facilitator, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    score = selectors.health.health_for(partnership)
    parts = {part.key: part for part in score.parts}
    assert set(parts) == {Key.COMMITMENTS, Key.CHECK_INS, Key.GOALS, Key.RISKS, Key.CONTACT}
    assert score.missing == [Key.HEALTH_CHECK]
    assert parts[Key.COMMITMENTS].explanation == "1 of 1 commitment kept on time in the last 180 days."
    assert parts[Key.RISKS].explanation == "Open risks: 0 high, 0 medium, 1 low."
    # The check-in three days ago reached both groups, the visit one of them.
    assert parts[Key.CONTACT].earned == 15
    assert score.value is not None and 0 < score.value <= 100


def test_it_lowers_the_score_for_a_broken_commitment(facilitator, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    before = selectors.health.health_for(partnership).value
    commitment(partnership, facilitator, org_m, outcome="broken")
    after = selectors.health.health_for(partnership)
    assert after.value is not None and before is not None and after.value < before
    kept = next(part for part in after.parts if part.key == Key.COMMITMENTS)
    assert kept.explanation == "1 of 2 commitments kept on time in the last 180 days."


def test_it_leaves_withdrawn_commitments_out(facilitator, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    commitment(partnership, facilitator, org_m, outcome="withdrawn")
    kept = next(part for part in selectors.health.health_for(partnership).parts if part.key == Key.COMMITMENTS)
    assert kept.earned == 25


def test_it_has_no_score_for_a_new_partnership_without_data(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0)
    partnership.goals.all().delete()
    assert selectors.health.health_for(partnership).value is None


def queries_for_health_of(partnerships: list[Partnership]) -> int:
    with CaptureQueriesContext(connection) as queries:
        scores = selectors.health.health_of(partnerships)
    assert len(scores) == len(partnerships)
    return len(queries)


def test_it_reads_the_health_of_2_and_50_partnerships_in_the_same_number_of_queries(facilitator) -> None:
    organizations = [OrganizationFactory() for _ in range(3)]
    partnerships = [lively(facilitator, organizations[:2], title=f"P{n}") for n in range(2)]
    two = queries_for_health_of(partnerships)
    for n in range(48):
        partnerships.append(lively(facilitator, organizations[n % 2 : n % 2 + 2], title=f"Q{n}"))
    fifty = queries_for_health_of(partnerships)
    # Schedules, check-ins, commitments, goals, open risks, member groups (6); the latest health checks (1 or 2).
    assert two == fifty
    assert 6 <= fifty <= 8


def test_it_snapshots_every_partnership_once_a_day_however_often_it_runs(facilitator, org_a, org_m) -> None:
    first = lively(facilitator, [org_a, org_m])
    second = build_partnership(user=facilitator, organizations=[org_m], activities=0, title="Kedua")
    today = timezone.localdate()
    assert tasks.snapshot_health() == 2
    assert tasks.snapshot_health() == 0
    assert services.health.health_snapshot_all(day=today, chunk=1) == 0
    rows = HealthSnapshot.objects.filter(day=today)
    assert sorted(rows.values_list("partnership_id", flat=True)) == [first.pk, second.pk]
    assert rows.get(partnership=first).score == selectors.health.health_for(first).value


def test_it_snapshots_in_chunks(facilitator, org_a) -> None:
    for n in range(5):
        build_partnership(user=facilitator, organizations=[org_a], activities=0, title=f"P{n}")
    assert services.health.health_snapshot_all(day=days_ago(1), chunk=2) == 5
    assert HealthSnapshot.objects.filter(day=days_ago(1)).count() == 5


def snapshots(partnership: Partnership, scores: dict[int, int | None]) -> None:
    HealthSnapshot.objects.bulk_create(
        [HealthSnapshot(partnership=partnership, day=days_ago(ago), score=score) for ago, score in scores.items()]
    )


def test_it_shows_the_score_and_its_parts_on_the_partnership_page(facilitator, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    snapshots(partnership, {10: 60, 0: 71})
    html = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    value = selectors.health.health_for(partnership).value
    assert f"{value} of 100" in html
    assert "1 of 1 commitment kept on time in the last 180 days." in html
    assert f'href="/partnerships/{partnership.pk}/health/"' in html
    assert 'role="img"' in html and "up 11, from 60 to 71" in html


def test_it_draws_the_sparkline_with_dot_decimals_in_indonesian(facilitator, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    snapshots(partnership, {89: 41, 45: 58, 1: 79})
    facilitator.language = "id"
    facilitator.save()
    for path in (f"/partnerships/{partnership.pk}/", f"/partnerships/{partnership.pk}/health/"):
        html = client_for(facilitator).get(path).content.decode()
        points = re.search(r'<polyline class="health-sparkline-line" points="([^"]+)"', html)
        assert points is not None
        pairs = [pair.split(",") for pair in points.group(1).split()]
        assert len(pairs) == 3
        assert all(re.fullmatch(r"\d+\.\d", number) for pair in pairs for number in pair), pairs
        assert 'viewBox="0 0 180 40"' in html
        assert '<html lang="id">' in html


def test_it_shows_the_breakdown_formula_and_history_on_the_health_page(facilitator, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    snapshots(partnership, {2: None, 1: 64})
    response = client_for(facilitator).get(f"/partnerships/{partnership.pk}/health/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Commitments kept on time (25 points)" in html
    assert "Latest health check (10 points)" in html
    assert "Latest health check" in html and "No data yet, left out of the score:" in html
    assert [s.score for s in response.context["history"]] == [64, None]


def test_it_shows_a_partner_member_the_health_of_their_own_partnership(facilitator, partner_a, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    response = client_for(partner_a).get(f"/partnerships/{partnership.pk}/health/")
    assert response.status_code == 200
    assert response.context["health"].value == selectors.health.health_for(partnership).value


def test_it_hides_the_health_page_from_an_outsider(facilitator, partner_b, org_a, org_m) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    assert client_for(partner_b).get(f"/partnerships/{partnership.pk}/health/").status_code == 404


def test_it_refuses_to_post_to_the_health_page(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0)
    assert client_for(facilitator).post(f"/partnerships/{partnership.pk}/health/").status_code == 405


def page_queries(user, path: str) -> int:
    client = client_for(user)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [1, 40])
def test_it_costs_the_health_page_a_fixed_number_of_queries(facilitator, org_a, size: int) -> None:
    organizations = [org_a, *(OrganizationFactory() for _ in range(size))]
    partnership = lively(facilitator, organizations)
    for n in range(size):
        risk(partnership, facilitator, title=f"Risiko {n}")
        commitment(partnership, facilitator, organizations[n % len(organizations)], outcome="broken")
    snapshots(partnership, {ago: 50 + ago % 7 for ago in range(min(90, size * 3))})
    # Session, user and roles (3); the partnership (1); the snapshots (1); the facts (7: six, and the
    # latest health check's rounds, none here).
    assert page_queries(facilitator, f"/partnerships/{partnership.pk}/health/") == 12


def test_it_lists_the_biggest_drops_of_the_users_partnerships(facilitator, partner_a, org_a, org_m) -> None:
    falling = build_partnership(user=facilitator, organizations=[org_a], activities=0, title="Turun")
    steep = build_partnership(user=facilitator, organizations=[org_m], activities=0, title="Anjlok")
    rising = build_partnership(user=facilitator, organizations=[org_a], activities=0, title="Naik")
    snapshots(falling, {40: 80, 31: 75, 0: 65})
    snapshots(steep, {30: 90, 1: 50})
    snapshots(rising, {30: 40, 0: 70})
    unknown = build_partnership(user=facilitator, organizations=[org_a], activities=0, title="Baru")
    snapshots(unknown, {0: 10})
    with CaptureQueriesContext(connection) as queries:
        drops = selectors.health.biggest_drops(facilitator)
    assert len(queries) == 2  # the roles, then one query
    assert [(d.partnership.title, d.before, d.now, d.fell_by) for d in drops] == [
        ("Anjlok", 90, 50, 40),
        ("Turun", 75, 65, 10),
    ]
    assert [d.partnership.title for d in selectors.health.biggest_drops(facilitator, limit=1)] == ["Anjlok"]
    # A partner member sees only their own partnerships.
    assert [d.partnership.title for d in selectors.health.biggest_drops(partner_a)] == ["Turun"]


def test_it_counts_the_latest_health_check_when_there_is_one(facilitator, org_a, org_m, monkeypatch) -> None:
    from engagements.selectors import health_checks

    partnership = lively(facilitator, [org_a, org_m])
    result = SimpleNamespace(round_id=1, closed_or_opened_on=days_ago(3), overall=0.75, gap=0.5, respondents=4)
    monkeypatch.setattr(health_checks, "latest_results", lambda ids: {partnership.pk: result})
    part = next(p for p in selectors.health.health_for(partnership).parts if p.key == Key.HEALTH_CHECK)
    assert part.earned == 7.5
    assert part.explanation == "The latest health check, answered by 4 people, rates the partnership 75 of 100."
