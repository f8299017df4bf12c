"""Writes about partnerships and their member organizations that have a rule to keep."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import (
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Raci,
    StatusChange,
    TrustEntryKind,
)
from engagements.services.trust import trust_entry_append
from partners.history import attribute_to, set_reason
from partners.models import Contact, Organization

S = PartnershipStatus


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.EXPLORING: {S.AGREED, S.CLOSED},
    S.AGREED: {S.ACTIVE, S.PAUSED, S.CLOSED},
    S.ACTIVE: {S.PAUSED, S.TRANSITIONING, S.CLOSED},
    S.PAUSED: {S.ACTIVE, S.TRANSITIONING, S.CLOSED},
    S.TRANSITIONING: {S.ACTIVE, S.CLOSED},
    S.CLOSED: set(),
}


@transaction.atomic
def partnership_save(
    *, user: User, partnership: Partnership, facilitators: Iterable[User] = (), changed_fields: list[str] | None = None
) -> Partnership:
    """``changed_fields`` is no longer needed: the history compares the records."""
    created = partnership.pk is None
    if created:
        partnership.created_by = user
    partnership.full_clean()
    attribute_to(user, partnership)
    partnership.save()
    facilitators = set(facilitators)
    if created:
        facilitators.add(user)
    if facilitators:
        partnership.facilitators.set(facilitators)
    return partnership


@transaction.atomic
def partnership_set_status(*, user: User, partnership: Partnership, status: str, reason: str) -> StatusChange:
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if status not in ALLOWED_TRANSITIONS.get(partnership.status, set()):
        raise EngagementRuleError(
            _("A partnership cannot go from “%(from)s” to “%(to)s”.")
            % {"from": partnership.get_status_display(), "to": PartnershipStatus(status).label}
        )
    if not reason.strip():
        raise EngagementRuleError(_("Say why the status changes."))
    change = StatusChange.objects.create(
        partnership=partnership,
        from_status=partnership.status,
        to_status=status,
        reason=reason.strip(),
        changed_by=user,
    )
    partnership.status = status
    attribute_to(user, partnership)
    set_reason(partnership, change.reason)
    partnership.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def member_add(
    *, partnership: Partnership, organization: Organization, role: str, user: User | None = None
) -> PartnershipMember:
    if organization.archived_at is not None:
        raise EngagementRuleError(_("An archived organization cannot join a partnership."))
    member = PartnershipMember(partnership=partnership, organization=organization, role=role)
    attribute_to(user, member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise EngagementRuleError(_("%(name)s is already a member.") % {"name": organization.name}) from None
    # The entry names no one: the organization is read from the membership's history when shown.
    trust_entry_append(
        partnership=partnership,
        kind=TrustEntryKind.MEMBER_JOINED,
        user=user,
        subject_type="member",
        subject_id=member.pk,
    )
    return member


@transaction.atomic
def member_remove(*, member: PartnershipMember, user: User | None = None) -> None:
    if member.activity_roles.filter(role=Raci.ACCOUNTABLE).exists():
        raise EngagementRuleError(
            _("%(name)s is accountable for activities: make another member accountable first.")
            % {"name": member.organization.name}
        )
    attribute_to(user, member)
    member_pk, partnership = member.pk, member.partnership
    member.delete()
    # The row is gone; the entry keeps its id, and the membership's history still names the organization.
    trust_entry_append(
        partnership=partnership, kind=TrustEntryKind.MEMBER_LEFT, user=user, subject_type="member", subject_id=member_pk
    )


def contact_may_join(*, contact: Contact, partnership: Partnership) -> bool:
    return partnership.members.filter(organization_id=contact.organization_id).exists()
