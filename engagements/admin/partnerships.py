"""Admin of partnerships, their members and status changes.

The status changes only with a reason and along the allowed transitions:
read-only on the partnership, changed by adding a status change (through the
service) or on the app's status page. Members join and leave through the
services, which keep their rules (no archived group, no accountable member
leaving).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from engagements import services
from engagements.errors import EngagementRuleError
from engagements.models import (
    Activity,
    Partnership,
    PartnershipMember,
    SharedGoal,
    StatusChange,
)
from partners.admin import HistoryAdmin, RulesAdminMixin
from partners.services import PartnerRuleError

RULE_ERRORS = (EngagementRuleError, PartnerRuleError)


class EngagementsHistoryAdmin(HistoryAdmin):
    rule_errors = RULE_ERRORS


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
    """Read-only: an activity is saved with its roles, on its own page (exactly one Accountable)."""

    model = Activity
    fields = ("title", "goal", "due_date", "status", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # written by the app
        return False


def save_members(request, formset) -> None:
    """The member rows of an admin formset, each through the services."""
    for member in formset.save(commit=False):
        if member.pk is None:
            joined_on = member.joined_on
            member = services.partnerships.member_add(
                user=request.user, partnership=member.partnership, organization=member.organization, role=member.role
            )
            if member.joined_on != joined_on:
                member.joined_on = joined_on
                member.save(update_fields=["joined_on"])
        else:
            member.save()
    for member in formset.deleted_objects:
        services.partnerships.member_remove(user=request.user, member=member)


@admin.register(Partnership)
class PartnershipAdmin(EngagementsHistoryAdmin):
    list_display = ("title", "status", "start_date", "end_date", "updated_at")
    list_filter = ("status", "start_date")
    search_fields = ("title", "purpose", "members__organization__name")
    autocomplete_fields = ["facilitators"]
    readonly_fields = ("status", "status_change", "created_at", "updated_at", "created_by")
    inlines = [PartnershipMemberInline, SharedGoalInline, ActivityInline, StatusChangeInline]

    @admin.display(description=_("change of status"))
    def status_change(self, obj: Partnership) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("engagements:partnership_status", args=[obj.pk]),
            _("Change the status in Rekan, with the reason why"),
        )

    def save_model(self, request, obj, form, change) -> None:
        # The facilitators chosen in the form are set right after, with the other relations.
        services.partnerships.partnership_save(user=request.user, partnership=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A partnership with a trust log is kept for good (the log is PROTECTed): close it instead.
        if obj is not None and obj.trust_entries.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        partnership = self.get_object(request, unquote(object_id))
        if partnership is not None and partnership.trust_entries.exists():
            self.message_user(
                request,
                _("This partnership has a trust log, which is kept for good: close the partnership instead."),
                messages.ERROR,
            )
            return redirect(reverse("admin:engagements_partnership_change", args=[partnership.pk]))
        return super().delete_view(request, object_id, extra_context)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is PartnershipMember:
            save_members(request, formset)
        elif formset.model is SharedGoal:
            for goal in formset.save(commit=False):
                services.goals.goal_save(user=request.user, goal=goal)
            for goal in formset.deleted_objects:
                goal.delete()
        else:
            super().save_formset(request, form, formset, change)


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(EngagementsHistoryAdmin):
    list_display = ("organization", "partnership", "role", "joined_on")
    list_filter = ("role",)
    search_fields = ("organization__name", "partnership__title")
    autocomplete_fields = ["organization", "partnership"]
    list_select_related = ["organization", "partnership"]

    def get_readonly_fields(self, request, obj=None):
        return ("partnership", "organization") if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        member = services.partnerships.member_add(
            user=request.user, partnership=obj.partnership, organization=obj.organization, role=obj.role
        )
        obj.pk = member.pk
        obj._state.adding = False
        if obj.joined_on != member.joined_on:
            obj.save(update_fields=["joined_on"])

    def delete_model(self, request, obj) -> None:
        services.partnerships.member_remove(user=request.user, member=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:  # all of them, or none if one is accountable
        for member in queryset:
            services.partnerships.member_remove(user=request.user, member=member)


STATUS_CHANGE_FIELDS = ["partnership", "to_status", "reason"]


class StatusChangeForm(forms.ModelForm):
    class Meta:
        model = StatusChange
        fields = STATUS_CHANGE_FIELDS


@admin.register(StatusChange)
class StatusChangeAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Append-only: adding a status change changes the status, through the service; nothing else."""

    rule_errors = RULE_ERRORS
    list_display = ("partnership", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status",)
    search_fields = ("partnership__title", "reason")
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership", "changed_by"]
    form = StatusChangeForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return STATUS_CHANGE_FIELDS
        return ("partnership", "from_status", "to_status", "reason", "changed_by", "changed_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        change = services.partnerships.partnership_set_status(
            user=request.user, partnership=obj.partnership, status=obj.to_status, reason=obj.reason
        )
        obj.pk, obj.from_status, obj.changed_by, obj.changed_at = (
            change.pk,
            change.from_status,
            change.changed_by,
            change.changed_at,
        )
        obj._state.adding = False
