"""Roles are groups. Staff admins are Django superusers or staff."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import User

FACILITATOR = "Facilitator"
PARTNER_MEMBER = "Partner member"
ROLE_GROUPS = (FACILITATOR, PARTNER_MEMBER)


def _group_names(user: User) -> frozenset[str]:
    cached = user._rekan_group_names
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._rekan_group_names = cached
    return cached


def is_facilitator(user: User | AnonymousUser) -> bool:
    """Facilitators, and admins, who may do everything a facilitator does."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or FACILITATOR in _group_names(user)


def is_partner_member(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return PARTNER_MEMBER in _group_names(user)
