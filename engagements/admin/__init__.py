"""The admin of engagements, one module per domain; importing them registers the admin classes."""

from __future__ import annotations

from engagements.admin import (
    checkins,
    goals,
    health_checks,
    learning,
    partnerships,
    plans,
    reminders,
    risks,
    sharing,
    trust,
)

__all__ = [
    "checkins",
    "goals",
    "health_checks",
    "learning",
    "partnerships",
    "plans",
    "reminders",
    "risks",
    "sharing",
    "trust",
]
