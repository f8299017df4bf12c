"""Admin of the learning log: saved and removed through the services, like the app's lesson form."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from engagements import services
from engagements.admin.partnerships import EngagementsHistoryAdmin
from engagements.models import Lesson


@admin.register(Lesson)
class LessonAdmin(EngagementsHistoryAdmin):
    list_display = ("title", "partnership", "kind", "happened_on", "shared_with_partners", "created_by")
    list_filter = ("kind", "shared_with_partners", "happened_on")
    search_fields = ("title", "body", "tags", "partnership__title")
    autocomplete_fields = ["partnership", "organizations", "goals", "activities"]
    readonly_fields = ("created_by", "created_at")
    list_select_related = ["partnership", "created_by"]
    date_hierarchy = "happened_on"

    def get_readonly_fields(self, request, obj=None):
        # A lesson stays in the partnership it was learned in; what it names must belong there too.
        return (*self.readonly_fields, "partnership") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        pass  # saved with what it names, in save_related

    def save_related(self, request, form, formsets, change) -> None:
        services.learning.lesson_save(
            user=request.user,
            lesson=form.instance,
            organizations=form.cleaned_data["organizations"],
            goals=form.cleaned_data["goals"],
            activities=form.cleaned_data["activities"],
        )

    def delete_model(self, request, obj) -> None:
        services.learning.lesson_delete(user=request.user, lesson=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for lesson in queryset:
            services.learning.lesson_delete(user=request.user, lesson=lesson)
