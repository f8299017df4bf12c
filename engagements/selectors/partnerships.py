"""Reads about partnerships and their members: fixed query cost, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from accounts.models import User
from engagements.access import partnerships_visible_to
from engagements.models import (
    MemberRole,
    Partnership,
    PartnershipMember,
)


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    return (
        partnerships_visible_to(user)
        .select_related("schedule")
        .prefetch_related(Prefetch("members", queryset=PartnershipMember.objects.select_related("organization")))
    )


ROLE_ORDER = Case(
    *[When(role=role, then=Value(rank)) for rank, role in enumerate(MemberRole.values)], output_field=IntegerField()
)


def members_of(partnership: Partnership) -> list[PartnershipMember]:
    """Lead first, then co-leads, members and supporters."""
    return list(partnership.members.select_related("organization").order_by(ROLE_ORDER, "organization__name"))


def organizations_of_user(user: User) -> set[int]:
    return set(user.organization_memberships.values_list("organization_id", flat=True))
