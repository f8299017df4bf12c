"""Every write about partnerships, goals and plans that has a rule to keep."""

from __future__ import annotations

import datetime
import secrets
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements import schedules, selectors
from engagements.models import (
    Activity,
    ActivityRole,
    ActivityStatus,
    CheckIn,
    CheckInSchedule,
    GoalBenefit,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    PlanRevision,
    ProgressUpdate,
    Raci,
    SharedGoal,
    ShareLink,
    StatusChange,
)
from engagements.plans import plan_snapshot
from partners.history import record_change, record_part_change
from partners.models import Contact, Organization


class EngagementRuleError(Exception):
    """A broken business rule; the message is for the user, translated."""


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
    created = partnership.pk is None
    if created:
        partnership.created_by = user
    partnership.full_clean()
    partnership.save()
    facilitators = set(facilitators)
    if created:
        facilitators.add(user)
    if facilitators:
        partnership.facilitators.set(facilitators)
    record_change(user=user, instance=partnership, changed_fields=changed_fields, created=created)
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
    partnership.save(update_fields=["status", "updated_at"])
    record_change(user=user, instance=partnership, changed_fields=["status"])
    return change


@transaction.atomic
def member_add(
    *, partnership: Partnership, organization: Organization, role: str, user: User | None = None
) -> PartnershipMember:
    if organization.archived_at is not None:
        raise EngagementRuleError(_("An archived organization cannot join a partnership."))
    try:
        with transaction.atomic():
            member = PartnershipMember.objects.create(partnership=partnership, organization=organization, role=role)
    except IntegrityError:
        raise EngagementRuleError(_("%(name)s is already a member.") % {"name": organization.name}) from None
    record_part_change(user=user, parent=partnership, part=member, action="added")
    return member


@transaction.atomic
def member_remove(*, member: PartnershipMember, user: User | None = None) -> None:
    if member.activity_roles.filter(role=Raci.ACCOUNTABLE).exists():
        raise EngagementRuleError(
            _("%(name)s is accountable for activities: make another member accountable first.")
            % {"name": member.organization.name}
        )
    member.delete()
    record_part_change(user=user, parent=member.partnership, part=member, action="deleted")


@transaction.atomic
def goal_save(
    *,
    user: User | None = None,
    goal: SharedGoal,
    benefits: dict[PartnershipMember, str] | None = None,
    changed_fields: list[str] | None = None,
) -> SharedGoal:
    created = goal.pk is None
    if created:
        last = SharedGoal.objects.filter(partnership=goal.partnership).aggregate(Max("position"))["position__max"]
        goal.position = (last or 0) + 1
    goal.full_clean()
    goal.save()
    for member, text in (benefits or {}).items():
        if text.strip():
            GoalBenefit.objects.update_or_create(goal=goal, member=member, defaults={"benefit": text.strip()})
        else:
            GoalBenefit.objects.filter(goal=goal, member=member).delete()
    record_change(user=user, instance=goal, changed_fields=changed_fields, created=created)
    record_part_change(
        user=user,
        parent=goal.partnership,
        part=goal,
        action="added" if created else "changed",
        changed_fields=changed_fields,
    )
    return goal


def progress_record(
    *, user: User, goal: SharedGoal, value: Decimal, measured_on: datetime.date, note: str = ""
) -> ProgressUpdate:
    if measured_on > timezone.localdate():
        raise EngagementRuleError(_("Progress cannot be measured in the future."))
    update = ProgressUpdate(goal=goal, value=value, measured_on=measured_on, note=note.strip(), recorded_by=user)
    update.full_clean()
    update.save()
    record_part_change(user=user, parent=goal.partnership, part=update, action="added")
    return update


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
    be "A".
    """
    if activity.goal and activity.goal.partnership_id != activity.partnership_id:
        raise EngagementRuleError(_("The goal belongs to another partnership."))
    if roles is not None:
        accountable = [member for member, role in roles.items() if role == Raci.ACCOUNTABLE]
        if len(accountable) != 1:
            raise EngagementRuleError(_("Choose exactly one accountable member organization."))
    created = activity.pk is None
    if created:
        activity.position = _next_activity_position(activity.partnership)
    activity.full_clean()
    activity.save()
    record_change(user=user, instance=activity, changed_fields=changed_fields, created=created)
    record_part_change(
        user=user,
        parent=activity.partnership,
        part=activity,
        action="added" if created else "changed",
        changed_fields=changed_fields,
    )
    if roles is not None:
        ActivityRole.objects.filter(activity=activity).delete()
        ActivityRole.objects.bulk_create(
            ActivityRole(activity=activity, member=member, role=role, contact=(contacts or {}).get(member))
            for member, role in roles.items()
            if role
        )
    return activity


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
                other.save(update_fields=["role"])
                note = _("%(name)s is now Responsible instead of Accountable.") % {
                    "name": other.member.organization.name
                }
    if not role:
        if current:
            current.delete()
    elif current:
        current.role = role
        current.save(update_fields=["role"])
    else:
        ActivityRole.objects.create(activity=activity, member=member, role=role)
    Activity.objects.filter(pk=activity.pk).update(updated_at=timezone.now())
    record_change(user=user, instance=activity, changed_fields=["roles"])
    record_part_change(
        user=user, parent=activity.partnership, part=activity, action="changed", changed_fields=["roles"]
    )
    return note


def activity_set_status(*, user: User, activity: Activity, status: str) -> Activity:
    if status not in ActivityStatus.values:
        raise EngagementRuleError(_("Choose one of the activity statuses."))
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    record_change(user=user, instance=activity, changed_fields=["status"])
    record_part_change(
        user=user, parent=activity.partnership, part=activity, action="changed", changed_fields=["status"]
    )
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
    record_part_change(user=user, parent=partnership, part=revision, action="added")
    return revision


def share_link_create(
    *,
    user: User,
    partnership: Partnership,
    expires_on: datetime.date,
    label: str = "",
    shows_working_plan: bool = False,
) -> ShareLink:
    if expires_on < timezone.localdate():
        raise EngagementRuleError(_("The expiry date must be today or later."))
    link = ShareLink.objects.create(
        partnership=partnership,
        token=secrets.token_urlsafe(24),
        expires_on=expires_on,
        label=label,
        shows_working_plan=shows_working_plan,
        created_by=user,
    )
    record_part_change(user=user, parent=partnership, part=link, action="added")
    return link


def share_link_revoke(*, link: ShareLink, user: User | None = None) -> None:
    if ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        record_part_change(
            user=user, parent=link.partnership, part=link, action="changed", changed_fields=["revoked_at"]
        )


def share_link_count_view(*, link: ShareLink) -> None:
    """Counted in the database, so two views at once both count."""
    from django.db.models import F

    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=timezone.now())


def contact_may_join(*, contact: Contact, partnership: Partnership) -> bool:
    return partnership.members.filter(organization_id=contact.organization_id).exists()


# --- Check-ins -----------------------------------------------------------------


def schedule_refresh(*, schedule: CheckInSchedule) -> CheckInSchedule:
    """Recompute the stored dates from the schedule and its latest check-in."""
    latest = schedule.partnership.check_ins.order_by("-held_at").values_list("held_at", flat=True).first()
    zone = zoneinfo.ZoneInfo(schedule.time_zone)
    schedule.last_held_on = timezone.localtime(latest, zone).date() if latest else None
    dates = schedules.derive(schedule, schedule.last_held_on)
    for name, value in vars(dates).items():
        setattr(schedule, name, value)
    return schedule


@transaction.atomic
def schedule_save(*, user: User, schedule: CheckInSchedule) -> CheckInSchedule:
    schedule.full_clean()
    schedule_refresh(schedule=schedule)
    schedule.save()
    record_change(user=user, instance=schedule.partnership, changed_fields=["check-in schedule"])
    return schedule


@transaction.atomic
def check_in_record(
    *, user: User, check_in: CheckIn, contacts: Iterable[Contact] = (), participants: Iterable[User] = ()
) -> CheckIn:
    """Log a check-in: it restarts the clock of the partnership's schedule."""
    if check_in.held_at > timezone.now() + datetime.timedelta(minutes=5):
        raise EngagementRuleError(_("A check-in that was held cannot be in the future."))
    contacts = list(contacts)
    members = set(check_in.partnership.members.values_list("organization_id", flat=True))
    if any(contact.organization_id not in members for contact in contacts):
        raise EngagementRuleError(_("Only contacts of member organizations can take part."))
    check_in.recorded_by = user
    check_in.full_clean()
    check_in.save()
    check_in.contacts.set(contacts)
    check_in.participants.set(list(participants))
    record_part_change(user=user, parent=check_in.partnership, part=check_in, action="added")
    schedule = CheckInSchedule.objects.select_for_update().filter(partnership=check_in.partnership).first()
    if schedule is not None:
        schedule_refresh(schedule=schedule)
        schedule.save()
    return check_in


@transaction.atomic
def next_step_to_activity(*, user: User, check_in: CheckIn, step: int) -> Activity:
    """One click: a next step of a check-in becomes an activity of the plan, at most once.

    The lead (or first) member is accountable until the facilitator changes it.
    A step that is already an activity raises an error naming it; the database
    constraint keeps "at most once" true under double clicks and races too.
    """
    steps = check_in.next_step_lines()
    if not 0 <= step < len(steps):
        raise EngagementRuleError(_("This check-in has no such next step."))
    existing = Activity.objects.filter(source_check_in=check_in, source_step=step).first()
    if existing is not None:
        raise EngagementRuleError(_("This next step is already the activity “%(title)s”.") % {"title": existing.title})
    members = selectors.members_of(check_in.partnership)
    if not members:
        raise EngagementRuleError(_("Add member organizations to the partnership first: roles are given to them."))
    activity = Activity(
        partnership=check_in.partnership, title=steps[step][:200], source_check_in=check_in, source_step=step
    )
    try:
        with transaction.atomic():
            return activity_save(user=user, activity=activity, roles={members[0]: Raci.ACCOUNTABLE})
    except IntegrityError:
        raise EngagementRuleError(_("This next step is already an activity of the plan.")) from None
