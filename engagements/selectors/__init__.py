"""Reads that join, aggregate or depend on the viewer, one module per domain.

The submodules are imported here so that ``from engagements import selectors``
gives ``selectors.plans.plan_activities``; nothing else is re-exported.
"""

from __future__ import annotations

from engagements.selectors import (
    calendar,
    checkins,
    commitments,
    dashboard,
    goals,
    health,
    health_checks,
    invitations,
    learning,
    partnerships,
    plans,
    reminders,
    risks,
    sharing,
    trust,
    whatsapp,
)

__all__ = [
    "calendar",
    "checkins",
    "commitments",
    "dashboard",
    "goals",
    "health",
    "health_checks",
    "invitations",
    "learning",
    "partnerships",
    "plans",
    "reminders",
    "risks",
    "sharing",
    "trust",
    "whatsapp",
]
