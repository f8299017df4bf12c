"""The risk register: recording, editing and closing risks, and answering the automatic flags.

Facilitators keep the register. A flag is answered either by an
acknowledgement with a note, which the trust log records (a system text that
names the kind of flag only: the note, which may name people, stays in the
acknowledgement, where it can be erased), or by the risk it becomes.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import (
    FlagAcknowledgement,
    FlagKind,
    Partnership,
    Risk,
    RiskOwnerSide,
    RiskStatus,
    TrustEntryKind,
)
from engagements.selectors.risks import Flag
from engagements.services.standing import standing_refresh
from engagements.services.trust import trust_entry_append
from partners.history import attribute_to

SUBJECT = "flag_acknowledgement"


def _check_owner(risk: Risk) -> None:
    if risk.owner_side == RiskOwnerSide.MEMBER:
        if risk.owner_organization_id is None:
            raise EngagementRuleError(_("Choose the member organization that looks after this risk."))
        if not risk.partnership.members.filter(organization_id=risk.owner_organization_id).exists():
            raise EngagementRuleError(
                _("The organization that looks after a risk must be a member of the partnership.")
            )
    else:
        risk.owner_organization = None


@transaction.atomic
def risk_save(*, user: User | None, risk: Risk) -> Risk:
    """Record a new risk or save an edited one; closing and reopening keep ``closed_at`` right."""
    risk.title = risk.title.strip()
    _check_owner(risk)
    if risk.pk is None:
        risk.created_by = user
        if risk.status == RiskStatus.CLOSED:
            raise EngagementRuleError(_("A new risk is open: close it once it no longer threatens the partnership."))
    if risk.status == RiskStatus.CLOSED and risk.closed_at is None:
        risk.closed_at = timezone.now()
    elif risk.status != RiskStatus.CLOSED:
        risk.closed_at = None
    risk.full_clean()
    attribute_to(user, risk)
    risk.save()
    return risk


@transaction.atomic
def risk_close(*, user: User, risk: Risk) -> Risk:
    """The risk no longer threatens the partnership; it stays in the register, closed."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.status == RiskStatus.CLOSED:
        raise EngagementRuleError(_("This risk is already closed."))
    risk.status = RiskStatus.CLOSED
    risk.closed_at = timezone.now()
    attribute_to(user, risk)
    risk.save()
    return risk


@transaction.atomic
def risk_from_flag(*, user: User, partnership: Partnership, flag: Flag, risk: Risk) -> Risk:
    """The flag becomes a risk of the register, at most once: the flag then points to it."""
    if flag.partnership_id != partnership.pk:
        raise EngagementRuleError(_("This flag belongs to another partnership."))
    existing = Risk.objects.filter(partnership=partnership, from_flag=flag.key).first()
    if existing is not None:
        raise EngagementRuleError(_("This flag is already the risk “%(title)s”.") % {"title": existing.title})
    risk.partnership = partnership
    risk.from_flag = flag.key
    saved = risk_save(user=user, risk=risk)
    # Answered: it leaves Today's count now, not at the next refresh.
    standing_refresh([partnership.pk])
    return saved


@transaction.atomic
def flag_acknowledge(*, user: User, partnership: Partnership, flag: Flag, note: str) -> FlagAcknowledgement:
    """The facilitator has seen the flag and says what they make of it; the trust log records that it was seen."""
    note = note.strip()
    if not note:
        raise EngagementRuleError(_("Write a note: what you make of the flag, or what you will do."))
    if flag.partnership_id != partnership.pk:
        raise EngagementRuleError(_("This flag belongs to another partnership."))
    acknowledgement = FlagAcknowledgement(
        partnership=partnership, flag_key=flag.key, note=note, acknowledged_by=user, acknowledged_at=timezone.now()
    )
    acknowledgement.full_clean(validate_unique=False, validate_constraints=False)  # the database says it, race-free
    try:
        with transaction.atomic():
            acknowledgement.save()
    except IntegrityError:
        raise EngagementRuleError(_("This flag is already acknowledged.")) from None
    trust_entry_append(
        partnership=partnership,
        kind=TrustEntryKind.FLAG_ACKNOWLEDGED,
        user=user,
        happened_at=acknowledgement.acknowledged_at,
        subject_type=SUBJECT,
        subject_id=acknowledgement.pk,
        # Internal only: flags are the facilitators' reading of the partnership.
        internal_text=str(FlagKind(flag.kind).label),
    )
    # Answered: it leaves Today's count now, not at the next refresh.
    standing_refresh([partnership.pk])
    return acknowledgement
