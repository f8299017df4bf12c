"""Mark a partnership's stored standing stale when a fact behind its flags or health score is written.

The standings (``models.standing``) are derived data that Today and the
partnership list count and sort by. A refresh works them out again, which
costs queries and Python: so a write does not refresh, it only marks the
rows of the partnerships it touches as stale (one UPDATE), and the next page
that reads them refreshes the stale ones it needs (``services.standing.
standing_refresh_stale``). That is what makes a promise broken this
morning show on Today at the next reload, as the live computation did.

Receivers of ``post_save`` and ``post_delete``: the facts are written by
services of two apps (partners knows nothing of partnerships), and a
receiver is the one place that sees every write of a model. They hold no
rule: they only say which partnerships a row belongs to. Bulk writes send
no signal: the code that uses them (data imports, the bench's seed) runs
``standing_refresh_all`` or waits for beat.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

# Before any refresh: a row with this date is refreshed by the next page that reads it.
STALE = "2000-01-01T00:00:00Z"


def _mark_partnerships(**lookup: Any) -> None:
    from engagements.models import Standing

    Standing.objects.filter(**lookup).update(refreshed_at=STALE)


def _by_partnership(sender: type[Model], instance: Any, **_kwargs: Any) -> None:
    _mark_partnerships(partnership_id=instance.partnership_id)


def _by_goal(sender: type[Model], instance: Any, **_kwargs: Any) -> None:
    _mark_partnerships(partnership__goals=instance.goal_id)


def _by_round(sender: type[Model], instance: Any, **_kwargs: Any) -> None:
    _mark_partnerships(partnership__health_check_rounds=instance.round_id)


def _by_organization(sender: type[Model], instance: Any, **_kwargs: Any) -> None:
    _mark_partnerships(partnership__members__organization_id=instance.organization_id)


def _partnership(sender: type[Model], instance: Any, **_kwargs: Any) -> None:
    _mark_partnerships(partnership_id=instance.pk)


def _organization(sender: type[Model], instance: Any, **_kwargs: Any) -> None:
    _mark_partnerships(partnership__members__organization_id=instance.pk)


def connect() -> None:
    """Called once from the app's ``ready``."""
    from engagements import models as e
    from partners import models as p

    receivers: list[tuple[type[Model], Any]] = [
        (e.Partnership, _partnership),
        (e.PartnershipMember, _by_partnership),
        (e.CheckInSchedule, _by_partnership),
        (e.CheckIn, _by_partnership),
        (e.Commitment, _by_partnership),
        (e.Risk, _by_partnership),
        (e.FlagAcknowledgement, _by_partnership),
        (e.SharedGoal, _by_partnership),
        (e.HealthCheckRound, _by_partnership),
        (e.ProgressUpdate, _by_goal),
        (e.HealthCheckAnswer, _by_round),
        (p.Organization, _organization),
        (p.LeadershipTerm, _by_organization),
        (p.Interaction, _by_organization),
    ]
    for model, receiver in receivers:
        uid = f"standing-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
