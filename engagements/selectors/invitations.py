"""Who may be invited into a partnership, and the invitations already sent."""

from __future__ import annotations

from django.db.models import QuerySet

from engagements.models import Invitation, Partnership
from partners.models import Contact


def invitations_of(partnership: Partnership) -> QuerySet[Invitation]:
    """Newest first, with each contact's organization (one query)."""
    return Invitation.objects.filter(partnership=partnership).select_related("contact__organization")


def invitable_contacts(partnership: Partnership) -> QuerySet[Contact]:
    """The people of the member organizations who may get an invitation: not erased, by organization and name."""
    return (
        Contact.objects.filter(organization__partnership_memberships__partnership=partnership, erased_at__isnull=True)
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )


def invitable_contact(partnership: Partnership, pk: int) -> Contact | None:
    """One person who may be invited into this partnership, or None (unknown, erased, of another group)."""
    return invitable_contacts(partnership).filter(pk=pk).first()
