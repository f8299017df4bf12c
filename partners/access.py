"""Who may see and change which organization. Views look records up here.

Facilitators (and admins) see every organization. A partner member sees only
the organizations they sign in for, read-only; any other organization
answers 404, so a stranger cannot learn that it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import is_facilitator, is_partner_member
from partners.models import Contact, Organization


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    if is_facilitator(user):
        return Organization.objects.all()
    if is_partner_member(user):
        return Organization.objects.filter(members__user=user)
    return Organization.objects.none()


def get_organization_for_user(user: User, pk: int, *, write: bool = False, internal: bool = False) -> Organization:
    """404 when the user may not see the organization; 403 when they may only read it and ask to change it.

    ``internal``: for what only facilitators read about a group they work
    with (its timeline of visits and calls): a partner member of the group
    gets 403 too, as for a change.
    """
    organization = get_object_or_404(organizations_visible_to(user), pk=pk)
    if (write or internal) and not is_facilitator(user):
        raise PermissionDenied
    return organization


def get_contact_for_user(user: User, organization: Organization, pk: int, *, write: bool = False) -> Contact:
    """A contact of an organization already checked for this user."""
    contact = get_object_or_404(Contact, organization=organization, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return contact
