"""Who may see and change what. Views look records up here, tokens included.

Facilitators (and admins) see every partnership. A partner member sees the
partnerships their own organization belongs to, and may write only two
things: mark their organization's activities done, and add progress notes.
A partnership a user may not see answers 404; one they may only read, 403.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_facilitator, is_partner_member
from engagements.domain.plans import WORK_ROLES
from engagements.models import (
    Activity,
    ActivityStatus,
    CheckIn,
    Commitment,
    HealthCheckRound,
    HealthCheckSide,
    Lesson,
    Partnership,
    PartnershipMember,
    Reminder,
    Risk,
    SharedGoal,
    ShareLink,
    TrustEntry,
)
from engagements.selectors.risks import Flag, flags_of
from engagements.selectors.trust import entries_visible_to
from partners.models import Organization

UNSUBSCRIBE_SALT = "rekan.reminders.unsubscribe"


def unsubscribe_url(reminder: Reminder) -> str:
    token = signing.dumps(reminder.recipient_key, salt=UNSUBSCRIBE_SALT, compress=True)
    return settings.SITE_URL + reverse("engagements:unsubscribe", args=[token])


def recipient_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def partnerships_visible_to(user: User) -> QuerySet[Partnership]:
    if is_facilitator(user):
        return Partnership.objects.all()
    if is_partner_member(user):
        return Partnership.objects.filter(pk__in=partner_partnership_ids(user))
    return Partnership.objects.none()


def partner_partnership_ids(user: User) -> QuerySet:
    return Partnership.objects.filter(members__organization__members__user=user).values("pk")


def get_partnership_for_user(user: User, pk: int, *, write: bool = False) -> Partnership:
    # The schedule comes along: every partnership page shows its check-in badge.
    partnership = get_object_or_404(partnerships_visible_to(user).select_related("schedule"), pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return partnership


def get_goal_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> SharedGoal:
    goal = get_object_or_404(SharedGoal, partnership=partnership, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return goal


def get_activity_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> Activity:
    activity = get_object_or_404(Activity, partnership=partnership, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return activity


def get_member_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> PartnershipMember:
    """A member organization of a partnership already checked for this user; the organization comes along."""
    member = get_object_or_404(PartnershipMember.objects.select_related("organization"), partnership=partnership, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return member


def may_set_activity_status(user: User, activity: Activity, status: str) -> bool:
    """Facilitators set any status; partner members only mark their own group's activities done."""
    if is_facilitator(user):
        return True
    own = activity.roles.filter(role__in=WORK_ROLES, member__organization__members__user=user).exists()
    return own and status == ActivityStatus.DONE


def get_share_link(token: str) -> ShareLink:
    """A live share link, or 404: unknown, revoked and expired look the same."""
    link = get_object_or_404(ShareLink.objects.select_related("partnership"), token=token)
    if link.revoked_at is not None or link.expires_on < timezone.localdate():
        raise Http404
    return link


def get_share_link_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> ShareLink:
    """A share link of a partnership already checked for this user, live or not (to manage it)."""
    link = get_object_or_404(ShareLink, partnership=partnership, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return link


def get_check_in_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> CheckIn:
    check_in = get_object_or_404(CheckIn, partnership=partnership, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return check_in


def get_commitment_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> Commitment:
    """A commitment of a partnership already checked for this user (404 for another's), with what its pages show.

    ``write`` is a facilitator's change; marking a commitment kept is also open
    to the promising group's members, see ``may_mark_commitment_kept``.
    """
    commitment = get_object_or_404(
        Commitment.objects.select_related(
            "partnership__schedule", "promised_by", "promised_to", "promised_by_contact", "check_in", "renegotiated_as"
        ),
        partnership=partnership,
        pk=pk,
    )
    if write and not is_facilitator(user):
        raise PermissionDenied
    return commitment


def may_mark_commitment_kept(user: User, commitment: Commitment) -> bool:
    """Facilitators, and the partner members of the organization that promised."""
    if is_facilitator(user):
        return True
    return (
        commitment.promised_by_id is not None
        and user.organization_memberships.filter(organization_id=commitment.promised_by_id).exists()
    )


def reminders_visible_to(user: User) -> QuerySet[Reminder]:
    """Admins see every reminder; facilitators those of their partnerships."""
    if user.is_superuser:
        return Reminder.objects.all()
    if is_facilitator(user):
        return Reminder.objects.filter(partnership__facilitators=user)
    return Reminder.objects.none()


def get_reminder_for_user(user: User, pk: int) -> Reminder:
    """A reminder of this user's partnerships (any, for an admin), or 404."""
    return get_object_or_404(reminders_visible_to(user), pk=pk)


def get_calendar_owner(token: str) -> User:
    """The active user whose secret calendar address this is, or 404."""
    if len(token) < 20:
        raise Http404
    return get_object_or_404(User, calendar_token=token, is_active=True)


def get_trust_entry_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> TrustEntry:
    """An entry of a partnership already checked for this user: a facilitators-only entry is a 404 for partners."""
    entry = get_object_or_404(entries_visible_to(user, partnership), pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return entry


def lessons_visible_to(user: User) -> QuerySet[Lesson]:
    """Facilitators read the whole learning log; a partner member only what was shared, of their own partnerships."""
    if is_facilitator(user):
        return Lesson.objects.all()
    if is_partner_member(user):
        return Lesson.objects.filter(partnership__in=partner_partnership_ids(user), shared_with_partners=True)
    return Lesson.objects.none()


def get_lesson_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> Lesson:
    """A lesson of a partnership already checked for this user: another partnership's, or one not shared, is a 404."""
    lesson = get_object_or_404(
        lessons_visible_to(user).select_related("partnership__schedule", "created_by"), partnership=partnership, pk=pk
    )
    if write and not is_facilitator(user):
        raise PermissionDenied
    return lesson


def get_risk_for_user(user: User, partnership: Partnership, pk: int, *, write: bool = False) -> Risk:
    """A risk of a partnership already checked for this user: the members read the register, facilitators keep it."""
    risk = get_object_or_404(
        Risk.objects.select_related("partnership__schedule", "owner_organization", "created_by"),
        partnership=partnership,
        pk=pk,
    )
    if write and not is_facilitator(user):
        raise PermissionDenied
    return risk


def get_flag_for_user(user: User, partnership: Partnership, key: str, *, write: bool = False) -> Flag:
    """A flag raised now on a partnership already checked for this user, or 404 (an old key included).

    Flags are the facilitators' reading of the partnership: a partner member
    who may see the partnership is refused (403), reading or writing.
    """
    flag = next((flag for flag in flags_of(partnership) if flag.key == key), None)
    if flag is None:
        raise Http404
    if not is_facilitator(user):
        raise PermissionDenied
    return flag


def get_health_check_round_for_user(
    user: User, partnership: Partnership, pk: int, *, write: bool = False
) -> HealthCheckRound:
    """A health check round of a partnership already checked for this user: both sides answer, facilitators run it."""
    found = get_object_or_404(HealthCheckRound.objects.select_related("partnership"), partnership=partnership, pk=pk)
    if write and not is_facilitator(user):
        raise PermissionDenied
    return found


def health_check_side_for(user: User, partnership: Partnership) -> tuple[str, Organization | None] | None:
    """The side this user answers a health check for: the facilitating side, or their own member organization.

    A partner member in two member organizations of one partnership answers
    once, for the one that joined Rekan first (the lowest id). None: the user
    has no side in this partnership.
    """
    if is_facilitator(user):
        return HealthCheckSide.FACILITATORS, None
    if not is_partner_member(user):
        return None
    organization = (
        Organization.objects.filter(partnership_memberships__partnership=partnership, members__user=user)
        .order_by("pk")
        .first()
    )
    return None if organization is None else (HealthCheckSide.MEMBER, organization)
