"""Health check invitations go through the outbox: re-checked when sent, reminded once before closing, on a rhythm."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from engagements import services
from engagements.models import (
    CancelReason,
    HealthCheckRound,
    PartnershipMember,
    PartnershipStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from tests.engagements.health_checks.conftest import answer

pytestmark = pytest.mark.django_db


def statuses(kind: str = ReminderKind.HEALTH_CHECK_OPEN) -> dict[str, tuple[str, str]]:
    return {r.email: (r.status, r.cancel_reason) for r in Reminder.objects.filter(kind=kind)}


def test_it_cancels_the_invitation_of_someone_who_answered_before_it_went_out(
    partner_a, health_round, facilitator
) -> None:
    answer(partner_a, health_round)

    assert services.reminders.deliver() == 1

    assert [message.to for message in mail.outbox] == [[facilitator.email]]
    assert statuses()[partner_a.email] == (ReminderStatus.CANCELLED, CancelReason.ANSWERED)


def test_it_cancels_every_invitation_of_a_round_closed_before_they_went_out(
    partner_a, health_round, facilitator
) -> None:
    services.health_checks.health_check_close(user=facilitator, found=health_round)

    assert services.reminders.deliver() == 0

    assert mail.outbox == []
    assert set(statuses().values()) == {(ReminderStatus.CANCELLED, CancelReason.ROUND_CLOSED)}


def test_it_cancels_the_invitation_of_a_partner_whose_group_left_the_partnership(
    partner_a, health_round, facilitator, org_a
) -> None:
    PartnershipMember.objects.filter(partnership=health_round.partnership, organization=org_a).delete()

    services.reminders.deliver()

    assert statuses()[partner_a.email] == (ReminderStatus.CANCELLED, CancelReason.NOT_INVOLVED)
    assert statuses()[facilitator.email][0] == ReminderStatus.SENT


def test_it_reminds_only_those_who_have_not_answered_once_in_the_last_days(
    partner_a, health_round, facilitator
) -> None:
    closes_on = health_round.closes_on
    services.reminders.deliver()  # the invitations
    answer(facilitator, health_round)

    too_early = closes_on - datetime.timedelta(days=services.health_checks.CLOSING_REMINDER_DAYS + 1)
    assert services.health_checks.health_check_closing_reminders(today=too_early) == 0
    in_time = closes_on - datetime.timedelta(days=services.health_checks.CLOSING_REMINDER_DAYS)
    assert services.health_checks.health_check_closing_reminders(today=in_time) == 1
    assert services.health_checks.health_check_closing_reminders(today=in_time) == 0  # once per round
    assert services.health_checks.health_check_closing_reminders(today=closes_on) == 0

    mail.outbox.clear()
    assert services.reminders.deliver() == 1
    assert [message.to for message in mail.outbox] == [[partner_a.email]]
    assert closes_on.strftime("%Y") in mail.outbox[0].subject
    health_round.refresh_from_db()
    assert health_round.closing_reminded


def test_the_sweep_writes_the_closing_reminders(partnership, facilitator, partner_a) -> None:
    today = timezone.localdate()
    services.health_checks.health_check_open(user=facilitator, partnership=partnership, closes_on=today)

    services.reminders.sweep()

    closing = Reminder.objects.filter(kind=ReminderKind.HEALTH_CHECK_CLOSING)
    assert sorted(closing.values_list("email", flat=True)) == sorted([facilitator.email, partner_a.email])


def months_ago(months: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - 1) if months == 12 else today - datetime.timedelta(days=31 * months)


def test_it_opens_the_next_round_on_the_rhythm_once_and_invites_both_sides(partnership, facilitator, partner_a) -> None:
    earlier = HealthCheckRound.objects.create(
        partnership=partnership, opened_on=months_ago(4), closes_on=months_ago(3), rhythm_months=4
    )
    partnership.status = PartnershipStatus.ACTIVE
    partnership.save()

    assert services.health_checks.health_checks_open_due() == 1
    assert services.health_checks.health_checks_open_due() == 0  # twice in a day: one round

    found = HealthCheckRound.objects.exclude(pk=earlier.pk).get(partnership=partnership)
    today = timezone.localdate()
    assert (found.opened_on, found.rhythm_months, found.opened_by) == (today, 4, None)
    assert found.closes_on == today + datetime.timedelta(days=services.health_checks.RHYTHM_ROUND_DAYS)
    invited = Reminder.objects.filter(kind=ReminderKind.HEALTH_CHECK_OPEN, subject_id=found.pk)
    assert sorted(invited.values_list("email", flat=True)) == sorted([facilitator.email, partner_a.email])


def test_it_waits_for_the_rhythm_and_skips_paused_partnerships_and_open_rounds(partnership) -> None:
    partnership.status = PartnershipStatus.ACTIVE
    partnership.save()
    HealthCheckRound.objects.create(
        partnership=partnership, opened_on=months_ago(2), closes_on=months_ago(1), rhythm_months=3
    )
    assert services.health_checks.health_checks_open_due() == 0  # two months into a three-month rhythm

    HealthCheckRound.objects.update(opened_on=months_ago(4), closes_on=months_ago(3))
    partnership.status = PartnershipStatus.PAUSED
    partnership.save()
    assert services.health_checks.health_checks_open_due() == 0  # paused

    partnership.status = PartnershipStatus.ACTIVE
    partnership.save()
    HealthCheckRound.objects.create(partnership=partnership, closes_on=timezone.localdate())
    assert services.health_checks.health_checks_open_due() == 0  # one is open already


def test_a_partnership_that_never_held_one_gets_its_first_after_the_default_rhythm(partnership) -> None:
    partnership.status = PartnershipStatus.ACTIVE
    partnership.save()
    assert services.health_checks.health_checks_open_due() == 0  # created today

    type(partnership).objects.filter(pk=partnership.pk).update(created_at=timezone.now() - datetime.timedelta(days=95))
    assert services.health_checks.health_checks_open_due() == 1
    assert HealthCheckRound.objects.get(partnership=partnership).rhythm_months == 3
