"""Reads about partnerships and their members: fixed query cost, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from engagements.access import partnerships_visible_to
from engagements.domain.partnerships import member_order
from engagements.models import (
    Partnership,
    PartnershipMember,
    StatusChange,
)


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    return (
        partnerships_visible_to(user)
        .select_related("schedule")
        .prefetch_related(Prefetch("members", queryset=PartnershipMember.objects.select_related("organization")))
    )


def members_of(partnership: Partnership) -> list[PartnershipMember]:
    """Lead first, then co-leads, members and supporters."""
    return sorted(partnership.members.select_related("organization"), key=member_order)


def has_members(partnership: Partnership) -> bool:
    return partnership.members.exists()


def facilitators_of(partnership: Partnership) -> QuerySet[User]:
    return partnership.facilitators.order_by("username")


def status_changes_of(partnership: Partnership, *, limit: int = 10) -> list[StatusChange]:
    """The latest status changes, newest first, with who made them."""
    return list(partnership.status_changes.select_related("changed_by")[:limit])


def organizations_of_user(user: User) -> set[int]:
    return set(user.organization_memberships.values_list("organization_id", flat=True))


PROFILE_PARTNERSHIPS_SHOWN = 20


def memberships_of_organization(
    *, user: User, organization_id: int, limit: int = PROFILE_PARTNERSHIPS_SHOWN
) -> tuple[list[PartnershipMember], int]:
    """The organization's partnerships the user may see (the latest first, at most ``limit``), and how many in all.

    Two queries whatever the number: for the organization profile's panel.
    """
    memberships = PartnershipMember.objects.filter(
        organization_id=organization_id, partnership__in=partnerships_visible_to(user)
    )
    shown = list(
        memberships.select_related("partnership__schedule").order_by("-partnership__created_at", "-pk")[:limit]
    )
    return shown, memberships.count()
