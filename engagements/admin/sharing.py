"""Admin of invitations and share links: tokens are never typed, links are revoked through the service."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from engagements import services
from engagements.admin.partnerships import EngagementsHistoryAdmin
from engagements.models import (
    Invitation,
    ShareLink,
)


@admin.register(Invitation)
class InvitationAdmin(EngagementsHistoryAdmin):
    """Invitations are sent from the partnership page, with a token that exists only in the email or WhatsApp."""

    list_display = (
        "contact",
        "channel",
        "email",
        "phone",
        "partnership",
        "expires_at",
        "accepted_at",
        "delivery_status",
    )
    list_filter = ("channel", ("accepted_at", admin.EmptyFieldListFilter), "delivery_status")
    search_fields = ("email", "phone", "partnership__title", "contact__name")
    readonly_fields = (
        "partnership",
        "contact",
        "channel",
        "email",
        "phone",
        "token_hash",
        "accepted_at",
        "user",
        "created_by",
        "send_started_at",
        "provider_message_id",
        "delivery_status",
        "delivery_status_at",
        "last_error",
    )

    def has_add_permission(self, request) -> bool:
        return False


@admin.action(description=_("Revoke the selected share links"))
def revoke(modeladmin, request, queryset) -> None:
    links = list(queryset.filter(revoked_at__isnull=True))
    for link in links:
        services.sharing.share_link_revoke(user=request.user, link=link)
    message = ngettext("%(count)s share link was revoked.", "%(count)s share links were revoked.", len(links))
    modeladmin.message_user(request, message % {"count": len(links)})


@admin.register(ShareLink)
class ShareLinkAdmin(EngagementsHistoryAdmin):
    list_display = ("partnership", "label", "expires_on", "revoked_at", "view_count", "last_viewed_at")
    list_filter = ("expires_on", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("partnership__title", "label")
    readonly_fields = ("token", "revoked_at", "view_count", "last_viewed_at", "created_by")
    autocomplete_fields = ["partnership"]
    actions = [revoke]

    def get_readonly_fields(self, request, obj=None):
        return ("partnership", *self.readonly_fields) if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        link = services.sharing.share_link_create(
            user=request.user,
            partnership=obj.partnership,
            expires_on=obj.expires_on,
            label=obj.label,
            shows_working_plan=obj.shows_working_plan,
            include_commitments=obj.include_commitments,
        )
        obj.pk, obj.token, obj.created_by = link.pk, link.token, link.created_by
        obj._state.adding = False
