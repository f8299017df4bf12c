"""Admin of shared goals: saved through the services, like the app's goal form."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from engagements import services
from engagements.admin.partnerships import EngagementsHistoryAdmin
from engagements.models import (
    GoalBenefit,
    ProgressUpdate,
    SharedGoal,
)


class GoalBenefitFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            member = form.cleaned_data.get("member") if hasattr(form, "cleaned_data") else None
            if member is not None and member.partnership_id != self.instance.partnership_id:
                form.add_error("member", _("This organization is not a member of the partnership."))


class GoalBenefitInline(admin.TabularInline):
    model = GoalBenefit
    formset = GoalBenefitFormSet
    autocomplete_fields = ["member"]
    extra = 0


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    fields = ("measured_on", "value", "note", "recorded_by")
    readonly_fields = ("recorded_by",)
    extra = 0


@admin.register(SharedGoal)
class SharedGoalAdmin(EngagementsHistoryAdmin):
    list_display = ("statement", "partnership", "target", "unit", "target_date", "status_override")
    list_filter = ("status_override", "target_date")
    search_fields = ("statement", "partnership__title")
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]
    inlines = [GoalBenefitInline, ProgressUpdateInline]

    def get_readonly_fields(self, request, obj=None):
        return ("partnership",) if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        services.goals.goal_save(user=request.user, goal=obj)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not ProgressUpdate:
            super().save_formset(request, form, formset, change)
            return
        for update in formset.save(commit=False):
            if update.pk is None:  # no progress measured in the future; recorded by whoever adds it
                services.goals.progress_record(
                    user=request.user,
                    goal=update.goal,
                    value=update.value,
                    measured_on=update.measured_on,
                    note=update.note,
                )
            else:
                update.save()
        for update in formset.deleted_objects:
            update.delete()
