"""Writes about the collaborative plan: activities, roles, agreed revisions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    Partnership,
    PartnershipMember,
    PlanRevision,
    Raci,
    TrustEntryKind,
)
from engagements.selectors.plans import plan_snapshot
from engagements.services.trust import trust_entry_append
from partners.history import attribute_to


def _next_activity_position(partnership: Partnership) -> int:
    last = Activity.objects.filter(partnership=partnership).aggregate(Max("position"))["position__max"]
    return (last or 0) + 1


@transaction.atomic
def activity_save(
    *,
    user: User | None = None,
    activity: Activity,
    roles: dict[PartnershipMember, str] | None = None,
    contacts: dict | None = None,
    changed_fields: list[str] | None = None,
) -> Activity:
    """Save an activity and, when given, its whole row of RACI roles.

    ``roles`` maps every member to "", "R", "A", "C" or "I"; exactly one may
    be "A". ``changed_fields`` is no longer needed: the history compares the records.
    """
    if activity.goal and activity.goal.partnership_id != activity.partnership_id:
        raise EngagementRuleError(_("The goal belongs to another partnership."))
    if roles is not None:
        if any(member.partnership_id != activity.partnership_id for member in roles):
            raise EngagementRuleError(_("This organization is not a member of the partnership."))
        accountable = [member for member, role in roles.items() if role == Raci.ACCOUNTABLE]
        if len(accountable) != 1:
            raise EngagementRuleError(_("Choose exactly one accountable member organization."))
    if activity.pk is None:
        activity.position = _next_activity_position(activity.partnership)
    activity.full_clean()
    attribute_to(user, activity)
    activity.save()
    if roles is not None:
        _roles_replace(user=user, activity=activity, roles=roles, contacts=contacts or {})
    return activity


def _roles_replace(
    *, user: User | None, activity: Activity, roles: dict[PartnershipMember, str], contacts: dict
) -> None:
    """Make the activity's roles these, changing only the rows that differ, so the history shows what changed.

    Removals and demotions come first and the new Accountable last: "at most
    one Accountable" (a database constraint) holds after every statement.
    """
    existing = {role.member_id: role for role in ActivityRole.objects.select_for_update().filter(activity=activity)}
    wanted = {member.pk: (member, letter) for member, letter in roles.items() if letter}
    for member_id, role in existing.items():
        if member_id not in wanted:
            attribute_to(user, role)
            role.delete()
    for member_id, (member, letter) in sorted(wanted.items(), key=lambda item: item[1][1] == Raci.ACCOUNTABLE):
        role = existing.get(member_id) or ActivityRole(activity=activity, member=member)
        contact = contacts.get(member)
        if role.pk is None or role.role != letter or role.contact_id != (contact.pk if contact else None):
            role.role, role.contact = letter, contact
            attribute_to(user, role)
            role.save()


@transaction.atomic
def activity_set_role(*, user: User, activity: Activity, member: PartnershipMember, role: str) -> str | None:
    """Change one cell of the roles matrix; returns a note for the user, if any.

    Making a member accountable moves the A from whoever had it (they become
    Responsible), so that an activity always has exactly one Accountable.
    """
    if member.partnership_id != activity.partnership_id:
        raise EngagementRuleError(_("This organization is not a member of the partnership."))
    if role not in {"", *Raci.values}:
        raise EngagementRuleError(_("Choose R, A, C, I or nothing."))
    roles = {r.member_id: r for r in ActivityRole.objects.select_for_update().filter(activity=activity)}
    current = roles.get(member.pk)
    note = None
    if current and current.role == Raci.ACCOUNTABLE and role != Raci.ACCOUNTABLE:
        raise EngagementRuleError(
            _("Every activity needs one accountable member: make another member accountable instead.")
        )
    if role == Raci.ACCOUNTABLE:
        for other in roles.values():
            if other.role == Raci.ACCOUNTABLE and other.member_id != member.pk:
                other.role = Raci.RESPONSIBLE
                attribute_to(user, other)
                other.save(update_fields=["role"])
                note = _("%(name)s is now Responsible instead of Accountable.") % {
                    "name": other.member.organization.name
                }
    if not role:
        if current:
            attribute_to(user, current)
            current.delete()
    elif current:
        current.role = role
        attribute_to(user, current)
        current.save(update_fields=["role"])
    else:
        created = ActivityRole(activity=activity, member=member, role=role)
        attribute_to(user, created)
        created.save()
    Activity.objects.filter(pk=activity.pk).update(updated_at=timezone.now())
    return note


def activity_set_status(*, user: User, activity: Activity, status: str) -> Activity:
    if status not in ActivityStatus.values:
        raise EngagementRuleError(_("Choose one of the activity statuses."))
    activity.status = status
    attribute_to(user, activity)
    activity.save(update_fields=["status", "updated_at"])
    return activity


@transaction.atomic
def plan_agree(*, user: User, partnership: Partnership, summary: str) -> PlanRevision:
    """Freeze the plan as the next numbered revision."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not summary.strip():
        raise EngagementRuleError(_("Write a short summary of what was agreed."))
    snapshot = plan_snapshot(partnership)
    if not snapshot["activities"]:
        raise EngagementRuleError(_("Add at least one activity before agreeing the plan."))
    missing = [a["title"] for a in snapshot["activities"] if list(a["roles"].values()).count("A") != 1]
    if missing:
        raise EngagementRuleError(
            _("These activities need exactly one accountable member: %(titles)s.") % {"titles": ", ".join(missing)}
        )
    last = PlanRevision.objects.filter(partnership=partnership).aggregate(Max("number"))["number__max"] or 0
    revision = PlanRevision.objects.create(
        partnership=partnership, number=last + 1, summary=summary.strip(), snapshot=snapshot, agreed_by=user
    )
    trust_entry_append(
        partnership=partnership,
        kind=TrustEntryKind.PLAN_AGREED,
        user=user,
        happened_at=revision.agreed_at,
        subject_type="revision",
        subject_id=revision.pk,
    )
    return revision
