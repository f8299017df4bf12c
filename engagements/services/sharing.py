"""Share links: create, revoke, count views."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import (
    Partnership,
    ShareLink,
)
from partners.history import attribute_to


def share_link_create(
    *,
    user: User,
    partnership: Partnership,
    expires_on: datetime.date,
    label: str = "",
    shows_working_plan: bool = False,
    include_commitments: bool = False,
) -> ShareLink:
    if expires_on < timezone.localdate():
        raise EngagementRuleError(_("The expiry date must be today or later."))
    link = ShareLink(
        partnership=partnership,
        token=share_link_token_new(),
        expires_on=expires_on,
        label=label,
        shows_working_plan=shows_working_plan,
        include_commitments=include_commitments,
        created_by=user,
    )
    attribute_to(user, link)
    link.save()
    return link


def share_link_token_new() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def share_link_revoke(*, link: ShareLink, user: User | None = None) -> None:
    """Revoke once: a second revoke (a double click) changes nothing."""
    current = ShareLink.objects.select_for_update().filter(pk=link.pk, revoked_at__isnull=True).first()
    if current is not None:
        current.revoked_at = timezone.now()
        attribute_to(user, current)
        current.save(update_fields=["revoked_at"])
        link.revoked_at = current.revoked_at


def share_link_count_view(*, link: ShareLink) -> None:
    """Counted in the database, so two views at once both count."""
    from django.db.models import F

    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=timezone.now())
