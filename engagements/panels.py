"""What engagements adds to the organization profile (see ``partners.panels``): partnerships, lessons."""

from __future__ import annotations

from accounts.models import User
from engagements import selectors
from partners.models import Organization
from partners.panels import Panel


def partnerships_panel(user: User, organization: Organization) -> Panel | None:
    """The partnerships the group is in: its role, their status and check-in state, as far as the viewer may see."""
    memberships, total = selectors.partnerships.memberships_of_organization(user=user, organization_id=organization.pk)
    return Panel(
        "engagements/partnerships/_organization_panel.html",
        {"memberships": memberships, "total": total, "organization": organization},
    )


def lessons_panel(user: User, organization: Organization) -> Panel | None:
    """What was learned with the group, as far as the viewer may read (partner members: the shared lessons)."""
    lessons = selectors.learning.lessons_for_organization(user, organization)
    if not lessons:
        return None  # nothing to say: the profile shows no empty section for it
    return Panel("engagements/learning/_organization_panel.html", {"lessons": lessons, "organization": organization})
