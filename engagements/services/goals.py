"""Writes about shared goals and their progress."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import (
    GoalBenefit,
    PartnershipMember,
    ProgressUpdate,
    SharedGoal,
)
from partners.history import attribute_to


@transaction.atomic
def goal_save(
    *,
    user: User | None = None,
    goal: SharedGoal,
    benefits: dict[PartnershipMember, str] | None = None,
    changed_fields: list[str] | None = None,
) -> SharedGoal:
    """``changed_fields`` is no longer needed: the history compares the records."""
    if goal.pk is None:
        last = SharedGoal.objects.filter(partnership=goal.partnership).aggregate(Max("position"))["position__max"]
        goal.position = (last or 0) + 1
    goal.full_clean()
    attribute_to(user, goal)
    goal.save()
    existing = {benefit.member_id: benefit for benefit in GoalBenefit.objects.filter(goal=goal)}
    for member, text in (benefits or {}).items():
        benefit = existing.get(member.pk) or GoalBenefit(goal=goal, member=member)
        attribute_to(user, benefit)
        if text.strip() and text.strip() != benefit.benefit:
            benefit.benefit = text.strip()
            benefit.save()
        elif not text.strip() and benefit.pk is not None:
            benefit.delete()
    return goal


def progress_record(
    *, user: User, goal: SharedGoal, value: Decimal, measured_on: datetime.date, note: str = ""
) -> ProgressUpdate:
    if measured_on > timezone.localdate():
        raise EngagementRuleError(_("Progress cannot be measured in the future."))
    update = ProgressUpdate(goal=goal, value=value, measured_on=measured_on, note=note.strip(), recorded_by=user)
    update.full_clean()
    attribute_to(user, update)
    update.save()
    return update
