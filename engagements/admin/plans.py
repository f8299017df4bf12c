"""Admin of the plan: activities with their roles, revisions, templates.

An activity is saved with its whole row of roles in one call of the
service, so the admin keeps "exactly one Accountable" as the app does.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from engagements import services
from engagements.admin.partnerships import EngagementsHistoryAdmin
from engagements.models import (
    Activity,
    ActivityRole,
    PlanRevision,
    PlanTemplate,
    Raci,
)


class ActivityRoleForm(forms.ModelForm):
    def validate_constraints(self) -> None:
        # Checked for the whole row of roles by the formset, and kept by the
        # service, which moves the A in order: checked row by row against
        # the saved roles, every move of the A would be refused.
        pass


class ActivityRoleFormSet(forms.BaseInlineFormSet):
    def kept(self) -> list[dict]:
        """The roles the activity has once this form is saved."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("member") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self.kept()
        members = [role["member"] for role in kept]
        if len(set(members)) != len(members):
            raise forms.ValidationError(_("Give each member organization one role."))
        for role in kept:
            if self.instance.partnership_id and role["member"].partnership_id != self.instance.partnership_id:
                raise forms.ValidationError(_("This organization is not a member of the partnership."))
        if [role["role"] for role in kept].count(Raci.ACCOUNTABLE) != 1:
            raise forms.ValidationError(_("Choose exactly one accountable member organization."))


class ActivityRoleInline(admin.TabularInline):
    model = ActivityRole
    form = ActivityRoleForm
    formset = ActivityRoleFormSet
    autocomplete_fields = ["member", "contact"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(EngagementsHistoryAdmin):
    list_display = ("title", "partnership", "due_date", "status")
    list_filter = ("status", "due_date")
    search_fields = ("title", "description", "partnership__title")
    autocomplete_fields = ["partnership", "goal"]
    list_select_related = ["partnership"]
    inlines = [ActivityRoleInline]

    def get_readonly_fields(self, request, obj=None):
        return ("partnership",) if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        pass  # saved with its roles, in save_related

    def save_related(self, request, form, formsets, change) -> None:
        roles = next(formset for formset in formsets if formset.model is ActivityRole)
        kept = roles.kept()
        services.plans.activity_save(
            user=request.user,
            activity=form.instance,
            roles={role["member"]: role["role"] for role in kept},
            contacts={role["member"]: role.get("contact") for role in kept},
        )
        form.save_m2m()
        # What the admin's own log reads; the history has the rows themselves.
        roles.new_objects, roles.changed_objects, roles.deleted_objects = [], [], []


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    list_display = ("partnership", "number", "agreed_by", "agreed_at")
    search_fields = ("partnership__title", "summary")
    list_select_related = ["partnership", "agreed_by"]
    readonly_fields = ("partnership", "number", "summary", "snapshot", "agreed_by", "agreed_at")

    def has_change_permission(self, request, obj=None) -> bool:  # an agreed revision is frozen
        return False


@admin.register(PlanTemplate)
class PlanTemplateAdmin(EngagementsHistoryAdmin):
    list_display = ("name", "created_by", "created_at")
    search_fields = ("name", "description")
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
