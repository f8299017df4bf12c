"""The lifecycle of a commitment: each step, each refused step, and the trust-log entry each step appends."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagements import selectors, services
from engagements.errors import EngagementRuleError
from engagements.models import (
    CheckInSchedule,
    Commitment,
    CommitmentState,
    Confirmation,
    TrustEntry,
    TrustEntryKind,
)
from tests.engagements.commitments.conftest import make

pytestmark = pytest.mark.django_db


def commitment_log(partnership) -> list[tuple[str, int | None]]:
    entries = TrustEntry.objects.filter(partnership=partnership, subject_type="commitment").order_by("sequence")
    return list(entries.values_list("kind", "subject_id"))


def test_it_appends_made_kept_and_confirmed_in_order_without_any_text(
    partnership, ours, partner_a, facilitator
) -> None:
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    services.commitments.commitment_confirm(user=facilitator, commitment=ours)

    ours.refresh_from_db()
    assert (ours.state, ours.confirmation, ours.marked_kept_by, ours.confirmed_by) == (
        CommitmentState.KEPT, Confirmation.CONFIRMED, partner_a, facilitator,
    )  # fmt: skip
    assert commitment_log(partnership) == [
        (TrustEntryKind.COMMITMENT_MADE, ours.pk),
        (TrustEntryKind.COMMITMENT_KEPT, ours.pk),
        (TrustEntryKind.COMMITMENT_CONFIRMED, ours.pk),
    ]
    entries = TrustEntry.objects.filter(subject_type="commitment")
    assert list(entries.values_list("recorded_by", flat=True)) == [facilitator.pk, partner_a.pk, facilitator.pk]
    # No promise text, no name: the log renders the commitment from its subject.
    assert set(entries.values_list("shared_text", "internal_text")) == {("", "")}
    assert services.trust.trust_log_verify(partnership=partnership).intact


def test_it_confirms_at_once_what_a_facilitator_marks_kept(partnership, ours, facilitator) -> None:
    services.commitments.commitment_mark_kept(user=facilitator, commitment=ours)
    ours.refresh_from_db()
    assert (ours.state, ours.confirmation) == (CommitmentState.KEPT, Confirmation.CONFIRMED)
    assert commitment_log(partnership)[-1] == (TrustEntryKind.COMMITMENT_KEPT, ours.pk)
    with pytest.raises(EngagementRuleError):
        services.commitments.commitment_confirm(user=facilitator, commitment=ours)


def test_it_opens_a_disputed_commitment_again_with_the_note(partnership, ours, partner_a, facilitator) -> None:
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    with pytest.raises(EngagementRuleError):
        services.commitments.commitment_dispute(user=facilitator, commitment=ours, note="  ")
    services.commitments.commitment_dispute(user=facilitator, commitment=ours, note="Polybag belum sampai")

    ours.refresh_from_db()
    assert (ours.state, ours.confirmation, ours.dispute_note) == (
        CommitmentState.OPEN, Confirmation.DISPUTED, "Polybag belum sampai",
    )  # fmt: skip
    assert commitment_log(partnership)[-1] == (TrustEntryKind.COMMITMENT_DISPUTED, ours.pk)
    # Marked again, it waits for a confirmation again.
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    ours.refresh_from_db()
    assert ours.awaits_confirmation


def test_it_keeps_the_old_promise_and_date_visible_when_renegotiated(partnership, ours, facilitator) -> None:
    old_date = ours.due_on
    new = services.commitments.commitment_renegotiate(
        user=facilitator, commitment=ours, due_on=old_date + datetime.timedelta(days=14), reason="Hujan deras"
    )

    ours.refresh_from_db()
    assert (ours.state, ours.due_on, ours.reason, ours.renegotiated_as) == (
        CommitmentState.RENEGOTIATED, old_date, "Hujan deras", new,
    )  # fmt: skip
    assert (new.state, new.text, new.due_on, new.promised_by) == (
        CommitmentState.OPEN, ours.text, old_date + datetime.timedelta(days=14), ours.promised_by,
    )  # fmt: skip
    assert selectors.commitments.earlier_versions(new) == [ours]
    assert commitment_log(partnership)[-2:] == [
        (TrustEntryKind.COMMITMENT_RENEGOTIATED, ours.pk),
        (TrustEntryKind.COMMITMENT_MADE, new.pk),
    ]


@pytest.mark.parametrize(
    ("step", "kind", "state"),
    [
        ("commitment_withdraw", TrustEntryKind.COMMITMENT_WITHDRAWN, CommitmentState.WITHDRAWN),
        ("commitment_mark_broken", TrustEntryKind.COMMITMENT_BROKEN, CommitmentState.BROKEN),
    ],
)
def test_it_closes_an_open_commitment_with_a_reason(partnership, ours, facilitator, step, kind, state) -> None:
    getattr(services.commitments, step)(user=facilitator, commitment=ours, reason="Kelompok bubar sementara")
    ours.refresh_from_db()
    assert (ours.state, ours.reason) == (state, "Kelompok bubar sementara")
    assert commitment_log(partnership)[-1] == (kind, ours.pk)


@pytest.mark.parametrize("step", ["commitment_withdraw", "commitment_mark_broken"])
def test_it_refuses_to_close_without_a_reason(ours, facilitator, step) -> None:
    with pytest.raises(EngagementRuleError):
        getattr(services.commitments, step)(user=facilitator, commitment=ours, reason=" ")
    ours.refresh_from_db()
    assert ours.state == CommitmentState.OPEN


def test_it_refuses_a_renegotiation_without_a_reason_or_change(ours, facilitator) -> None:
    with pytest.raises(EngagementRuleError):
        services.commitments.commitment_renegotiate(
            user=facilitator, commitment=ours, due_on=ours.due_on + datetime.timedelta(days=1), reason=""
        )
    with pytest.raises(EngagementRuleError):
        services.commitments.commitment_renegotiate(user=facilitator, commitment=ours, due_on=ours.due_on, reason="x")
    assert Commitment.objects.count() == 1


def close(name: str, commitment, facilitator, partner_a) -> None:
    later = commitment.due_on + datetime.timedelta(days=3)
    steps = {
        "kept": lambda: services.commitments.commitment_mark_kept(user=partner_a, commitment=commitment),
        "withdrawn": lambda: services.commitments.commitment_withdraw(
            user=facilitator, commitment=commitment, reason="r"
        ),
        "broken": lambda: services.commitments.commitment_mark_broken(
            user=facilitator, commitment=commitment, reason="r"
        ),
        "renegotiated": lambda: services.commitments.commitment_renegotiate(
            user=facilitator, commitment=commitment, due_on=later, reason="r"
        ),
        "confirmed": lambda: services.commitments.commitment_confirm(user=facilitator, commitment=commitment),
        "disputed": lambda: services.commitments.commitment_dispute(user=facilitator, commitment=commitment, note="n"),
    }
    steps[name]()


@pytest.mark.parametrize("first", ["kept", "withdrawn", "broken", "renegotiated"])
@pytest.mark.parametrize("then", ["kept", "withdrawn", "broken", "renegotiated"])
def test_it_refuses_every_step_on_a_closed_commitment(partnership, ours, facilitator, partner_a, first, then) -> None:
    close(first, ours, facilitator, partner_a)
    ours.refresh_from_db()
    state, entries = ours.state, TrustEntry.objects.count()
    with pytest.raises(EngagementRuleError):
        close(then, ours, facilitator, partner_a)
    ours.refresh_from_db()
    assert (ours.state, TrustEntry.objects.count()) == (state, entries)


@pytest.mark.parametrize("step", ["confirmed", "disputed"])
def test_it_refuses_to_confirm_or_dispute_what_nobody_marked_kept(ours, facilitator, partner_a, step) -> None:
    with pytest.raises(EngagementRuleError):
        close(step, ours, facilitator, partner_a)


def test_it_refuses_a_partner_marking_another_groups_commitment(theirs, partner_a) -> None:
    with pytest.raises(EngagementRuleError):
        services.commitments.commitment_mark_kept(user=partner_a, commitment=theirs)
    theirs.refresh_from_db()
    assert theirs.state == CommitmentState.OPEN


@pytest.mark.parametrize(
    ("local_time", "state"),
    [("23:59", CommitmentState.KEPT), ("00:01", CommitmentState.KEPT_LATE)],
)
def test_it_tells_kept_from_kept_late_by_the_day_in_the_partnerships_zone(
    partnership, facilitator, partner_a, org_a, monkeypatch, local_time, state
) -> None:
    """Due on 10 March in WIT (UTC+9): 23:59 WIT is still on time, 00:01 WIT of the 11th is late.

    Both moments fall on 10 March in Jakarta and in UTC, so a site-zone rule would call both on time.
    """
    CheckInSchedule.objects.create(partnership=partnership, time_zone="Asia/Jayapura")
    partnership.refresh_from_db()
    due = datetime.date(2026, 3, 10)
    commitment = make(partnership, facilitator, by=org_a, due=due)
    day = due if local_time == "23:59" else due + datetime.timedelta(days=1)
    hour, minute = map(int, local_time.split(":"))
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), zoneinfo.ZoneInfo("Asia/Jayapura"))
    assert timezone.localtime(moment, zoneinfo.ZoneInfo("Asia/Jakarta")).date() == due
    monkeypatch.setattr(timezone, "now", lambda: moment)

    services.commitments.commitment_mark_kept(user=partner_a, commitment=commitment)

    commitment.refresh_from_db()
    assert commitment.state == state
    kind = TrustEntryKind.COMMITMENT_KEPT if state == CommitmentState.KEPT else TrustEntryKind.COMMITMENT_KEPT_LATE
    assert commitment_log(partnership)[-1] == (kind, commitment.pk)


def test_it_refuses_parties_outside_the_partnership(partnership, facilitator, org_b, org_a, contact_a) -> None:
    with pytest.raises(EngagementRuleError):
        make(partnership, facilitator, by=org_b)
    with pytest.raises(EngagementRuleError):
        make(partnership, facilitator, by=org_a, to=org_b)
    with pytest.raises(EngagementRuleError):
        make(partnership, facilitator, by=org_a, to=org_a)
    assert not Commitment.objects.exists()
    named = make(partnership, facilitator, by=org_a, promised_by_contact=contact_a)
    assert named.promised_by_contact == contact_a


def test_it_makes_a_check_in_line_a_commitment_at_most_once(partnership, check_in, facilitator, org_a) -> None:
    def from_line(kind: str, line: int) -> Commitment:
        draft = make_draft(partnership, org_a)
        return services.commitments.commitment_from_check_in_line(
            user=facilitator, check_in=check_in, kind=kind, line=line, commitment=draft
        )

    made = from_line("decision", 1)
    assert (made.text, made.check_in, made.source_line_kind, made.source_line, made.origin) == (
        "Iuran 10 ribu per bulan", check_in, "decision", 1, "check_in",
    )  # fmt: skip
    with pytest.raises(EngagementRuleError, match="Iuran 10 ribu per bulan"):
        from_line("decision", 1)
    with pytest.raises(EngagementRuleError):
        from_line("next_step", 5)
    assert from_line("next_step", 1).text == "Hubungi dinas"
    assert Commitment.objects.filter(check_in=check_in).count() == 2


def make_draft(partnership, organization) -> Commitment:
    return Commitment(
        partnership=partnership,
        promised_by_side="member",
        promised_by=organization,
        promised_to_side="all_members",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )


def test_the_database_refuses_a_second_commitment_for_one_check_in_line(partnership, check_in, org_a) -> None:
    fields = {"check_in": check_in, "source_line_kind": "next_step", "source_line": 0, "text": "Cari bibit"}
    first = make_draft(partnership, org_a)
    for name, value in fields.items():
        setattr(first, name, value)
    first.save()
    second = make_draft(partnership, org_a)
    for name, value in fields.items():
        setattr(second, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Commitment.objects.filter(check_in=check_in).count() == 1
