"""Every write that has a business rule, one module per domain: ``services.<domain>.<entity>_<action>``.

The submodules are imported here so that ``from engagements import services``
gives ``services.plans.plan_agree``; nothing else is re-exported.
"""

from __future__ import annotations

from engagements.services import (
    checkins,
    commitments,
    goals,
    health,
    health_checks,
    invitations,
    learning,
    outbox,
    partnerships,
    plan_templates,
    plans,
    reminders,
    risks,
    sharing,
    standing,
    trust,
    whatsapp,
)

__all__ = [
    "checkins",
    "commitments",
    "goals",
    "health",
    "health_checks",
    "invitations",
    "learning",
    "outbox",
    "partnerships",
    "plan_templates",
    "plans",
    "reminders",
    "risks",
    "sharing",
    "standing",
    "trust",
    "whatsapp",
]
