"""Plan templates: save a partnership's plan for reuse, start another plan from one.

A template holds shared content only (titles, descriptions, day offsets from
the start, RACI letters by member role), never internal notes, because any
facilitator may apply it to any partnership.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.domain.partnerships import MEMBER_ROLE_ORDER
from engagements.errors import EngagementRuleError
from engagements.models import Activity, ActivityRole, Partnership, PartnershipMember, PlanTemplate, Raci
from engagements.selectors.partnerships import members_of
from engagements.services.plans import activity_save
from partners.history import attribute_to

# When two members with the same member role hold different letters on one
# activity, the template keeps the one that carries more responsibility.
RACI_STRENGTH: dict[str, int] = {Raci.ACCOUNTABLE: 4, Raci.RESPONSIBLE: 3, Raci.CONSULTED: 2, Raci.INFORMED: 1}


def _title_max_length() -> int:
    length = Activity._meta.get_field("title").max_length
    assert length is not None, "the title is a CharField, which always has a max_length"
    return length


TITLE_MAX_LENGTH = _title_max_length()


# No real plan spans a century: a larger offset is a typo in the admin, and could overflow a date.
MAX_OFFSET_DAYS = 365 * 100


def _offset_days(due_date: datetime.date | None, start_date: datetime.date | None) -> int | None:
    if due_date is None or start_date is None:
        return None
    return (due_date - start_date).days


def _roles_by_member_role(roles: list[ActivityRole]) -> dict[str, str]:
    strongest: dict[str, str] = {}
    for role in roles:
        current = strongest.get(role.member.role)
        if current is None or RACI_STRENGTH[role.role] > RACI_STRENGTH[current]:
            strongest[role.member.role] = role.role
    return {member_role: strongest[member_role] for member_role in MEMBER_ROLE_ORDER if member_role in strongest}


@transaction.atomic
def plan_template_save(*, user: User, partnership: Partnership, name: str, description: str = "") -> PlanTemplate:
    # A template is a sequence of steps: keep the order they were added in.
    activities = (
        Activity.objects.filter(partnership=partnership)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("roles", queryset=ActivityRole.objects.select_related("member")))
    )
    entries = [
        {
            "title": activity.title,
            "description": activity.description,
            "offset_days": _offset_days(activity.due_date, partnership.start_date),
            "roles_by_member_role": _roles_by_member_role(list(activity.roles.all())),
        }
        for activity in activities
    ]
    if not entries:
        raise EngagementRuleError(_("The plan has no activity yet: there is nothing to save as a template."))
    template = PlanTemplate(name=name.strip(), description=description.strip(), activities=entries, created_by=user)
    template.full_clean()
    attribute_to(user, template)
    template.save()
    return template


def _roles_for(by_member_role: dict[str, str], members: list[PartnershipMember]) -> dict[PartnershipMember, str]:
    """Letters for the members (already in precedence order), with exactly one A."""
    roles = {
        member: by_member_role[member.role] for member in members if by_member_role.get(member.role) in Raci.values
    }
    accountable = [member for member in members if roles.get(member) == Raci.ACCOUNTABLE]
    for member in accountable[1:]:
        roles[member] = Raci.RESPONSIBLE
    if not accountable:
        # members[0] is the lead when there is one.
        roles[members[0]] = Raci.ACCOUNTABLE
    return roles


def _is_offset(value: object) -> bool:
    return value is None or (type(value) is int and abs(value) <= MAX_OFFSET_DAYS)


def _template_entries(template: PlanTemplate) -> list[dict]:
    """The template's activities, refused whole if one is malformed (e.g. edited in the admin)."""
    entries = template.activities
    broken = _("The template “%(name)s” cannot be used: one of its activities is incomplete.") % {"name": template.name}
    if not isinstance(entries, list) or not entries:
        raise EngagementRuleError(broken)
    for entry in entries:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("title"), str)
            or not entry["title"].strip()
            or len(entry["title"].strip()) > TITLE_MAX_LENGTH
            or not isinstance(entry.get("description", ""), str)
            or not isinstance(entry.get("roles_by_member_role", {}), dict)
            or not _is_offset(entry.get("offset_days"))
        ):
            raise EngagementRuleError(broken)
    return entries


@transaction.atomic
def plan_template_apply(
    *, partnership: Partnership, template: PlanTemplate, user: User | None = None
) -> list[Activity]:
    """Add the template's activities to the plan, due relative to the partnership's start."""
    members = members_of(partnership)
    if not members:
        raise EngagementRuleError(_("Add member organizations to the partnership first: roles are given to them."))
    created = []
    for entry in _template_entries(template):
        offset = entry.get("offset_days")
        due_date = (
            partnership.start_date + datetime.timedelta(days=offset)
            if partnership.start_date is not None and offset is not None
            else None
        )
        activity = Activity(
            partnership=partnership,
            title=entry["title"].strip(),
            description=entry.get("description", ""),
            due_date=due_date,
        )
        created.append(
            activity_save(
                user=user, activity=activity, roles=_roles_for(entry.get("roles_by_member_role", {}), members)
            )
        )
    return created
