"""The views, one module per domain; ``views.public`` holds every view open without logging in."""

from __future__ import annotations

from engagements.views import (
    checkins,
    commitments,
    dashboard,
    goals,
    health,
    health_checks,
    invitations,
    learning,
    partnerships,
    plan_templates,
    plans,
    public,
    reminders,
    risks,
    sharing,
    trust,
)

__all__ = [
    "checkins",
    "commitments",
    "dashboard",
    "goals",
    "health",
    "health_checks",
    "invitations",
    "learning",
    "partnerships",
    "plan_templates",
    "plans",
    "public",
    "reminders",
    "risks",
    "sharing",
    "trust",
]
