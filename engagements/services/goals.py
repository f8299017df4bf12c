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
from partners.history import record_change_with_parent, record_part_change


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
    record_change_with_parent(
        user=user, instance=goal, parent=goal.partnership, changed_fields=changed_fields, created=created
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
