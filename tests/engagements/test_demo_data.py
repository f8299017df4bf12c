"""The demo partnerships that `make run` loads, and the load_demo_data command."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from engagements import selectors
from engagements.access import health_check_side_for, lessons_visible_to, partnerships_visible_to
from engagements.demo.loader import (
    demo_check_ins_load,
    demo_commitments_load,
    demo_health_load,
    demo_partnerships_load,
    drawn_trend,
)
from engagements.domain.health import Key
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    Commitment,
    CommitmentState,
    FlagAcknowledgement,
    FlagKind,
    GoalBenefit,
    GoalStatus,
    HealthCheckAnswer,
    HealthCheckRound,
    HealthSnapshot,
    Lesson,
    LessonKind,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    PlanRevision,
    ProgressUpdate,
    Risk,
    RiskCategory,
    RiskStatus,
    SharedGoal,
    StatusChange,
    TrustEntry,
    TrustEntryKind,
)
from engagements.selectors.goals import goals_of
from engagements.selectors.plans import changes_since_agreed, latest_revision
from engagements.selectors.trust import leadership_lines
from partners.demo.loader import demo_data_load
from partners.demo.users import demo_users_create
from partners.models import LeadershipTerm, Organization
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> int:
    demo_users_create()
    demo_data_load()
    return demo_partnerships_load()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Partnership,
            PartnershipMember,
            StatusChange,
            SharedGoal,
            GoalBenefit,
            ProgressUpdate,
            Activity,
            ActivityRole,
            PlanRevision,
            Organization,
            User,
            Partnership.history.model,
            Activity.history.model,
        )
    }


def test_it_loads_at_least_four_partnerships_with_members_goals_and_plans(loaded: int) -> None:
    facilitator = User.objects.get(username="fasilitator")
    partnerships = list(Partnership.objects.all())
    assert loaded == len(partnerships) >= 4
    for partnership in partnerships:
        assert partnership.purpose and partnership.shared_notes and partnership.internal_notes, partnership
        assert list(partnership.facilitators.all()) == [facilitator]
        assert 2 <= partnership.members.count() <= 4, partnership
        assert partnership.goals.count() == 2, partnership
        assert 5 <= partnership.activities.count() <= 8, partnership
        for goal in partnership.goals.all():
            assert goal.unit and goal.target_date and goal.target != goal.baseline, goal
            assert 2 <= goal.progress_updates.count() <= 5, goal
            assert goal.benefits.count() >= 2, goal
    roles = set(PartnershipMember.objects.values_list("role", flat=True))
    assert {"lead", "co_lead", "member", "supporter"} <= roles
    assert set(ProgressUpdate.objects.values_list("recorded_by", flat=True)) == {facilitator.pk}
    assert set(StatusChange.objects.values_list("changed_by", flat=True)) == {facilitator.pk}
    assert set(PlanRevision.objects.values_list("agreed_by", flat=True)) == {facilitator.pk}


def test_it_logs_every_status_transition_with_a_reason(loaded: int) -> None:
    statuses = set(Partnership.objects.values_list("status", flat=True))
    assert {PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED} <= statuses
    assert len(statuses) >= 3
    for partnership in Partnership.objects.prefetch_related("status_changes"):
        changes = sorted(partnership.status_changes.all(), key=lambda c: c.changed_at)
        assert changes[0].from_status == PartnershipStatus.EXPLORING
        assert changes[-1].to_status == partnership.status
        assert all(a.to_status == b.from_status for a, b in itertools.pairwise(changes))
        assert all(c.reason and c.changed_at.date() <= timezone.localdate() for c in changes)


def test_it_gives_every_activity_exactly_one_accountable(loaded: int) -> None:
    for activity in Activity.objects.prefetch_related("roles"):
        assert [role.role for role in activity.roles.all()].count("A") == 1, activity


def test_it_dates_activities_around_today(loaded: int) -> None:
    today = timezone.localdate()
    open_ = Activity.objects.exclude(status__in=[ActivityStatus.DONE, ActivityStatus.CANCELLED])
    assert open_.filter(due_date__lt=today).count() >= 3
    assert open_.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=14)).count() >= 3
    assert Activity.objects.filter(status=ActivityStatus.DONE).count() >= 5
    active = Partnership.objects.filter(status=PartnershipStatus.ACTIVE)
    assert all(p.start_date <= today for p in active)


def test_it_has_goals_on_track_and_one_at_risk(loaded: int) -> None:
    statuses = [goal.shown_status for partnership in Partnership.objects.all() for goal in goals_of(partnership)]
    assert statuses.count(GoalStatus.AT_RISK) == 1
    assert statuses.count(GoalStatus.ON_TRACK) >= 6
    assert not ProgressUpdate.objects.filter(measured_on__gt=timezone.localdate()).exists()


def test_it_shows_changes_since_the_agreed_revision_of_every_active_partnership(loaded: int) -> None:
    active = list(Partnership.objects.filter(status=PartnershipStatus.ACTIVE))
    assert len(active) >= 2
    for partnership in active:
        changes = changes_since_agreed(partnership, latest_revision(partnership))
        assert 1 <= len(changes) <= 2, partnership
    assert Partnership.objects.filter(revisions__number=2).exists()


def test_it_lets_the_demo_partner_members_see_their_partnerships(loaded: int) -> None:
    assert partnerships_visible_to(User.objects.get(username="mitra")).count() >= 2
    assert partnerships_visible_to(User.objects.get(username="mitra2")).exists()
    assert partnerships_visible_to(User.objects.get(username="fasilitator")).count() == loaded


def test_it_changes_nothing_when_run_twice(loaded: int) -> None:
    before = counts()
    assert demo_partnerships_load() == 0
    assert counts() == before


def test_it_loads_the_users_and_organizations_it_needs_when_run_alone() -> None:
    loaded = demo_partnerships_load()
    assert Partnership.objects.count() == loaded >= 4
    assert Organization.objects.count() >= 30
    assert partnerships_visible_to(User.objects.get(username="mitra")).count() >= 2


@override_settings(DEBUG=True)
def test_it_loads_everything_through_the_command_and_prints_the_logins(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_demo_data")
    printed = capsys.readouterr().out
    assert Organization.objects.count() >= 30 and Partnership.objects.count() >= 4
    call_command("create_demo_users")
    logins = capsys.readouterr().out
    assert printed.endswith(logins)
    assert f"Demo organizations: {Organization.objects.count()} loaded" in printed
    total = Partnership.objects.count()
    assert f"Demo partnerships: {total} loaded, {total} in total." in printed
    before = counts()
    call_command("load_demo_data")
    again = capsys.readouterr().out
    assert "Demo organizations: 0 loaded" in again and f"Demo partnerships: 0 loaded, {total} in total." in again
    assert counts() == before


@override_settings(DEBUG=False)
def test_it_refuses_with_debug_off() -> None:
    with pytest.raises(CommandError, match="public passwords"):
        call_command("load_demo_data")
    assert not Organization.objects.exists() and not User.objects.exists() and not Partnership.objects.exists()


@override_settings(DEBUG=False)
def test_it_loads_with_debug_off_when_production_is_allowed() -> None:
    call_command("load_demo_data", "--allow-production")
    assert Organization.objects.count() >= 30 and Partnership.objects.count() >= 4


# Commitments and the trust log


@pytest.fixture
def with_commitments(loaded: int) -> int:
    facilitator = User.objects.get(username="fasilitator")
    demo_check_ins_load(user=facilitator)
    return demo_commitments_load(user=facilitator)


def test_it_gives_every_demo_partnership_commitments_in_every_state_and_a_log_of_months(with_commitments) -> None:
    assert with_commitments == Partnership.objects.count()
    for partnership in Partnership.objects.all():
        states = set(partnership.commitments.values_list("state", flat=True))
        entries = partnership.trust_entries.all()
        kinds = set(entries.values_list("kind", flat=True))
        if partnership.title == HEALTHY:  # keeps every promise, on time
            assert states == set(CommitmentState.values) - {CommitmentState.BROKEN, CommitmentState.KEPT_LATE}
            assert TrustEntryKind.COMMITMENT_BROKEN not in kinds
        else:
            assert states == set(CommitmentState.values), partnership
            assert TrustEntryKind.COMMITMENT_BROKEN in kinds, partnership
        renegotiated = partnership.commitments.get(state=CommitmentState.RENEGOTIATED)
        assert renegotiated.renegotiated_as is not None and renegotiated.renegotiated_as.is_open
        assert TrustEntryKind.COMMITMENT_RENEGOTIATED in kinds, partnership
        assert {TrustEntryKind.CORRECTION, TrustEntryKind.CHECK_IN_HELD, TrustEntryKind.MEMBER_JOINED} <= kinds
        assert entries.filter(kind=TrustEntryKind.CORRECTION, corrects__isnull=False).count() == 1
        oldest = min(entries.values_list("happened_at", flat=True))
        assert timezone.now() - oldest >= datetime.timedelta(days=14), partnership
        assert leadership_lines(partnership), partnership
    assert max(
        timezone.now() - min(p.trust_entries.values_list("happened_at", flat=True)) for p in Partnership.objects.all()
    ) >= datetime.timedelta(days=90)


def test_it_loads_the_commitments_and_trust_logs_only_once(with_commitments) -> None:
    facilitator = User.objects.get(username="fasilitator")
    before = (Commitment.objects.count(), TrustEntry.objects.count(), LeadershipTerm.objects.count())
    assert demo_commitments_load(user=facilitator) == 0
    assert (Commitment.objects.count(), TrustEntry.objects.count(), LeadershipTerm.objects.count()) == before


@override_settings(DEBUG=True)
def test_verify_trust_log_reports_every_demo_chain_intact(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_demo_data")
    assert "Demo commitments and trust logs: " in capsys.readouterr().out
    # The flags acknowledged with a note are in the chains too (the command may have loaded them already).
    demo_health_load(user=User.objects.get(username="fasilitator"))
    assert TrustEntry.objects.filter(kind=TrustEntryKind.FLAG_ACKNOWLEDGED).exists()
    call_command("verify_trust_log")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == Partnership.objects.count() >= 4
    assert all(line.endswith("chain intact") for line in lines), lines


# Health, risks, the learning log and the health checks

HEALTHY = "Sekolah Lapang Mangrove Pesisir"
FALLING = "Lumbung Benih dan Pasar Bersama Petani"
WITH_OPEN_ROUND = "Jaringan Bank Sampah Desa"


@pytest.fixture
def with_health(with_commitments: int) -> int:
    return demo_health_load(user=User.objects.get(username="fasilitator"))


def follow_up_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Risk,
            FlagAcknowledgement,
            Lesson,
            HealthCheckRound,
            HealthCheckAnswer,
            HealthSnapshot,
            TrustEntry,
            User,
            Risk.history.model,
            Lesson.history.model,
        )
    }


def test_it_shows_a_healthy_partnership_and_one_falling_after_a_broken_promise_and_a_new_leader(with_health) -> None:
    healthy, falling = Partnership.objects.get(title=HEALTHY), Partnership.objects.get(title=FALLING)
    scores = selectors.health.health_of([healthy, falling])
    assert scores[healthy.pk].value is not None and scores[falling.pk].value is not None
    assert scores[healthy.pk].value >= 80 > 50 > scores[falling.pk].value
    healthy_parts = {part.key: part for part in scores[healthy.pk].parts}
    assert not scores[healthy.pk].missing  # every part has data, the health check included
    assert healthy_parts[Key.COMMITMENTS].earned == healthy_parts[Key.COMMITMENTS].weight  # all kept on time
    assert healthy_parts[Key.CHECK_INS].earned >= 0.9 * healthy_parts[Key.CHECK_INS].weight
    assert healthy_parts[Key.GOALS].earned >= 0.9 * healthy_parts[Key.GOALS].weight
    # The falling one: a promise marked broken lately (through the service: the trust log says so) ...
    recent = timezone.localdate() - datetime.timedelta(days=60)
    broken = falling.commitments.filter(state=CommitmentState.BROKEN, due_on__gte=recent).latest("due_on")
    assert falling.trust_entries.filter(
        kind=TrustEntryKind.COMMITMENT_BROKEN, subject_type="commitment", subject_id=broken.pk
    ).exists()
    # ... and a new leader in a member group, whose predecessor's term it closed.
    members = falling.members.values_list("organization_id", flat=True)
    term = LeadershipTerm.objects.filter(organization_id__in=members, started_on__gte=recent).get()
    assert LeadershipTerm.objects.filter(organization=term.organization, ended_on__isnull=False).exists()
    kinds = {flag.kind for flag in selectors.risks.flags_of(falling)}
    assert {FlagKind.LEADER_CHANGE, FlagKind.BROKEN_COMMITMENTS, FlagKind.NO_CHECK_IN} <= kinds
    assert FlagKind.BROKEN_COMMITMENTS not in {flag.kind for flag in selectors.risks.flags_of(healthy)}


def test_it_answers_some_flags_and_leaves_others_for_the_facilitator(with_health) -> None:
    healthy, falling = Partnership.objects.get(title=HEALTHY), Partnership.objects.get(title=FALLING)
    flags = selectors.risks.flags_of(falling)
    waiting = [flag for flag in flags if flag.is_active]
    acknowledged = [flag for flag in flags if flag.acknowledgement is not None]
    made_risks = [flag for flag in flags if flag.risk is not None]
    assert {flag.kind for flag in waiting} >= {FlagKind.BROKEN_COMMITMENTS, FlagKind.NO_CHECK_IN}
    assert len(acknowledged) == 1 and acknowledged[0].acknowledgement.note
    assert [flag.kind for flag in made_risks] == [FlagKind.LEADER_CHANGE]
    assert made_risks[0].risk.category == RiskCategory.LEADERSHIP
    # Every flag of the healthy one has been answered, each with a note.
    healthy_flags = selectors.risks.flags_of(healthy)
    assert healthy_flags and all(flag.acknowledgement and flag.acknowledgement.note for flag in healthy_flags)
    # Each acknowledgement is in the trust log (internal: the flags are the facilitators' reading).
    for acknowledgement in FlagAcknowledgement.objects.all():
        entry = TrustEntry.objects.get(subject_type="flag_acknowledgement", subject_id=acknowledgement.pk)
        assert entry.kind == TrustEntryKind.FLAG_ACKNOWLEDGED and entry.partnership_id == acknowledgement.partnership_id
        assert acknowledgement.note not in entry.shared_text + entry.internal_text


def test_it_records_the_three_field_challenges_a_custom_risk_and_lessons_some_shared(with_health) -> None:
    categories = set(Risk.objects.values_list("category", flat=True))
    assert categories == set(RiskCategory.values)
    falling = Partnership.objects.get(title=FALLING)
    assert {RiskCategory.COORDINATION, RiskCategory.LEADERSHIP, RiskCategory.FUNDING} <= set(
        falling.risks.filter(status__in=[RiskStatus.OPEN, RiskStatus.MITIGATING]).values_list("category", flat=True)
    )
    assert Risk.objects.filter(status=RiskStatus.CLOSED, closed_at__isnull=False).exists()
    assert Risk.objects.filter(owner_organization__isnull=False).exists()
    assert not Risk.objects.filter(created_at__gt=timezone.now()).exists()

    lessons = Lesson.objects.all()
    assert set(lessons.values_list("kind", flat=True)) == set(LessonKind.values)
    assert lessons.filter(shared_with_partners=True).exists() and lessons.filter(shared_with_partners=False).exists()
    assert not lessons.filter(happened_on__gt=timezone.localdate()).exists()
    assert Lesson.organizations.through.objects.exists() and Lesson.activities.through.objects.exists()
    # A partner member reads the shared lessons of their own partnerships, and nothing else.
    partner = User.objects.get(username="mitra2")
    visible = lessons_visible_to(partner)
    mine = set(partnerships_visible_to(partner).values_list("pk", flat=True))
    assert visible.exists()
    assert set(visible.values_list("pk", flat=True)) == set(
        lessons.filter(shared_with_partners=True, partnership__in=mine).values_list("pk", flat=True)
    )


def test_it_holds_a_health_check_where_the_sides_disagree_and_one_that_went_well(with_health) -> None:
    falling = Partnership.objects.get(title=FALLING)
    latest = falling.health_check_rounds.first()
    assert latest is not None and not latest.is_open and falling.health_check_rounds.count() >= 2
    results = selectors.health_checks.results_of(latest)
    sides = {side.key: side for side in results.sides}
    assert sides["facilitators"].shown and sides["facilitators"].respondents >= 3
    shown_groups = [s for s in results.sides if s.key not in ("facilitators", "partners") and s.shown]
    hidden_groups = [s for s in results.sides if s.key not in ("facilitators", "partners") and 0 < s.respondents < 3]
    assert shown_groups and hidden_groups  # anonymity within a side shows
    assert not any(cell.average is not None for found in results.statements for cell in found.cells
                   if cell.side in hidden_groups)  # fmt: skip
    assert len(results.highlighted) >= 2
    for found in results.highlighted:
        assert found.highest.side.key == "facilitators" and found.lowest.side in shown_groups
        assert found.difference >= 1
    assert len(results.trend) >= 2  # the round before the change, when both sides agreed
    agreed = [found for found in results.statements if not found.disagrees]
    assert agreed  # they still agree on some statements
    page = client_for(User.objects.get(username="mitra2")).get(f"/partnerships/{falling.pk}/health-checks/{latest.pk}/")
    assert page.status_code == 200 and page.content.decode().count("health-highlighted") == len(results.highlighted)

    healthy = Partnership.objects.get(title=HEALTHY)
    latest_healthy = selectors.health_checks.latest_results([healthy.pk])[healthy.pk]
    assert latest_healthy.overall is not None and latest_healthy.overall >= 0.75
    # And one open now, for both sides of another partnership to answer.
    with_open = Partnership.objects.get(title=WITH_OPEN_ROUND)
    open_round = selectors.health_checks.open_round_of(with_open)
    assert open_round is not None and not open_round.answers.exists()
    assert health_check_side_for(User.objects.get(username="mitra"), with_open) is not None


def test_it_keeps_two_months_of_health_scores_with_the_falling_one_dropping_most(with_health) -> None:
    today = timezone.localdate()
    healthy, falling = Partnership.objects.get(title=HEALTHY), Partnership.objects.get(title=FALLING)
    for partnership in (healthy, falling):
        days = set(partnership.health_snapshots.values_list("day", flat=True))
        assert {today - datetime.timedelta(days=n) for n in range(59)} <= days, partnership
    scores = selectors.health.health_of([healthy, falling], today=today)
    for partnership in (healthy, falling):  # today's is the real score, written by the daily snapshot service
        assert partnership.health_snapshots.get(day=today).score == scores[partnership.pk].value
    assert not HealthSnapshot.objects.filter(day__gt=today).exists()
    assert not HealthSnapshot.objects.filter(score__gt=100).exists()
    drops = selectors.health.biggest_drops(User.objects.get(username="fasilitator"))
    assert drops[0].partnership == falling and drops[0].fell_by >= 20
    assert healthy not in [drop.partnership for drop in drops]
    sparkline = selectors.health.sparkline_of(selectors.health.history_of(falling))
    assert not sparkline.empty and "down" in sparkline.description


def test_it_loads_the_risks_lessons_and_health_checks_only_once(with_health) -> None:
    assert with_health >= 4
    before = follow_up_counts()
    assert demo_health_load(user=User.objects.get(username="fasilitator")) == 0
    assert follow_up_counts() == before


def test_drawn_trend_ends_at_todays_score() -> None:
    assert drawn_trend([[4, 80], [2, 60]], 50) == [(4, 80), (3, 70), (2, 60), (1, 55)]
    assert drawn_trend([[2, 70]], None) == [(2, 70), (1, 70)]
