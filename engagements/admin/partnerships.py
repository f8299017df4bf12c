"""Admin of partnerships, their members and status changes."""

from __future__ import annotations

from django.contrib import admin

from engagements.models import (
    Activity,
    Partnership,
    PartnershipMember,
    SharedGoal,
    StatusChange,
)


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    autocomplete_fields = ["organization"]
    extra = 0


class SharedGoalInline(admin.StackedInline):
    model = SharedGoal
    fields = ("statement", "baseline", "target", "unit", "start_date", "target_date", "status_override")
    extra = 0
    show_change_link = True


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ("title", "goal", "due_date", "status", "position")
    extra = 0
    show_change_link = True


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # written by the app
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "start_date", "end_date", "updated_at")
    list_filter = ("status", "start_date")
    search_fields = ("title", "purpose", "members__organization__name")
    autocomplete_fields = ["facilitators"]
    readonly_fields = ("created_at", "updated_at", "created_by")
    inlines = [PartnershipMemberInline, SharedGoalInline, ActivityInline, StatusChangeInline]


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(admin.ModelAdmin):
    list_display = ("organization", "partnership", "role", "joined_on")
    list_filter = ("role",)
    search_fields = ("organization__name", "partnership__title")
    autocomplete_fields = ["organization", "partnership"]
    list_select_related = ["organization", "partnership"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("partnership", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status",)
    search_fields = ("partnership__title", "reason")
    list_select_related = ["partnership", "changed_by"]
