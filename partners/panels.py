"""Sections of the organization profile that other apps contribute.

``partners`` must not import ``engagements`` (engagements imports partners,
never the reverse), yet the profile should show the group's partnerships and
what was learned with it. So the profile asks a small registry: an app that
knows more about an organization registers a panel function in its
``AppConfig.ready()``, and the profile view renders each panel it returns, in
the order they were registered. A panel function takes the viewer and the
organization, costs a fixed number of queries, and returns ``None`` when it
has nothing to show that viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from partners.models import Organization


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[User, Organization], Panel | None]

PROFILE_PANELS: list[PanelFunction] = []


def register_profile_panel(panel: PanelFunction) -> PanelFunction:
    if panel not in PROFILE_PANELS:
        PROFILE_PANELS.append(panel)
    return panel


def profile_panels(user: User, organization: Organization) -> list[Panel]:
    return [panel for function in PROFILE_PANELS if (panel := function(user, organization)) is not None]
