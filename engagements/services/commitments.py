"""Commitments: making a promise and every step of its lifecycle.

open -> kept / kept late (marked by the promising group or a facilitator;
a facilitator confirms or disputes a partner's mark) / broken / withdrawn,
or renegotiated: a new commitment with the new date, the old one kept as
history. Each step appends one trust-log entry whose texts are left empty:
the log page renders the commitment from its subject when it is read, so no
promise text or name is copied into the append-only log.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_facilitator
from engagements.access import may_mark_commitment_kept
from engagements.domain.schedules import local_today, zone_of
from engagements.errors import EngagementRuleError
from engagements.models import (
    CheckIn,
    Commitment,
    CommitmentAudience,
    CommitmentOrigin,
    CommitmentSide,
    CommitmentState,
    Confirmation,
    TrustEntryKind,
)
from engagements.selectors.commitments import check_in_lines
from engagements.services.trust import trust_entry_append
from partners.history import attribute_to

SUBJECT = "commitment"


def _log(commitment: Commitment, kind: str, user: User | None) -> None:
    trust_entry_append(
        partnership=commitment.partnership, kind=kind, user=user, subject_type=SUBJECT, subject_id=commitment.pk
    )


def _locked(commitment: Commitment) -> Commitment:
    """The row as it is now, locked: two clicks at once see one state change, not two."""
    # of=self: the schedule is the nullable side of an outer join, which PostgreSQL will not lock.
    return (
        Commitment.objects.select_for_update(of=("self",)).select_related("partnership__schedule").get(pk=commitment.pk)
    )


def _require_open(commitment: Commitment) -> None:
    if commitment.state != CommitmentState.OPEN:
        raise EngagementRuleError(
            _("This commitment is already %(state)s: only an open commitment can change.")
            % {"state": commitment.get_state_display().lower()}
        )


def _require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise EngagementRuleError(message)
    return reason


def _check_parties(commitment: Commitment) -> None:
    members = set(commitment.partnership.members.values_list("organization_id", flat=True))
    if commitment.promised_by_side == CommitmentSide.MEMBER:
        if commitment.promised_by_id not in members:
            raise EngagementRuleError(_("The promising organization must be a member of the partnership."))
    else:
        commitment.promised_by = None
    if commitment.promised_by_contact is not None and (
        commitment.promised_by_side != CommitmentSide.MEMBER
        or commitment.promised_by_contact.organization_id != commitment.promised_by_id
    ):
        raise EngagementRuleError(_("The named person must belong to the promising organization."))
    if commitment.promised_to_side == CommitmentAudience.MEMBER:
        if commitment.promised_to_id not in members:
            raise EngagementRuleError(_("The receiving organization must be a member of the partnership."))
        if commitment.promised_to_id == commitment.promised_by_id:
            raise EngagementRuleError(_("An organization does not make a commitment to itself."))
    else:
        commitment.promised_to = None
    if commitment.promised_by_side == CommitmentSide.FACILITATORS and (
        commitment.promised_to_side == CommitmentAudience.FACILITATORS
    ):
        raise EngagementRuleError(_("The facilitating side does not make a commitment to itself."))


@transaction.atomic
def commitment_make(*, user: User, commitment: Commitment) -> Commitment:
    """Record a new promise (facilitators write them down, for whichever side promised)."""
    if commitment.pk is not None:
        raise EngagementRuleError(_("A commitment is never edited: renegotiate it instead."))
    commitment.text = commitment.text.strip()
    _check_parties(commitment)
    if commitment.check_in is not None and commitment.check_in.partnership_id != commitment.partnership_id:
        raise EngagementRuleError(_("The check-in belongs to another partnership."))
    commitment.state = CommitmentState.OPEN
    commitment.created_by = user
    commitment.full_clean()
    attribute_to(user, commitment)
    commitment.save()
    _log(commitment, TrustEntryKind.COMMITMENT_MADE, user)
    return commitment


def commitment_from_check_in_line(
    *, user: User, check_in: CheckIn, kind: str, line: int, commitment: Commitment
) -> Commitment:
    """A decision or next step of a check-in becomes a commitment, at most once.

    An existing one is named in the error; the database constraint keeps "at
    most once" true under double clicks and races too.
    """
    lines = check_in_lines(check_in, kind)
    if not 0 <= line < len(lines):
        raise EngagementRuleError(_("This check-in has no such line."))
    existing = Commitment.objects.filter(check_in=check_in, source_line_kind=kind, source_line=line).first()
    if existing is not None:
        raise EngagementRuleError(_("This line is already the commitment “%(text)s”.") % {"text": existing.text})
    commitment.partnership = check_in.partnership
    commitment.check_in = check_in
    commitment.origin = CommitmentOrigin.CHECK_IN
    commitment.source_line_kind = kind
    commitment.source_line = line
    commitment.text = commitment.text.strip() or lines[line]
    try:
        with transaction.atomic():
            return commitment_make(user=user, commitment=commitment)
    except IntegrityError:
        raise EngagementRuleError(_("This line of the check-in is already a commitment.")) from None


def kept_state(commitment: Commitment, *, at: datetime.datetime | None = None) -> str:
    """Kept, or kept late: the day it was marked, in the partnership's zone, against the due date."""
    moment = at or timezone.now()
    day = timezone.localtime(moment, zoneinfo.ZoneInfo(zone_of(commitment.partnership))).date()
    return CommitmentState.KEPT if day <= commitment.due_on else CommitmentState.KEPT_LATE


@transaction.atomic
def commitment_mark_kept(*, user: User, commitment: Commitment) -> Commitment:
    """The promise was kept: by the promising group's word, to be confirmed, or a facilitator's, confirmed at once."""
    commitment = _locked(commitment)
    if not may_mark_commitment_kept(user, commitment):
        raise EngagementRuleError(_("Only the organization that promised, or a facilitator, can mark it kept."))
    _require_open(commitment)
    now = timezone.now()
    commitment.state = kept_state(commitment, at=now)
    commitment.marked_kept_by, commitment.marked_kept_at = user, now
    commitment.dispute_note = ""
    facilitator = is_facilitator(user)
    if facilitator:
        commitment.confirmation = Confirmation.CONFIRMED
        commitment.confirmed_by, commitment.confirmed_at = user, now
    else:
        commitment.confirmation = Confirmation.PENDING
        commitment.confirmed_by, commitment.confirmed_at = None, None
    attribute_to(user, commitment)
    commitment.save()
    kind = (
        TrustEntryKind.COMMITMENT_KEPT
        if commitment.state == CommitmentState.KEPT
        else TrustEntryKind.COMMITMENT_KEPT_LATE
    )
    _log(commitment, kind, user)
    return commitment


def _require_awaiting(commitment: Commitment) -> None:
    if not commitment.awaits_confirmation:
        raise EngagementRuleError(_("Only a commitment a partner marked kept waits for a confirmation."))


@transaction.atomic
def commitment_confirm(*, user: User, commitment: Commitment) -> Commitment:
    commitment = _locked(commitment)
    _require_awaiting(commitment)
    commitment.confirmation = Confirmation.CONFIRMED
    commitment.confirmed_by, commitment.confirmed_at = user, timezone.now()
    attribute_to(user, commitment)
    commitment.save()
    _log(commitment, TrustEntryKind.COMMITMENT_CONFIRMED, user)
    return commitment


@transaction.atomic
def commitment_dispute(*, user: User, commitment: Commitment, note: str) -> Commitment:
    """The facilitator does not agree that it was kept: the commitment is open again, with the note."""
    note = _require_reason(note, _("Say why the commitment does not look kept."))
    commitment = _locked(commitment)
    _require_awaiting(commitment)
    commitment.state = CommitmentState.OPEN
    commitment.confirmation = Confirmation.DISPUTED
    commitment.dispute_note = note
    commitment.confirmed_by, commitment.confirmed_at = user, timezone.now()
    attribute_to(user, commitment)
    commitment.save()
    _log(commitment, TrustEntryKind.COMMITMENT_DISPUTED, user)
    return commitment


@transaction.atomic
def commitment_renegotiate(
    *, user: User, commitment: Commitment, due_on: datetime.date | None, reason: str, text: str = ""
) -> Commitment:
    """A new date (and perhaps new words): a new commitment; the old one stays visible, marked renegotiated."""
    reason = _require_reason(reason, _("Say why the commitment is renegotiated."))
    if due_on is None:
        raise EngagementRuleError(_("Give the new date."))
    old = _locked(commitment)
    _require_open(old)
    if due_on == old.due_on and (not text.strip() or text.strip() == old.text):
        raise EngagementRuleError(_("A renegotiation changes the date or the promise."))
    new = Commitment(
        partnership=old.partnership,
        promised_by_side=old.promised_by_side,
        promised_by=old.promised_by,
        promised_by_contact=old.promised_by_contact,
        text=text.strip() or old.text,
        promised_to_side=old.promised_to_side,
        promised_to=old.promised_to,
        due_on=due_on,
        origin=old.origin,
        check_in=old.check_in,
        internal_notes=old.internal_notes,
        created_by=user,
    )
    new.full_clean()
    attribute_to(user, new)
    new.save()
    old.state = CommitmentState.RENEGOTIATED
    old.reason = reason
    old.renegotiated_as = new
    attribute_to(user, old)
    old.save()
    _log(old, TrustEntryKind.COMMITMENT_RENEGOTIATED, user)
    _log(new, TrustEntryKind.COMMITMENT_MADE, user)
    return new


@transaction.atomic
def commitment_withdraw(*, user: User, commitment: Commitment, reason: str) -> Commitment:
    reason = _require_reason(reason, _("Say why the commitment is withdrawn."))
    return _close(user, commitment, CommitmentState.WITHDRAWN, reason, TrustEntryKind.COMMITMENT_WITHDRAWN)


@transaction.atomic
def commitment_mark_broken(*, user: User, commitment: Commitment, reason: str) -> Commitment:
    reason = _require_reason(reason, _("Say what happened: why the commitment was not kept."))
    return _close(user, commitment, CommitmentState.BROKEN, reason, TrustEntryKind.COMMITMENT_BROKEN)


def _close(user: User, commitment: Commitment, state: str, reason: str, kind: str) -> Commitment:
    """An open commitment ends without being kept: the state, the reason why, and its log entry."""
    commitment = _locked(commitment)
    _require_open(commitment)
    commitment.state = state
    commitment.reason = reason
    attribute_to(user, commitment)
    commitment.save()
    _log(commitment, kind, user)
    return commitment


def today_for(commitment: Commitment) -> datetime.date:
    return local_today(zone_of(commitment.partnership))
