"""Commitment reminders: due soon and overdue, through the same outbox as check-ins and activities."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import (
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    CommitmentState,
    Partnership,
    PartnershipStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from engagements.services.reminders import OVERDUE_WINDOW_DAYS
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.commitments.conftest import make
from tests.factories import make_partner_member

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def people(partnership, facilitator, partner_a, org_a, org_m):
    """A facilitator, a partner user of A, A's consenting contact and others who must get nothing."""
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    partner_a.email = "mitra-a@example.org"
    partner_a.save()
    quiet = make_partner_member(org_a, username="mitra_diam", email="diam@example.org", email_reminders=False)
    make_partner_member(org_m, username="mitra_m", email="mitra-m@example.org")
    Contact.objects.create(organization=org_a, name="Bu Sri", email="sri@example.org", consent_to_contact=True)
    Contact.objects.create(organization=org_a, name="Tanpa izin", email="no@example.org", consent_to_contact=False)
    Contact.objects.create(
        organization=org_a, name="Berhenti", email="stop@example.org", consent_to_contact=True, wants_reminders=False
    )
    Contact.objects.create(organization=org_m, name="Pak Bahari", email="bahari@example.org", consent_to_contact=True)
    return quiet


def emails(kind: str | None = None) -> list[str]:
    rows = Reminder.objects.all() if kind is None else Reminder.objects.filter(kind=kind)
    return sorted(rows.values_list("email", flat=True))


A_SIDE = ["fasilitator@example.org", "mitra-a@example.org", "sri@example.org"]


@pytest.mark.django_db
def test_it_reminds_the_promising_group_and_the_facilitators_of_a_commitment_due_soon(
    partnership, facilitator, org_a, org_m, people
) -> None:
    commitment = make(partnership, facilitator, by=org_a, to=org_m, due=days(2))

    assert services.reminders.sweep() == 3
    assert services.reminders.sweep() == 0  # the same occurrence again: nothing new

    assert emails(ReminderKind.COMMITMENT_DUE) == A_SIDE
    rows = Reminder.objects.filter(subject_type="commitment", subject_id=commitment.pk)
    assert set(rows.values_list("occurrence", flat=True)) == {f"{days(2).isoformat()}#due"}
    assert set(rows.values_list("recipient_key", flat=True)) == {
        f"user:{facilitator.pk}",
        f"user:{org_a.members.get(user__username='mitra_a').user_id}",
        f"contact:{Contact.objects.get(email='sri@example.org').pk}",
    }


@pytest.mark.django_db
def test_it_takes_the_lead_days_from_the_check_in_schedule(partnership, facilitator, org_a, people) -> None:
    make(partnership, facilitator, by=org_a, due=days(5))
    assert services.reminders.sweep() == 0  # no schedule: two days ahead

    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=4, starts_on=TODAY, lead_days=5)
    services.checkins.schedule_save(user=facilitator, schedule=schedule)
    services.reminders.sweep()

    assert emails(ReminderKind.COMMITMENT_DUE) == A_SIDE


@pytest.mark.django_db
def test_it_reminds_once_of_an_overdue_commitment_within_the_window(partnership, facilitator, org_a, people) -> None:
    overdue = make(partnership, facilitator, by=org_a, text="Terlambat", due=days(1))
    too_old = make(partnership, facilitator, by=org_a, text="Lama sekali", due=days(10))
    Commitment.objects.filter(pk=overdue.pk).update(due_on=days(-3))
    Commitment.objects.filter(pk=too_old.pk).update(due_on=days(-OVERDUE_WINDOW_DAYS - 1))

    assert services.reminders.sweep() == 3
    assert services.reminders.sweep() == 0

    assert emails(ReminderKind.COMMITMENT_OVERDUE) == A_SIDE
    assert set(Reminder.objects.values_list("subject_id", "occurrence")) == {
        (overdue.pk, f"{days(-3).isoformat()}#overdue")
    }


@pytest.mark.django_db
def test_it_reminds_only_the_facilitators_of_what_the_facilitating_side_promised(
    partnership, facilitator, people
) -> None:
    make(partnership, facilitator, by=None, due=days(1))
    services.reminders.sweep()
    assert emails() == ["fasilitator@example.org"]


@pytest.mark.django_db
def test_it_reminds_of_no_closed_commitment_nor_one_of_a_paused_or_closed_partnership(
    partnership, facilitator, org_a, people
) -> None:
    kept = make(partnership, facilitator, by=org_a, due=days(1))
    Commitment.objects.filter(pk=kept.pk).update(state=CommitmentState.KEPT)
    assert services.reminders.sweep() == 0

    make(partnership, facilitator, by=org_a, due=days(1))
    for status in (PartnershipStatus.PAUSED, PartnershipStatus.CLOSED):
        Partnership.objects.filter(pk=partnership.pk).update(status=status)
        assert services.reminders.sweep() == 0
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.ACTIVE)
    assert services.reminders.sweep() == 3


@pytest.mark.django_db
def test_it_sends_a_facilitator_who_also_signs_in_for_the_group_one_email(
    partnership, facilitator, org_a, people
) -> None:
    org_a.members.create(user=facilitator)
    make(partnership, facilitator, by=org_a, due=days(1))
    assert services.reminders.sweep() == 3
    assert emails() == A_SIDE


@pytest.mark.django_db
def test_it_delivers_commitment_reminders_once_in_the_recipients_language(
    partnership, facilitator, org_a, people
) -> None:
    facilitator.language = "en"
    facilitator.save()
    make(partnership, facilitator, by=org_a, text="Menyiapkan 500 polybag\nuntuk pembibitan", due=days(1))
    services.reminders.sweep()

    assert services.reminders.deliver() == 3
    assert services.reminders.deliver() == 0

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == A_SIDE
    english = by_address["fasilitator@example.org"]
    assert english.subject.startswith("Commitment due ")
    assert english.subject.endswith(": Menyiapkan 500 polybag untuk pembibitan")
    assert "The commitment “Menyiapkan 500 polybag\nuntuk pembibitan”" in english.body
    assert partnership.title in english.body
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3


@pytest.mark.django_db
def test_it_shows_commitment_reminders_in_the_reminder_log(partnership, facilitator, org_a, people) -> None:
    facilitator.language = "en"
    facilitator.save()
    make(partnership, facilitator, by=org_a, due=days(1))
    services.reminders.sweep()

    response = client_for(facilitator).get(reverse("engagements:reminder_log"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Commitment due soon") == 3
    assert "sri@example.org" in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 300])
def test_it_sweeps_commitments_with_the_same_number_of_queries_whatever_their_number(
    partnership, facilitator, org_a, org_m, people, count: int
) -> None:
    Commitment.objects.bulk_create(
        Commitment(
            partnership=partnership,
            promised_by_side=CommitmentSide.MEMBER,
            promised_by=org_a if n % 2 else org_m,
            text=f"Janji {n}",
            due_on=days(1) if n % 3 else days(-2),
        )
        for n in range(count)
    )
    schedule = CheckInSchedule(partnership=partnership, cadence="weeks", interval=4, starts_on=TODAY)
    services.checkins.schedule_save(user=facilitator, schedule=schedule)

    with CaptureQueriesContext(connection) as queries:
        created = services.reminders.sweep()

    assert created == Reminder.objects.filter(subject_type="commitment").count() > count
    # Each chunk is a transaction of its own (a savepoint and its release here):
    # schedules (none due), activities (none), then one chunk of commitments with
    # their facilitators, contacts and partner users, one insert and two updates
    # (what was reminded "due soon", what "overdue"), and the empty next chunk; then
    # whether a health check is about to close (none).
    assert len(queries) == 3 + 3 + 9 + 3 + 1, [query["sql"] for query in queries.captured_queries]
