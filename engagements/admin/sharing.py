"""Admin of invitations and share links."""

from __future__ import annotations

from django.contrib import admin

from engagements.models import (
    Invitation,
    ShareLink,
)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "partnership", "contact", "expires_at", "accepted_at")
    list_filter = (("accepted_at", admin.EmptyFieldListFilter),)
    search_fields = ("email", "partnership__title", "contact__name")
    readonly_fields = ("token_hash",)
    autocomplete_fields = ["partnership", "contact", "user"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("partnership", "label", "expires_on", "revoked_at", "view_count", "last_viewed_at")
    list_filter = ("expires_on", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("partnership__title", "label")
    readonly_fields = ("token", "view_count", "last_viewed_at")
    autocomplete_fields = ["partnership"]
