"""Admin of the health check: rounds to read and close; answers to read only, for they are people's own words."""

from __future__ import annotations

from django.contrib import admin

from engagements.models import HealthCheckAnswer, HealthCheckRound


@admin.register(HealthCheckRound)
class HealthCheckRoundAdmin(admin.ModelAdmin):
    list_display = ("partnership", "opened_on", "closes_on", "rhythm_months", "closed_at")
    list_filter = ("opened_on",)
    search_fields = ("partnership__title",)
    autocomplete_fields = ["partnership"]
    readonly_fields = ("opened_by",)
    list_select_related = ["partnership"]


@admin.register(HealthCheckAnswer)
class HealthCheckAnswerAdmin(admin.ModelAdmin):
    list_display = ("round", "side", "organization", "statement", "score")
    list_filter = ("side", "statement")
    search_fields = ("round__partnership__title",)
    list_select_related = ["round__partnership", "organization"]
    readonly_fields = [field.name for field in HealthCheckAnswer._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
