from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from engagements import outbox, services
from engagements.models import (
    Activity,
    ActivityRole,
    CheckIn,
    CheckInSchedule,
    GoalBenefit,
    Invitation,
    Partnership,
    PartnershipMember,
    PlanRevision,
    PlanTemplate,
    ProgressUpdate,
    Reminder,
    ReminderStatus,
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


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ("partnership", "cadence", "interval", "due_on", "late_from", "paused", "time_zone")
    list_filter = ("cadence", "paused", "time_zone")
    search_fields = ("partnership__title",)
    autocomplete_fields = ["partnership"]
    readonly_fields = ("last_held_on", "planned_on", "due_on", "remind_from", "late_from", "dormant_from")
    list_select_related = ["partnership"]

    def save_model(self, request, obj, form, change) -> None:
        services.schedule_save(user=request.user, schedule=obj)  # keeps the derived dates right


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("partnership", "held_at", "channel", "recorded_by")
    list_filter = ("channel", "held_at")
    search_fields = ("partnership__title", "summary", "decisions", "next_steps")
    autocomplete_fields = ["partnership", "contacts", "participants"]
    list_select_related = ["partnership", "recorded_by"]
    date_hierarchy = "held_at"


@admin.action(description=_("Retry the failed reminders"))
def retry_failed(modeladmin, request, queryset) -> None:
    failed = list(queryset.filter(status=ReminderStatus.FAILED))
    for reminder in failed:
        outbox.reminder_retry(reminder)
    message = ngettext("%(count)s reminder will be sent again.", "%(count)s reminders will be sent again.", len(failed))
    modeladmin.message_user(request, message % {"count": len(failed)})


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("created_at", "partnership", "kind", "email", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "digest", "created_at")
    search_fields = ("email", "partnership__title", "last_error")
    list_select_related = ["partnership"]
    readonly_fields = [field.name for field in Reminder._meta.fields]
    actions = [retry_failed]

    def has_add_permission(self, request) -> bool:  # written by the sweep only
        return False
