"""The trust log in the admin: to read, never to write.

Entries are appended by the app's services; the database refuses any change
or removal (engagements.append_only), and the admin does not offer them.
"""

from __future__ import annotations

from django.contrib import admin

from engagements.models import TrustEntry


@admin.register(TrustEntry)
class TrustEntryAdmin(admin.ModelAdmin):
    list_display = ("partnership", "sequence", "kind", "happened_at", "recorded_at", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("partnership__title",)
    list_select_related = ["partnership", "recorded_by"]
    ordering = ["partnership", "-sequence"]
    readonly_fields = [field.name for field in TrustEntry._meta.fields]
    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
