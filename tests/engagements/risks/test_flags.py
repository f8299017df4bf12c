"""Each automatic flag: raised at its threshold, not raised short of it, with its facts in plain words."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.domain import risks as rules
from engagements.models import CheckIn, FlagKind, Partnership, PartnershipMember, PartnershipStatus
from engagements.selectors.risks import flags_for, flags_of
from partners import services as partner_services
from partners.models import FundingStability
from tests.engagements.risks.conftest import (
    at,
    commitment,
    days_ago,
    dormant_schedule,
    interaction,
    joined_days_ago,
    new_leader,
    set_funding,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def kinds(partnership: Partnership, **kwargs) -> list[str]:
    return [flag.kind for flag in flags_of(partnership, **kwargs)]


def of_kind(partnership: Partnership, kind: str, **kwargs):
    return [flag for flag in flags_of(partnership, **kwargs) if flag.kind == kind]


def test_it_raises_no_flag_on_a_fresh_partnership(partnership) -> None:
    assert flags_of(partnership) == []


# --- A new leader -------------------------------------------------------------


def test_it_flags_a_new_leader_in_a_member_group_for_90_days(partnership, org_a, facilitator) -> None:
    term = new_leader(org_a, days_ago(10), facilitator)

    [flag] = of_kind(partnership, FlagKind.LEADER_CHANGE)

    assert flag.key == f"leader_change-{term.pk}"
    assert flag.organization == org_a and flag.since == term.started_on
    assert org_a.name in flag.explanation
    assert str(term.started_on.year) in flag.explanation
    assert flag.url == reverse("partners:organization_detail", args=[org_a.pk])
    last_day = term.started_on + datetime.timedelta(days=rules.LEADER_CHANGE_DAYS)
    assert of_kind(partnership, FlagKind.LEADER_CHANGE, now=at(last_day))
    assert not of_kind(partnership, FlagKind.LEADER_CHANGE, now=at(last_day + datetime.timedelta(days=1)))


def test_it_does_not_take_the_first_leader_it_learns_of_for_a_change(partnership, org_a, facilitator) -> None:
    partner_services.leadership_change(
        user=facilitator, organization=org_a, leader=None, new_leader_name="Pak Harjo", started_on=days_ago(5)
    )
    assert FlagKind.LEADER_CHANGE not in kinds(partnership)


def test_it_flags_a_second_new_leader_again_under_a_new_key(partnership, org_a, facilitator) -> None:
    first = new_leader(org_a, days_ago(40), facilitator)
    [flag] = of_kind(partnership, FlagKind.LEADER_CHANGE)
    services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=flag, note="Sudah bertemu")

    second = new_leader(org_a, days_ago(2), facilitator)

    [again] = of_kind(partnership, FlagKind.LEADER_CHANGE)
    assert again.key == f"leader_change-{second.pk}" != f"leader_change-{first.pk}"
    assert again.is_active and again.acknowledgement is None


# --- Funding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stability", "raised"),
    [
        (FundingStability.IRREGULAR, True),
        (FundingStability.NONE, True),
        (FundingStability.STABLE, False),
        (FundingStability.UNKNOWN, False),
    ],
)
def test_it_flags_irregular_or_no_funding_of_a_member_group(partnership, org_m, stability, raised) -> None:
    set_funding(org_m, stability)
    flags = of_kind(partnership, FlagKind.UNSTABLE_FUNDING)
    assert bool(flags) is raised
    if raised:
        assert flags[0].organization == org_m and org_m.name in flags[0].explanation
        assert flags[0].since == timezone.localdate()


def test_it_flags_funding_that_becomes_unstable_again_under_a_new_key(partnership, org_m) -> None:
    set_funding(org_m, FundingStability.IRREGULAR)
    [first] = of_kind(partnership, FlagKind.UNSTABLE_FUNDING)
    assert of_kind(partnership, FlagKind.UNSTABLE_FUNDING)[0].key == first.key  # the same occurrence, the same key

    set_funding(org_m, FundingStability.STABLE)
    assert not of_kind(partnership, FlagKind.UNSTABLE_FUNDING)
    set_funding(org_m, FundingStability.IRREGULAR)

    [again] = of_kind(partnership, FlagKind.UNSTABLE_FUNDING)
    assert again.key != first.key


# --- Check-ins ----------------------------------------------------------------


def test_it_flags_two_missed_check_ins_from_the_day_the_schedule_turns_dormant(partnership, facilitator) -> None:
    schedule = dormant_schedule(partnership, facilitator, starts_days_ago=3)
    dormant_from = schedule.dormant_from
    assert dormant_from is not None

    assert not of_kind(partnership, FlagKind.NO_CHECK_IN, now=at(dormant_from - datetime.timedelta(days=1)))
    [flag] = of_kind(partnership, FlagKind.NO_CHECK_IN, now=at(dormant_from))

    assert flag.key == f"no_check_in-{dormant_from:%Y%m%d}"
    assert flag.url.endswith("#checkins-heading")


def test_it_clears_the_check_in_flag_when_a_check_in_is_logged(partnership, facilitator) -> None:
    dormant_schedule(partnership, facilitator)
    assert FlagKind.NO_CHECK_IN in kinds(partnership)

    services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(
            partnership=partnership, held_at=timezone.now() - datetime.timedelta(hours=1), channel="phone", summary="x"
        ),
    )

    assert FlagKind.NO_CHECK_IN not in kinds(partnership)


def test_it_raises_no_check_in_flag_for_a_paused_partnership_and_none_at_all_for_a_closed_one(
    partnership, facilitator, org_m
) -> None:
    dormant_schedule(partnership, facilitator)
    set_funding(org_m, FundingStability.NONE)
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.PAUSED)
    partnership.refresh_from_db()
    assert kinds(partnership) == [FlagKind.UNSTABLE_FUNDING]

    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.CLOSED)
    partnership.refresh_from_db()
    assert kinds(partnership) == []


# --- Commitments --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kept", "broken", "raised"),
    [
        (2, 1, True),  # 33 % of 3
        (7, 3, False),  # exactly 30 %: not more than
        (6, 3, True),  # 33 % of 9
        (1, 1, False),  # 50 %, but only two closed
        (0, 2, False),  # 100 %, only two closed
    ],
)
def test_it_flags_more_than_30_percent_of_at_least_3_closed_commitments_broken(
    partnership, facilitator, org_a, kept, broken, raised
) -> None:
    for _n in range(kept):
        commitment(partnership, facilitator, org_a, outcome="kept")
    for _n in range(broken):
        last = commitment(partnership, facilitator, org_a, outcome="broken")
    commitment(partnership, facilitator, org_a)  # open: not closed, not counted
    commitment(partnership, facilitator, org_a, outcome="withdrawn")  # neither kept nor broken

    flags = of_kind(partnership, FlagKind.BROKEN_COMMITMENTS)

    assert bool(flags) is raised
    if raised:
        assert flags[0].key == f"broken_commitments-{last.pk}"
        assert f"{broken} of the {kept + broken} commitments" in flags[0].explanation
        assert flags[0].url.endswith("?state=broken")


def test_it_counts_only_commitments_closed_in_the_last_180_days(partnership, facilitator, org_a) -> None:
    for outcome in ("kept", "broken", "broken"):
        commitment(partnership, facilitator, org_a, outcome=outcome)
    today = timezone.localdate()

    assert of_kind(partnership, FlagKind.BROKEN_COMMITMENTS, now=at(today + datetime.timedelta(days=179)))
    assert not of_kind(partnership, FlagKind.BROKEN_COMMITMENTS, now=at(today + datetime.timedelta(days=181)))


# --- A quiet member group -----------------------------------------------------


def test_it_flags_a_member_group_with_no_interaction_for_90_days(partnership, org_m, facilitator) -> None:
    joined_days_ago(partnership, org_m, 400)
    interaction(org_m, days_ago(rules.QUIET_GROUP_DAYS - 1), facilitator)
    assert not of_kind(partnership, FlagKind.QUIET_GROUP)

    [flag] = of_kind(partnership, FlagKind.QUIET_GROUP, now=at(days_ago(-1)))

    assert flag.organization == org_m and org_m.name in flag.explanation
    assert flag.since == days_ago(rules.QUIET_GROUP_DAYS - 1)


def test_it_counts_a_group_never_contacted_from_the_day_it_joined(partnership, org_a, org_m) -> None:
    joined_days_ago(partnership, org_m, rules.QUIET_GROUP_DAYS)
    joined_days_ago(partnership, org_a, rules.QUIET_GROUP_DAYS - 1)

    [flag] = of_kind(partnership, FlagKind.QUIET_GROUP)

    assert flag.organization == org_m
    assert "since it joined" in flag.explanation


def test_it_flags_a_quiet_group_again_after_a_new_spell(partnership, org_m, facilitator) -> None:
    joined_days_ago(partnership, org_m, 400)
    interaction(org_m, days_ago(200), facilitator)
    [first] = of_kind(partnership, FlagKind.QUIET_GROUP)
    interaction(org_m, days_ago(100), facilitator)
    [second] = of_kind(partnership, FlagKind.QUIET_GROUP)
    assert first.key != second.key


# --- Many partnerships at once ------------------------------------------------


def _partnerships_with_every_flag(count: int, facilitator) -> list[Partnership]:
    made = []
    for n in range(count):
        partnership = services.partnerships.partnership_save(
            user=facilitator, partnership=Partnership(title=f"Kemitraan {n}")
        )
        group = OrganizationFactory(name=f"Kelompok {n}", funding_stability=FundingStability.IRREGULAR)
        PartnershipMember.objects.create(partnership=partnership, organization=group, joined_on=days_ago(200))
        new_leader(group, days_ago(5), facilitator)
        interaction(group, days_ago(120), facilitator)
        dormant_schedule(partnership, facilitator)
        for outcome in ("kept", "broken", "broken"):
            commitment(partnership, facilitator, group, outcome=outcome)
        made.append(partnership)
    return made


def test_it_computes_the_flags_of_2_or_50_partnerships_in_the_same_few_queries(facilitator) -> None:
    partnerships = _partnerships_with_every_flag(50, facilitator)
    [flag, *_rest] = flags_of(partnerships[0])
    services.risks.flag_acknowledge(user=facilitator, partnership=partnerships[0], flag=flag, note="Sudah dibahas")

    def queries(some: list[Partnership]) -> tuple[int, dict[int, list]]:
        fresh = list(Partnership.objects.filter(pk__in=[p.pk for p in some]))
        with CaptureQueriesContext(connection) as captured:
            found = flags_for(fresh)
        return len(captured), found

    at_2, few = queries(partnerships[:2])
    at_50, many = queries(partnerships)

    assert at_2 == at_50 == 6
    assert all(len(flags) == 5 for flags in many.values())
    assert {flag.kind for flag in many[partnerships[7].pk]} == set(FlagKind.values)
    assert few[partnerships[0].pk][0].acknowledgement is not None


def test_it_asks_the_database_nothing_for_no_partnership() -> None:
    with CaptureQueriesContext(connection) as captured:
        assert flags_for([]) == {}
    assert len(captured) == 0
