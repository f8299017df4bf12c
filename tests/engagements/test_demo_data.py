"""The demo partnerships that `make run` loads, and the load_demo_data command."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from engagements.access import partnerships_visible_to
from engagements.demo.loader import demo_check_ins_load, demo_commitments_load, demo_partnerships_load
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    Commitment,
    CommitmentState,
    GoalBenefit,
    GoalStatus,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    PlanRevision,
    ProgressUpdate,
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
        assert states == set(CommitmentState.values), partnership
        renegotiated = partnership.commitments.get(state=CommitmentState.RENEGOTIATED)
        assert renegotiated.renegotiated_as is not None and renegotiated.renegotiated_as.is_open
        entries = partnership.trust_entries.all()
        kinds = set(entries.values_list("kind", flat=True))
        assert {TrustEntryKind.COMMITMENT_BROKEN, TrustEntryKind.COMMITMENT_RENEGOTIATED} <= kinds, partnership
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
    call_command("verify_trust_log")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == Partnership.objects.count() >= 4
    assert all(line.endswith("chain intact") for line in lines), lines
