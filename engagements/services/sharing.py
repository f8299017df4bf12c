"""Share links: create, revoke, count views."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import (
    Partnership,
    ShareLink,
)
from partners.history import record_part_change


def share_link_create(
    *,
    user: User,
    partnership: Partnership,
    expires_on: datetime.date,
    label: str = "",
    shows_working_plan: bool = False,
) -> ShareLink:
    if expires_on < timezone.localdate():
        raise EngagementRuleError(_("The expiry date must be today or later."))
    link = ShareLink.objects.create(
        partnership=partnership,
        token=secrets.token_urlsafe(24),
        expires_on=expires_on,
        label=label,
        shows_working_plan=shows_working_plan,
        created_by=user,
    )
    record_part_change(user=user, parent=partnership, part=link, action="added")
    return link


def share_link_revoke(*, link: ShareLink, user: User | None = None) -> None:
    if ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        record_part_change(
            user=user, parent=link.partnership, part=link, action="changed", changed_fields=["revoked_at"]
        )


def share_link_count_view(*, link: ShareLink) -> None:
    """Counted in the database, so two views at once both count."""
    from django.db.models import F

    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=timezone.now())
