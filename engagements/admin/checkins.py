"""Admin of check-in rhythms and check-ins."""

from __future__ import annotations

from django.contrib import admin

from engagements import services
from engagements.models import (
    CheckIn,
    CheckInSchedule,
)


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ("partnership", "cadence", "interval", "due_on", "late_from", "paused", "time_zone")
    list_filter = ("cadence", "paused", "time_zone")
    search_fields = ("partnership__title",)
    autocomplete_fields = ["partnership"]
    readonly_fields = ("last_held_on", "planned_on", "due_on", "remind_from", "late_from", "dormant_from")
    list_select_related = ["partnership"]

    def save_model(self, request, obj, form, change) -> None:
        services.checkins.schedule_save(user=request.user, schedule=obj)  # keeps the derived dates right


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("partnership", "held_at", "channel", "recorded_by")
    list_filter = ("channel", "held_at")
    search_fields = ("partnership__title", "summary", "decisions", "next_steps")
    autocomplete_fields = ["partnership", "contacts", "participants"]
    list_select_related = ["partnership", "recorded_by"]
    date_hierarchy = "held_at"
