from __future__ import annotations

from django.contrib import admin

from engagements.models import (
    Activity,
    ActivityRole,
    GoalBenefit,
    Invitation,
    Partnership,
    PartnershipMember,
    PlanRevision,
    PlanTemplate,
    ProgressUpdate,
    SharedGoal,
    ShareLink,
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


class GoalBenefitInline(admin.TabularInline):
    model = GoalBenefit
    autocomplete_fields = ["member"]
    extra = 0


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    fields = ("measured_on", "value", "note", "recorded_by")
    readonly_fields = ("recorded_by",)
    extra = 0


@admin.register(SharedGoal)
class SharedGoalAdmin(admin.ModelAdmin):
    list_display = ("statement", "partnership", "target", "unit", "target_date", "status_override")
    list_filter = ("status_override", "target_date")
    search_fields = ("statement", "partnership__title")
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]
    inlines = [GoalBenefitInline, ProgressUpdateInline]


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


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(admin.ModelAdmin):
    list_display = ("organization", "partnership", "role", "joined_on")
    list_filter = ("role",)
    search_fields = ("organization__name", "partnership__title")
    autocomplete_fields = ["organization", "partnership"]
    list_select_related = ["organization", "partnership"]


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


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("partnership", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status",)
    search_fields = ("partnership__title", "reason")
    list_select_related = ["partnership", "changed_by"]
