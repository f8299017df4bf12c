"""Admin of check-in rhythms and check-ins: saved through the services, so the clock stays right.

A schedule's dates are derived (read-only, recomputed on save); a check-in
added, moved or deleted here restarts the clock as one logged in the app.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from engagements import services
from engagements.admin.partnerships import EngagementsHistoryAdmin
from engagements.models import (
    CheckIn,
    CheckInSchedule,
)


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(EngagementsHistoryAdmin):
    list_display = ("partnership", "cadence", "interval", "due_on", "late_from", "paused", "time_zone")
    list_filter = ("cadence", "paused", "time_zone")
    search_fields = ("partnership__title",)
    autocomplete_fields = ["partnership"]
    readonly_fields = ("last_held_on", "planned_on", "due_on", "remind_from", "late_from", "dormant_from")
    list_select_related = ["partnership"]

    def save_model(self, request, obj, form, change) -> None:
        services.checkins.schedule_save(user=request.user, schedule=obj)  # keeps the derived dates right


@admin.register(CheckIn)
class CheckInAdmin(EngagementsHistoryAdmin):
    list_display = ("partnership", "held_at", "channel", "recorded_by")
    list_filter = ("channel", "held_at")
    search_fields = ("partnership__title", "summary", "decisions", "next_steps")
    autocomplete_fields = ["partnership", "contacts", "participants"]
    readonly_fields = ("recorded_by",)
    list_select_related = ["partnership", "recorded_by"]
    date_hierarchy = "held_at"

    def get_readonly_fields(self, request, obj=None):
        return ("partnership", "recorded_by") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        pass  # saved with the people who took part, in save_related

    def save_related(self, request, form, formsets, change) -> None:
        services.checkins.check_in_record(
            user=request.user,
            check_in=form.instance,
            contacts=form.cleaned_data["contacts"],
            participants=form.cleaned_data["participants"],
        )

    def delete_model(self, request, obj) -> None:
        services.checkins.check_in_delete(user=request.user, check_in=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for check_in in queryset:
            services.checkins.check_in_delete(user=request.user, check_in=check_in)
