from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from engagements.models import GoalStatus, ProgressUpdate, SharedGoal
from engagements.selectors import progress_chart, progress_percent, suggest_goal_status
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

YEAR = SharedGoal(
    baseline=Decimal(0),
    target=Decimal(100),
    start_date=datetime.date(2026, 1, 1),
    target_date=datetime.date(2027, 1, 1),
)
MID_YEAR = datetime.date(2026, 7, 2)  # half of the time has passed


@pytest.mark.parametrize(
    ("value", "today", "expected"),
    [
        (Decimal(50), MID_YEAR, GoalStatus.ON_TRACK),
        (Decimal(40), MID_YEAR, GoalStatus.ON_TRACK),  # within the margin
        (Decimal(30), MID_YEAR, GoalStatus.AT_RISK),
        (Decimal(100), MID_YEAR, GoalStatus.ACHIEVED),
        (Decimal(90), datetime.date(2027, 2, 1), GoalStatus.AT_RISK),  # past the date, not reached
        (Decimal(0), datetime.date(2026, 1, 2), GoalStatus.ON_TRACK),  # nothing expected yet
    ],
)
def test_it_suggests_a_status_from_progress_against_time(value, today, expected) -> None:
    assert suggest_goal_status(YEAR, value, today=today) == expected


def test_it_handles_goals_that_count_down() -> None:
    goal = SharedGoal(
        baseline=Decimal(80),
        target=Decimal(20),
        start_date=datetime.date(2026, 1, 1),
        target_date=datetime.date(2027, 1, 1),
    )
    assert suggest_goal_status(goal, Decimal(50), today=MID_YEAR) == GoalStatus.ON_TRACK
    assert suggest_goal_status(goal, Decimal(15), today=MID_YEAR) == GoalStatus.ACHIEVED
    assert progress_percent(goal.baseline, goal.target, Decimal(50)) == 50


def test_it_draws_the_chart_inside_its_box() -> None:
    updates = [
        ProgressUpdate(value=Decimal(v), measured_on=datetime.date(2026, m, 1)) for v, m in [(10, 3), (60, 6), (130, 9)]
    ]
    chart = progress_chart(YEAR, updates)
    assert len(chart.dots) == 4  # the baseline, then each update
    assert all(0 <= x <= 300 and 0 <= y <= 100 for x, y in chart.dots)
    assert chart.dots[-1][1] < chart.target_y  # above the target line: the value beat it


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()])


@pytest.mark.django_db
def test_it_lets_the_facilitator_override_the_suggested_status(facilitator, partnership) -> None:
    goal = partnership.goals.get()
    client = client_for(facilitator)
    client.post(f"/partnerships/{partnership.pk}/goals/{goal.pk}/status/", {"status_override": "dropped"})
    goal.refresh_from_db()
    assert goal.status_override == "dropped"
    assert "(set by the facilitator)" in client.get(f"/partnerships/{partnership.pk}/goals/{goal.pk}/").content.decode()


@pytest.mark.django_db
def test_it_lets_a_partner_member_add_progress_with_a_note(partner_a, partnership) -> None:
    goal = partnership.goals.get()
    client = client_for(partner_a)
    response = client.post(
        f"/partnerships/{partnership.pk}/goals/{goal.pk}/progress/",
        {"value": "250", "measured_on": "2026-03-01", "note": "Bibit dari kelompok kami"},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.value, update.recorded_by) == (Decimal(250), partner_a)
    html = client.get(f"/partnerships/{partnership.pk}/goals/{goal.pk}/").content.decode()
    assert "Bibit dari kelompok kami" in html
    assert "<polyline" in html
    assert "RAHASIA" not in html


@pytest.mark.django_db
def test_it_shows_progress_errors_in_place_with_htmx(facilitator, partnership) -> None:
    goal = partnership.goals.get()
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/goals/{goal.pk}/progress/",
        {"value": "lots", "measured_on": "2999-01-01"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'id="progress-form"' in html and "<html" not in html
    assert "Enter a number" in html and "cannot be measured in the future" in html
    assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_it_keeps_partner_members_from_editing_goals(partner_a, partnership) -> None:
    goal = partnership.goals.get()
    client = client_for(partner_a)
    assert client.get(f"/partnerships/{partnership.pk}/goals/{goal.pk}/edit/").status_code == 403
    assert (
        client.post(
            f"/partnerships/{partnership.pk}/goals/{goal.pk}/status/", {"status_override": "achieved"}
        ).status_code
        == 403
    )
    goal.refresh_from_db()
    assert goal.status_override == ""
