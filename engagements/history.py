"""What belongs in a partnership's change history, and how each part is named there.

Registered with ``partners.history`` when the app is ready, so that
``history_for(partnership)`` reads the partnership with its members, goals,
progress, plan, roles, check-in rhythm, check-ins, share links, invitations,
risks, lessons and agreed revisions. An invitation is named by its
organization: the history holds no email address. Risks and lessons are
named by their title; the history is the facilitators' (it names risks and
lessons kept from the partners), so only their pages read it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils import timezone

from accounts.localtime import readable_date
from engagements.models import (
    Activity,
    ActivityRole,
    CheckIn,
    CheckInSchedule,
    GoalBenefit,
    Invitation,
    Lesson,
    Partnership,
    PartnershipMember,
    PlanRevision,
    PlanTemplate,
    ProgressUpdate,
    Risk,
    SharedGoal,
    ShareLink,
)
from partners.history import Log, Tracked, register


def _of(partnership: Partnership) -> Q:
    return Q(partnership_id=partnership.pk)


def _goals_of(partnership: Partnership) -> Q:
    return Q(goal_id__in=SharedGoal.history.filter(partnership_id=partnership.pk).values("id"))


def _activities_of(partnership: Partnership) -> Q:
    return Q(activity_id__in=Activity.history.filter(partnership_id=partnership.pk).values("id"))


def _parts_of_goal(goal: SharedGoal) -> Q:
    return Q(goal_id=goal.pk)


def _roles_of(activity: Activity) -> Q:
    return Q(activity_id=activity.pk)


def _member(row: Any) -> str:
    return f"{row.organization.name} ({row.get_role_display()})"


def _check_in(row: Any) -> str:
    return readable_date(timezone.localtime(row.held_at).date())


def _share_link(row: Any) -> str:
    return row.label or readable_date(row.expires_on)


def _progress(row: Any) -> str:
    # Written as the goal pages write numbers: grouped, no useless decimals.
    return f"{floatformat(row.value, '-2g')} ({readable_date(row.measured_on)})"


def register_partnership_history() -> None:
    register(
        Partnership,
        Tracked(
            label=lambda row: row.title,
            parts=(
                (PartnershipMember, _of),
                (SharedGoal, _of),
                (GoalBenefit, _goals_of),
                (ProgressUpdate, _goals_of),
                (Activity, _of),
                (ActivityRole, _activities_of),
                (CheckInSchedule, _of),
                (CheckIn, _of),
                (ShareLink, _of),
                (Invitation, _of),
                (Risk, _of),
                (Lesson, _of),
            ),
            logs=(
                Log(
                    model=PlanRevision,
                    where=_of,
                    time="agreed_at",
                    user="agreed_by",
                    label=lambda revision: str(revision.number),
                ),
            ),
        ),
    )
    register(PartnershipMember, Tracked(label=_member, related=("organization",)))
    register(
        SharedGoal,
        Tracked(
            label=lambda row: row.statement,
            parts=((GoalBenefit, _parts_of_goal), (ProgressUpdate, _parts_of_goal)),
        ),
    )
    register(GoalBenefit, Tracked(label=lambda row: row.member.organization.name, related=("member__organization",)))
    register(ProgressUpdate, Tracked(label=_progress))
    register(Activity, Tracked(label=lambda row: row.title, parts=((ActivityRole, _roles_of),)))
    register(
        ActivityRole,
        Tracked(
            label=lambda row: f"{row.activity.title}: {row.member.organization.name}",
            related=("activity", "member__organization"),
        ),
    )
    register(CheckInSchedule, Tracked(label=lambda row: row.get_cadence_display()))
    register(CheckIn, Tracked(label=_check_in))
    register(ShareLink, Tracked(label=_share_link))
    register(Invitation, Tracked(label=lambda row: row.contact.organization.name, related=("contact__organization",)))
    register(PlanTemplate, Tracked(label=lambda row: row.name))
    register(Risk, Tracked(label=lambda row: row.title))
    register(Lesson, Tracked(label=lambda row: row.title))
