"""Admin of shared goals."""

from __future__ import annotations

from django.contrib import admin

from engagements.models import (
    GoalBenefit,
    ProgressUpdate,
    SharedGoal,
)


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
