"""Each section of Today: which items it lists, who must act on each, and the link to the thing itself."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.domain import health_checks as questionnaire
from engagements.models import (
    Activity,
    CheckInSchedule,
    Commitment,
    CommitmentAudience,
    CommitmentSide,
    FlagKind,
    HealthSnapshot,
    Partnership,
    PartnershipStatus,
    SharedGoal,
)
from engagements.selectors.dashboard import Kind
from engagements.selectors.risks import flags_of
from partners import services as partner_services
from tests.conftest import client_for
from tests.engagements.builders import add_activity, build_partnership
from tests.engagements.risks.conftest import commitment, days_ago, interaction, new_leader
from tests.engagements.today.conftest import days, section, today_of
from tests.factories import OrganizationFactory, make_facilitator

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def promise(partnership, user, *, by=None, due: datetime.date, text: str = "Menyiapkan 500 polybag") -> Commitment:
    return services.commitments.commitment_make(
        user=user,
        commitment=Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER if by else CommitmentSide.FACILITATORS,
            promised_by=by,
            promised_to_side=CommitmentAudience.ALL_MEMBERS,
            text=text,
            due_on=due,
        ),
    )


def late_schedule(partnership, user, *, grace: int = 3) -> CheckInSchedule:
    """Every week from 20 days ago, no check-in held: late (or dormant), with ``grace`` days of grace."""
    schedule = CheckInSchedule(
        partnership=partnership, cadence="weeks", interval=1, grace_days=grace, starts_on=days_ago(20)
    )
    return services.checkins.schedule_save(user=user, schedule=schedule)


# --- Check-ins -----------------------------------------------------------------------


def test_it_lists_due_and_late_check_ins_with_their_grace_and_the_check_in_form(facilitator, partnership) -> None:
    late_schedule(partnership, facilitator, grace=4)
    response = today_of(facilitator)
    (item,) = section(response, Kind.CHECK_INS).items
    assert item.title == partnership.title
    assert item.side == "The facilitating side"
    assert item.detail == "Grace period: 4 days after the due date."
    assert item.action_url == reverse("engagements:check_in_create", args=[partnership.pk])
    page = response.content.decode()
    assert f'href="{item.action_url}"' in page
    assert "badge-checkin-" in page


def test_it_leaves_out_check_ins_of_paused_partnerships_and_those_not_due(facilitator, partnership, org_a) -> None:
    late_schedule(partnership, facilitator)
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.PAUSED)
    fresh = build_partnership(user=facilitator, organizations=[OrganizationFactory()], activities=0, title="Baru")
    services.checkins.schedule_save(
        user=facilitator, schedule=CheckInSchedule(partnership=fresh, cadence="weeks", interval=4, starts_on=TODAY())
    )
    assert section(today_of(facilitator), Kind.CHECK_INS).items == []


# --- Commitments ---------------------------------------------------------------------


def test_it_lists_commitments_due_or_overdue_with_the_group_that_promised(facilitator, partnership, org_a) -> None:
    late = promise(partnership, facilitator, by=org_a, due=TODAY() - days(2), text="Laporan keuangan")
    ours = promise(partnership, facilitator, due=TODAY() + days(3), text="Mengirim bibit")
    promise(partnership, facilitator, by=org_a, due=TODAY() + days(40), text="Jauh di depan")
    items = section(today_of(facilitator), Kind.COMMITMENTS).items
    assert [item.record for item in items] == [late, ours]
    assert items[0].side == org_a.name and items[0].late
    assert items[0].side_url == reverse("partners:organization_detail", args=[org_a.pk])
    assert items[0].url == reverse("engagements:commitment_detail", args=[partnership.pk, late.pk])
    assert items[1].side == "The facilitating side" and not items[1].late


def test_it_asks_the_facilitator_to_confirm_a_commitment_a_partner_marked_kept(
    facilitator, partner_a, partnership, org_a
) -> None:
    kept = promise(partnership, facilitator, by=org_a, due=TODAY() + days(30), text="Sudah dikirim")
    services.commitments.commitment_mark_kept(user=partner_a, commitment=kept)
    (item,) = section(today_of(facilitator), Kind.COMMITMENTS).items
    assert item.record == kept
    assert item.side == "The facilitating side"
    assert "confirm it" in item.detail


# --- Activities ------------------------------------------------------------------------


def test_it_lists_activities_due_or_overdue_with_the_accountable_member(facilitator, partnership, org_a) -> None:
    members = list(partnership.members.order_by("pk"))
    late = add_activity(partnership, members, title="Pembibitan", due=TODAY() - days(3))
    soon = add_activity(partnership, members, title="Penanaman", due=TODAY() + days(2))
    add_activity(partnership, members, title="Panen", due=TODAY() + days(60))
    done = add_activity(partnership, members, title="Rapat awal", due=TODAY() - days(5))
    services.plans.activity_set_status(user=facilitator, activity=done, status="done")
    response = today_of(facilitator)
    items = section(response, Kind.ACTIVITIES).items
    assert [item.record for item in items] == [late, soon]
    assert {item.side for item in items} == {org_a.name}  # members[0] is A, Accountable in add_activity
    assert items[0].late and not items[1].late
    assert items[0].url == reverse("engagements:plan", args=[partnership.pk]) + f"#activity-{late.pk}"
    assert "Late" in response.content.decode()


def test_it_asks_for_an_accountable_member_when_an_activity_has_none(facilitator, partnership) -> None:
    activity = services.plans.activity_save(
        activity=Activity(partnership=partnership, title="Tanpa penanggung jawab", due_date=TODAY())
    )
    (item,) = section(today_of(facilitator), Kind.ACTIVITIES).items
    assert item.side == "Nobody is accountable yet"
    assert item.action_url == reverse("engagements:activity_edit", args=[partnership.pk, activity.pk])


# --- Flags -----------------------------------------------------------------------------


def test_it_lists_new_flags_and_leaves_out_acknowledged_ones(facilitator, partnership, org_a, org_m) -> None:
    new_leader(org_a, days_ago(10), facilitator)
    new_leader(org_m, days_ago(20), facilitator)
    seen = next(flag for flag in flags_of(partnership) if flag.organization == org_m)
    services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=seen, note="Sudah bertemu")
    (item,) = [item for item in section(today_of(facilitator), Kind.FLAGS).items if item.record.kind == "leader_change"]
    assert item.record.organization == org_a
    assert item.title == str(FlagKind.LEADER_CHANGE.label)
    assert item.url == reverse("engagements:risk_list", args=[partnership.pk]) + f"#flag-{item.record.key}"
    assert item.action_url == reverse("engagements:flag_acknowledge", args=[partnership.pk, item.record.key])
    assert org_a.name in item.detail


def test_it_computes_no_flag_or_health_for_paused_and_closed_partnerships(facilitator, partnership, org_a) -> None:
    new_leader(org_a, days_ago(10), facilitator)
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.PAUSED)
    response = today_of(facilitator)
    assert section(response, Kind.FLAGS).count == 0
    assert section(response, Kind.HEALTH).count == 0
    # The leadership change itself is still news.
    assert section(response, Kind.LEADERS).count == 1


# --- Health ----------------------------------------------------------------------------


def lively(facilitator, organizations, title: str) -> Partnership:
    from tests.engagements.health.test_health import lively as build

    return build(facilitator, organizations, title=title)


def snapshot(partnership: Partnership, score: int, days_back: int = 31) -> None:
    HealthSnapshot.objects.create(partnership=partnership, day=days_ago(days_back), score=score)


def test_it_lists_partnerships_whose_health_fell_or_is_low_with_a_link_to_the_health_page(facilitator) -> None:
    healthy = lively(facilitator, [OrganizationFactory(), OrganizationFactory()], "Sehat")
    fallen = lively(facilitator, [OrganizationFactory(), OrganizationFactory()], "Turun")
    from engagements.selectors.health import health_for

    now = health_for(fallen).value
    assert now is not None and now >= 50
    snapshot(healthy, now)
    snapshot(fallen, now + 15)
    (item,) = section(today_of(facilitator), Kind.HEALTH).items
    assert item.title == "Turun"
    assert item.url == reverse("engagements:health_detail", args=[fallen.pk])
    assert item.record.fell_by == 15
    assert f"Down 15 points from {now + 15}" in item.detail
    assert "Weakest part:" in item.detail


# --- Leadership changes ----------------------------------------------------------------


def test_it_lists_new_leaders_of_member_groups_of_the_last_30_days(facilitator, partnership, org_a, org_m) -> None:
    term = new_leader(org_a, days_ago(5), facilitator, name="Bu Sri")
    new_leader(org_m, days_ago(45), facilitator)  # too long ago for Today, still flagged
    stranger = OrganizationFactory(name="Bukan anggota")
    new_leader(stranger, days_ago(2), facilitator)
    first = OrganizationFactory(name="Pemimpin pertama")
    services.partnerships.member_add(partnership=partnership, organization=first, role="member")
    partner_services.leadership_change(
        user=facilitator, organization=first, leader=None, new_leader_name="Pak Joko", started_on=days_ago(1)
    )
    (item,) = section(today_of(facilitator), Kind.LEADERS).items
    assert item.record == term
    assert item.title == f"New leader in {org_a.name}"
    assert item.url == reverse("partners:organization_detail", args=[org_a.pk]) + "#timeline-heading"
    assert item.place == partnership.title
    assert "Bu Sri (ketua) has led the group since" in item.detail


# --- What partners did -----------------------------------------------------------------


def answer_health_check(round_, user) -> None:
    services.health_checks.health_check_answer(
        user=user, found=round_, scores=dict.fromkeys(questionnaire.SLUGS, 4), comments={}
    )


def test_it_lists_what_partner_members_did_since_the_last_visit(
    facilitator, partner_a, partnership, org_a, org_m
) -> None:
    today_of(facilitator)  # a first visit
    members = list(partnership.members.order_by("pk"))
    kept = promise(partnership, facilitator, by=org_a, due=TODAY() + days(10), text="Polybag dikirim")
    services.commitments.commitment_mark_kept(user=partner_a, commitment=kept)
    goal = SharedGoal.objects.get(partnership=partnership)
    services.goals.progress_record(user=partner_a, goal=goal, value=Decimal(120), measured_on=TODAY())
    activity = add_activity(partnership, members, title="Laporan dana", due=TODAY())
    services.plans.activity_set_status(user=partner_a, activity=activity, status="done")
    round_ = services.health_checks.health_check_open(
        user=facilitator, partnership=partnership, closes_on=TODAY() + days(14)
    )
    answer_health_check(round_, partner_a)
    # What the facilitator did is not news to the facilitator.
    services.goals.progress_record(user=facilitator, goal=goal, value=Decimal(150), measured_on=TODAY())
    answer_health_check(round_, facilitator)

    items = section(today_of(facilitator), Kind.UPDATES).items
    by_url = {item.url: item for item in items}
    assert set(by_url) == {
        reverse("engagements:commitment_detail", args=[partnership.pk, kept.pk]),
        reverse("engagements:goal_detail", args=[partnership.pk, goal.pk]) + "#progress-heading",
        reverse("engagements:plan", args=[partnership.pk]) + f"#activity-{activity.pk}",
        reverse("engagements:health_check_results", args=[partnership.pk, round_.pk]),
    }
    assert {item.side for item in items} == {org_a.name}
    assert {item.detail for item in items} == {
        "Marked the commitment kept.",
        "Added progress on the goal.",
        "Marked the activity done.",
        "Answered the health check.",
    }


def test_it_shows_a_partners_done_once_even_when_the_activity_is_saved_again(
    facilitator, partner_a, partnership
) -> None:
    members = list(partnership.members.order_by("pk"))
    activity = add_activity(partnership, members, title="Laporan dana", due=TODAY())
    services.plans.activity_set_status(user=partner_a, activity=activity, status="done")
    services.plans.activity_set_status(user=partner_a, activity=activity, status="done")
    assert section(today_of(facilitator), Kind.UPDATES).count == 1


def test_it_shows_nothing_from_partners_before_the_last_visit(facilitator, partner_a, partnership) -> None:
    goal = SharedGoal.objects.get(partnership=partnership)
    services.goals.progress_record(user=partner_a, goal=goal, value=Decimal(120), measured_on=TODAY())
    services.today.today_visit_record(user=facilitator, now=timezone.now() - datetime.timedelta(hours=3))
    services.today.today_visit_record(user=facilitator)  # a new visit: since 3 hours ago
    assert section(today_of(facilitator), Kind.UPDATES).count == 1
    later = timezone.now() + datetime.timedelta(hours=2)
    since = services.today.today_visit_record(user=facilitator, now=later)
    assert since is not None and since < later
    from engagements.selectors.dashboard import partner_updates

    assert partner_updates(facilitator, since=since).count() == 0


# --- Follow-ups ------------------------------------------------------------------------


def test_it_lists_recent_follow_ups_noted_on_interactions_with_member_groups(facilitator, partnership, org_a) -> None:
    noted = partner_services.interaction_record(
        user=facilitator, organization=org_a, kind="visit", occurred_on=days_ago(3),
        summary="Kunjungan ke sekretariat", follow_up="Kirim notulen rapat",
    )  # fmt: skip
    interaction(org_a, days_ago(1), facilitator)  # no follow-up
    partner_services.interaction_record(
        user=facilitator, organization=org_a, kind="call", occurred_on=days_ago(45),
        summary="Telepon", follow_up="Sudah lama",
    )  # fmt: skip
    partner_services.interaction_record(
        user=facilitator, organization=OrganizationFactory(), kind="call", occurred_on=days_ago(1),
        summary="Telepon", follow_up="Kelompok lain",
    )  # fmt: skip
    (item,) = section(today_of(facilitator), Kind.FOLLOW_UPS).items
    assert item.record == noted
    assert item.title == "Kirim notulen rapat"
    assert item.url == reverse("partners:organization_detail", args=[org_a.pk]) + "#timeline-heading"
    assert item.side == facilitator.username
    assert item.place == org_a.name


# --- Scope -----------------------------------------------------------------------------


def test_it_shows_only_the_facilitators_own_partnerships(facilitator, partnership, org_a) -> None:
    late_schedule(partnership, facilitator)
    promise(partnership, facilitator, by=org_a, due=TODAY() - days(1))
    new_leader(org_a, days_ago(3), facilitator)
    other = make_facilitator(username="fasilitator_lain")
    page = today_of(other).context["page"]
    assert page.is_empty
    assert all(section.items == [] for section in page.sections)


def test_it_leaves_closed_partnerships_out(facilitator, partnership, org_a) -> None:
    promise(partnership, facilitator, by=org_a, due=TODAY() - days(1))
    commitment(partnership, facilitator, org_a, outcome="")
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.CLOSED)
    assert today_of(facilitator).context["page"].is_empty


def test_it_writes_the_accountable_side_on_every_card(facilitator, partnership, org_a) -> None:
    promise(partnership, facilitator, by=org_a, due=TODAY() - days(1), text="Laporan keuangan")
    page = client_for(facilitator).get(reverse("engagements:today")).content.decode()
    card = page[page.index("Laporan keuangan") :]
    card = card[: card.index("</li>")]
    assert "Who acts:" in card
    assert f'href="{reverse("partners:organization_detail", args=[org_a.pk])}">{org_a.name}</a>' in card
