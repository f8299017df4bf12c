"""Check-ins as a partnership page shows them."""

from __future__ import annotations

from dataclasses import dataclass

from engagements.models import (
    Activity,
    CheckIn,
    Partnership,
)


@dataclass(frozen=True)
class NextStep:
    number: int
    text: str
    activity: Activity | None


def next_steps_of(check_in: CheckIn) -> list[NextStep]:
    """Each next step with the activity it became, if any (one query)."""
    made = {a.source_step: a for a in Activity.objects.filter(source_check_in=check_in)}
    return [NextStep(n, text, made.get(n)) for n, text in enumerate(check_in.next_step_lines())]


def recent_check_ins(partnership: Partnership, *, limit: int = 5) -> list[CheckIn]:
    return list(partnership.check_ins.select_related("recorded_by")[:limit])
