"""The plan as plain data: what changed between two snapshots.

A snapshot holds only shared content (no internal notes), so a revision can
be shown to partner members and share-link viewers as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TypedDict

from django.utils.translation import gettext_lazy as _

from accounts.localtime import readable_date
from engagements.models import ActivityStatus, Raci

# The roles that make an activity a member organization's own: they do the
# work (R) or answer for it (A). Their people get its reminders, see it under
# "what we are responsible for", and may mark it done.
WORK_ROLES = frozenset({Raci.RESPONSIBLE, Raci.ACCOUNTABLE})

TRACKED_FIELDS = {
    "title": _("title"),
    "goal": _("goal"),
    "due_date": _("due date"),
    "status": _("status"),
    "roles": _("roles"),
}


class ActivitySnapshot(TypedDict):
    """One activity as a plan revision freezes it (JSON: the due date as an ISO string, "" when none)."""

    id: int
    title: str
    goal: str
    due_date: str
    status: str
    roles: dict[str, str]  # member organization name -> RACI letter


class PlanSnapshot(TypedDict):
    activities: list[ActivitySnapshot]


@dataclass
class ActivityChange:
    title: str
    kind: str  # "added", "removed", "changed"
    # (label, before, after), readable as they are.
    fields: list[tuple[str, str, str]] = field(default_factory=list)


def _readable(name: str, value: object) -> str:
    if name == "roles":
        roles = value if isinstance(value, dict) else {}
        return ", ".join(f"{organization}: {role}" for organization, role in sorted(roles.items()))
    if name == "status" and value:
        return str(ActivityStatus(str(value)).label)
    if name == "due_date" and value:
        return readable_date(datetime.date.fromisoformat(str(value)))
    return str(value or "")


def plan_changes(before: PlanSnapshot, after: PlanSnapshot) -> list[ActivityChange]:
    """Activities added, removed or changed between two snapshots."""
    old = {a["id"]: a for a in before.get("activities", [])}
    new = {a["id"]: a for a in after.get("activities", [])}
    changes = [ActivityChange(new[pk]["title"], "added") for pk in new if pk not in old]
    changes += [ActivityChange(old[pk]["title"], "removed") for pk in old if pk not in new]
    for pk in new.keys() & old.keys():
        fields = [
            (str(label), _readable(name, old[pk].get(name)), _readable(name, new[pk].get(name)))
            for name, label in TRACKED_FIELDS.items()
            if old[pk].get(name) != new[pk].get(name)
        ]
        if fields:
            changes.append(ActivityChange(new[pk]["title"], "changed", fields))
    return sorted(changes, key=lambda change: (change.kind, change.title))
