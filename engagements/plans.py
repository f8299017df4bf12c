"""The plan as plain data: what an agreed revision freezes, and what changed since.

A snapshot holds only shared content (no internal notes), so a revision can
be shown to partner members and share-link viewers as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from engagements.models import Activity, ActivityRole, Partnership

TRACKED_FIELDS = ("title", "goal", "due_date", "status", "roles")


def plan_snapshot(partnership: Partnership) -> dict[str, object]:
    """Three queries whatever the size of the plan."""
    activities = (
        Activity.objects.filter(partnership=partnership)
        .select_related("goal")
        .prefetch_related(Prefetch("roles", queryset=ActivityRole.objects.select_related("member__organization")))
    )
    return {
        "activities": [
            {
                "id": activity.pk,
                "title": activity.title,
                "goal": activity.goal.statement if activity.goal else "",
                "due_date": activity.due_date.isoformat() if activity.due_date else "",
                "status": activity.status,
                "roles": {role.member.organization.name: role.role for role in activity.roles.all()},
            }
            for activity in activities
        ]
    }


@dataclass
class ActivityChange:
    title: str
    kind: str  # "added", "removed", "changed"
    fields: dict[str, tuple[object, object]] = field(default_factory=dict)


def plan_changes(before: dict[str, object], after: dict[str, object]) -> list[ActivityChange]:
    """Activities added, removed or changed between two snapshots."""
    old = {a["id"]: a for a in before.get("activities", [])}
    new = {a["id"]: a for a in after.get("activities", [])}
    changes = [ActivityChange(new[pk]["title"], "added") for pk in new if pk not in old]
    changes += [ActivityChange(old[pk]["title"], "removed") for pk in old if pk not in new]
    for pk in new.keys() & old.keys():
        fields = {
            name: (old[pk].get(name), new[pk].get(name))
            for name in TRACKED_FIELDS
            if old[pk].get(name) != new[pk].get(name)
        }
        if fields:
            changes.append(ActivityChange(new[pk]["title"], "changed", fields))
    return sorted(changes, key=lambda change: (change.kind, change.title))
