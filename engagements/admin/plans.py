"""Admin of the plan: activities, revisions, templates."""

from __future__ import annotations

from django.contrib import admin

from engagements.models import (
    Activity,
    ActivityRole,
    PlanRevision,
    PlanTemplate,
)


class ActivityRoleInline(admin.TabularInline):
    model = ActivityRole
    autocomplete_fields = ["member", "contact"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "partnership", "due_date", "status")
    list_filter = ("status", "due_date")
    search_fields = ("title", "description", "partnership__title")
    autocomplete_fields = ["partnership", "goal"]
    list_select_related = ["partnership"]
    inlines = [ActivityRoleInline]


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    list_display = ("partnership", "number", "agreed_by", "agreed_at")
    search_fields = ("partnership__title", "summary")
    list_select_related = ["partnership", "agreed_by"]
    readonly_fields = ("partnership", "number", "summary", "snapshot", "agreed_by", "agreed_at")

    def has_change_permission(self, request, obj=None) -> bool:  # an agreed revision is frozen
        return False


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "created_by", "created_at")
    search_fields = ("name", "description")
