"""Admin of organizations and people: the same rules and the same history as the app.

Fields with a rule of their own (the stage, the archive, an erased person)
are read-only here or saved through ``partners.services``; a broken rule is
refused with a message and changes nothing. Every admin of a model with a
history is a ``HistoryAdmin``: its History page lists the changes of the
record and of its parts, as the app's pages do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from partners import services
from partners.history import history_for
from partners.models import (
    Channel,
    Contact,
    FocusArea,
    Interaction,
    LeadershipTerm,
    Organization,
    OrganizationMember,
    StageChange,
)
from partners.services import PartnerRuleError, focus_area_key

if TYPE_CHECKING:
    # What the mixin is mixed into, so that mypy knows its super() and message_user.
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class RulesAdminMixin(_AdminBase):
    """A service that refuses a change raises one of ``rule_errors``: the admin's
    transaction is rolled back and the page comes back with the reason.
    """

    rule_errors: ClassVar[tuple[type[Exception], ...]] = (PartnerRuleError,)

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.rule_errors as error:
            return self._refused(request, error)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except self.rule_errors as error:
            return self._refused(request, error)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except self.rule_errors as error:
            return self._refused(request, error)

    def _refused(self, request: HttpRequest, error: Exception) -> HttpResponse:
        self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class HistoryAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    """The History page lists the changes of the record and of its parts; no revert, which would skip the rules."""

    object_history_template = "admin/rekan_object_history.html"
    object_history_list_template = "admin/rekan_object_history_list.html"

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        context = {"changes": history_for(obj)} if obj is not None else {}
        return super().history_view(request, object_id, extra_context={**context, **(extra_context or {})})

    def revert_disabled(self, request: HttpRequest, obj: object = None) -> bool:
        return True

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "role_in_group", "phone", "email", "consent_to_contact")
    extra = 0
    show_change_link = True


class LeadershipTermInline(admin.TabularInline):
    """Read-only: a new leader closes the current term (the app's "New leader", or Add leadership term)."""

    model = LeadershipTerm
    fields = ("leader", "title", "started_on", "ended_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    fields = ("changed_at", "from_stage", "to_stage", "reason", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # the history is written by the app
        return False


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    autocomplete_fields = ["user"]
    extra = 0


@admin.action(description=_("Archive the selected organizations"))
def archive(modeladmin, request, queryset) -> None:
    organizations = list(queryset.filter(archived_at__isnull=True))
    for organization in organizations:
        services.organization_archive(user=request.user, organization=organization)
    message = ngettext(
        "%(count)s organization was archived.", "%(count)s organizations were archived.", len(organizations)
    )
    modeladmin.message_user(request, message % {"count": len(organizations)})


@admin.action(description=_("Restore the selected organizations from the archive"))
def restore(modeladmin, request, queryset) -> None:
    organizations = list(queryset.filter(archived_at__isnull=False))
    for organization in organizations:
        services.organization_restore(user=request.user, organization=organization)
    message = ngettext(
        "%(count)s organization was restored.", "%(count)s organizations were restored.", len(organizations)
    )
    modeladmin.message_user(request, message % {"count": len(organizations)})


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ("name", "kind", "province", "regency", "stage", "funding_stability", "archived_at", "updated_at")
    list_filter = (
        "kind",
        "stage",
        "funding_stability",
        "legal_status",
        "province",
        ("archived_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "mission", "regency", "focus_areas__name")
    autocomplete_fields = ["focus_areas"]
    # The stage changes with a reason (its own history), the archive through its actions.
    readonly_fields = ("stage", "stage_change", "archived_at", "created_at", "updated_at", "created_by")
    date_hierarchy = "created_at"
    actions = [archive, restore]
    inlines = [ChannelInline, ContactInline, LeadershipTermInline, StageChangeInline, OrganizationMemberInline]

    @admin.display(description=_("change of stage"))
    def stage_change(self, obj: Organization) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("partners:organization_stage", args=[obj.pk]),
            _("Change the stage in Rekan, with the reason why"),
        )

    def save_model(self, request, obj, form, change) -> None:
        # The service keeps the search text and the focus areas in step.
        names = [area.name for area in form.cleaned_data.get("focus_areas", [])]
        services.organization_save(user=request.user, organization=obj, focus_area_names=names)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Contact:
            super().save_formset(request, form, formset, change)
            return
        for contact in formset.save(commit=False):  # the consent date follows the consent
            services.contact_save(user=request.user, contact=contact)
        for contact in formset.deleted_objects:
            contact.delete()


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    list_display = ("name",)

    def save_model(self, request, obj, form, change) -> None:
        obj.key = focus_area_key(obj.name)
        super().save_model(request, obj, form, change)


@admin.action(description=_("Erase the personal data of the selected contacts"))
def erase(modeladmin, request, queryset) -> None:
    contacts = list(queryset.filter(erased_at__isnull=True))
    for contact in contacts:
        services.contact_erase(user=request.user, contact=contact)
    message = ngettext("%(count)s contact was erased.", "%(count)s contacts were erased.", len(contacts))
    modeladmin.message_user(request, message % {"count": len(contacts)})


@admin.register(Contact)
class ContactAdmin(HistoryAdmin):
    list_display = ("name", "organization", "role_in_group", "phone", "email", "consent_to_contact", "erased_at")
    list_filter = (
        "preferred_channel",
        "preferred_language",
        "consent_to_contact",
        "whatsapp_reminders",
        ("erased_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "phone", "email", "organization__name")
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    readonly_fields = ("erased_at",)
    actions = [erase]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.erased_at is not None:  # nothing is left to edit
            return [field.name for field in Contact._meta.fields]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        services.contact_save(user=request.user, contact=obj)


NEW_LEADER_FIELDS = ["organization", "leader", "title", "started_on"]


class LeadershipTermAddForm(forms.ModelForm):
    class Meta:
        model = LeadershipTerm
        fields = NEW_LEADER_FIELDS

    def validate_constraints(self) -> None:
        # "One current leader" holds once the service has closed the current term.
        pass


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(HistoryAdmin):
    list_display = ("organization", "leader", "title", "started_on", "ended_on")
    list_filter = (("ended_on", admin.EmptyFieldListFilter),)
    search_fields = ("organization__name", "leader__name")
    autocomplete_fields = ["organization", "leader"]
    list_select_related = ["organization", "leader"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:  # a new leader: the current term ends the day the new one starts
            kwargs["form"] = LeadershipTermAddForm
            kwargs["fields"] = NEW_LEADER_FIELDS
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("organization", "leader") if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        term = services.leadership_record(
            user=request.user,
            organization=obj.organization,
            leader=obj.leader,
            started_on=obj.started_on,
            title=obj.title,
        )
        obj.pk, obj.recorded_by, obj.recorded_at = term.pk, term.recorded_by, term.recorded_at
        obj._state.adding = False


@admin.register(Interaction)
class InteractionAdmin(HistoryAdmin):
    list_display = ("organization", "kind", "occurred_on", "recorded_by")
    list_filter = ("kind", "occurred_on")
    search_fields = ("organization__name", "summary", "follow_up")
    autocomplete_fields = ["organization", "contacts", "participants"]
    list_select_related = ["organization", "recorded_by"]
    date_hierarchy = "occurred_on"


STAGE_CHANGE_FIELDS = ["organization", "to_stage", "reason"]


class StageChangeForm(forms.ModelForm):
    class Meta:
        model = StageChange
        fields = STAGE_CHANGE_FIELDS


@admin.register(StageChange)
class StageChangeAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Append-only: adding a stage change changes the stage, through the service; nothing else."""

    list_display = ("organization", "from_stage", "to_stage", "changed_by", "changed_at")
    list_filter = ("to_stage",)
    search_fields = ("organization__name", "reason")
    autocomplete_fields = ["organization"]
    list_select_related = ["organization", "changed_by"]
    form = StageChangeForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return STAGE_CHANGE_FIELDS
        return ("organization", "from_stage", "to_stage", "reason", "changed_by", "changed_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        change = services.organization_set_stage(
            user=request.user, organization=obj.organization, stage=obj.to_stage, reason=obj.reason
        )
        obj.pk, obj.from_stage, obj.changed_by, obj.changed_at = (
            change.pk,
            change.from_stage,
            change.changed_by,
            change.changed_at,
        )
        obj._state.adding = False


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "organization")
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
