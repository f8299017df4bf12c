"""Pure rules about partnerships and their members."""

from __future__ import annotations

from typing import Protocol

from engagements.models import MemberRole

# Lead first, then co-leads, members and supporters: the order of every list
# of members, and the precedence when a role is given "to the lead".
MEMBER_ROLE_ORDER = (MemberRole.LEAD, MemberRole.CO_LEAD, MemberRole.MEMBER, MemberRole.SUPPORTER)


# Read-only members, so that a model (whose fields are descriptors) matches.
class _Named(Protocol):
    @property
    def name(self) -> str: ...


class _Member(Protocol):
    @property
    def pk(self) -> int | None: ...
    @property
    def role(self) -> str: ...
    @property
    def organization(self) -> _Named: ...


def member_order(member: _Member) -> tuple[int, str, int]:
    """Sort key: member role, then the organization's name whatever its case, then age."""
    return (MEMBER_ROLE_ORDER.index(MemberRole(member.role)), member.organization.name.casefold(), member.pk or 0)
