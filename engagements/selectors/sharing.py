"""What a share link shows: the agreed plan (or the working plan), and the commitments when it includes them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from engagements.domain.plans import plan_changes
from engagements.models import (
    Activity,
    ActivityStatus,
    Commitment,
    CommitmentSide,
    CommitmentState,
    Partnership,
    PlanRevision,
    Raci,
    ShareLink,
)
from engagements.selectors.commitments import today_of
from engagements.selectors.partnerships import members_of
from engagements.selectors.plans import latest_revision, plan_snapshot


@dataclass(frozen=True)
class SharedPlanRow:
    """One activity as a share page shows it: agreed (from a snapshot) or as it is now."""

    title: str
    goal: str
    due_date: datetime.date | None
    status_label: str
    shared_notes: str
    roles: list[tuple[str, str]]  # (role letter or "", its label), one per column


@dataclass(frozen=True)
class SharedPlan:
    columns: list[str]  # member organization names
    rows: list[SharedPlanRow]
    revision: PlanRevision | None
    is_working_plan: bool
    changed_since_agreed: bool


@dataclass(frozen=True)
class SharedCommitmentRow:
    """One commitment as a share page shows it: never a person's name, a reason or an internal note."""

    text: str
    promised_by: str  # an organization's name, or the facilitating side
    due_on: datetime.date
    state: str
    state_label: str
    is_late: bool


# A share page lists at most this many commitments, the earliest due first.
SHARED_COMMITMENTS_LIMIT = 200


def shared_commitments(partnership: Partnership) -> list[SharedCommitmentRow]:
    """The partnership's commitments for a share link that includes them (two queries whatever their number)."""
    today = today_of(partnership)
    found = (
        Commitment.objects.filter(partnership=partnership)
        .select_related("promised_by")
        .only("text", "promised_by_side", "promised_by__name", "due_on", "state")
        .order_by("due_on", "pk")[:SHARED_COMMITMENTS_LIMIT]
    )
    return [
        SharedCommitmentRow(
            text=commitment.text,
            promised_by=commitment.promised_by.name
            if commitment.promised_by_side == CommitmentSide.MEMBER and commitment.promised_by is not None
            else str(CommitmentSide.FACILITATORS.label),
            due_on=commitment.due_on,
            state=commitment.state,
            state_label=commitment.get_state_display(),
            is_late=commitment.state == CommitmentState.OPEN and commitment.due_on < today,
        )
        for commitment in found
    ]


def share_links_of(partnership: Partnership) -> QuerySet[ShareLink]:
    """Every share link of the partnership, revoked and expired ones too, for the facilitators' panel."""
    return ShareLink.objects.filter(partnership=partnership)


def shared_plan(partnership: Partnership, *, working_plan: bool) -> SharedPlan:
    """What a share link shows: the last agreed revision, or the working plan if the link says so.

    A partner group reads what was agreed, not edits made since; the page says
    when the working plan has moved on.
    """
    revision = latest_revision(partnership)
    members = members_of(partnership)
    current = plan_snapshot(partnership)
    changed = revision is not None and bool(plan_changes(revision.snapshot, current))
    snapshot = current if working_plan else (revision.snapshot if revision else {"activities": []})
    columns = [member.organization.name for member in members]
    for item in snapshot["activities"]:
        columns += [name for name in item["roles"] if name not in columns]
    # Notes are not part of what was agreed: the current shared notes of each activity.
    notes = dict(Activity.objects.filter(partnership=partnership).values_list("pk", "shared_notes"))
    rows = [
        SharedPlanRow(
            title=item["title"],
            goal=item["goal"],
            due_date=datetime.date.fromisoformat(item["due_date"]) if item["due_date"] else None,
            status_label=str(ActivityStatus(item["status"]).label),
            shared_notes=notes.get(item["id"], ""),
            roles=[(item["roles"].get(name, ""), _raci_label(item["roles"].get(name, ""))) for name in columns],
        )
        for item in snapshot["activities"]
    ]
    rows.sort(key=lambda row: (row.due_date is None, row.due_date or datetime.date.min))
    return SharedPlan(columns, rows, revision, working_plan, changed)


def _raci_label(letter: str) -> str:
    return str(Raci(letter).label) if letter else ""
