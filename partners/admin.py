from __future__ import annotations

from django.contrib import admin

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
from partners.services import focus_area_key, search_document


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "role_in_group", "phone", "email", "consent_to_contact")
    extra = 0
    show_change_link = True


class LeadershipTermInline(admin.TabularInline):
    model = LeadershipTerm
    fields = ("leader", "title", "started_on", "ended_on")
    autocomplete_fields = ["leader"]
    extra = 0


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


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
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
    readonly_fields = ("created_at", "updated_at", "created_by")
    date_hierarchy = "created_at"
    inlines = [ChannelInline, ContactInline, LeadershipTermInline, StageChangeInline, OrganizationMemberInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Keep the directory's search text in step with admin edits.
        organization = form.instance
        organization.search_document = search_document(
            organization, organization.focus_areas.values_list("name", flat=True)
        )
        Organization.objects.filter(pk=organization.pk).update(search_document=organization.search_document)


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    list_display = ("name",)

    def save_model(self, request, obj, form, change) -> None:
        obj.key = focus_area_key(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "role_in_group", "phone", "email", "consent_to_contact", "erased_at")
    list_filter = (
        "preferred_channel",
        "preferred_language",
        "consent_to_contact",
        ("erased_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "phone", "email", "organization__name")
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(admin.ModelAdmin):
    list_display = ("organization", "leader", "title", "started_on", "ended_on")
    list_filter = (("ended_on", admin.EmptyFieldListFilter),)
    search_fields = ("organization__name", "leader__name")
    autocomplete_fields = ["organization", "leader"]
    list_select_related = ["organization", "leader"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("organization", "kind", "occurred_on", "recorded_by")
    list_filter = ("kind", "occurred_on")
    search_fields = ("organization__name", "summary", "follow_up")
    autocomplete_fields = ["organization", "contacts", "participants"]
    list_select_related = ["organization", "recorded_by"]
    date_hierarchy = "occurred_on"


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("organization", "from_stage", "to_stage", "changed_by", "changed_at")
    list_filter = ("to_stage",)
    search_fields = ("organization__name", "reason")
    autocomplete_fields = ["organization"]
    list_select_related = ["organization", "changed_by"]


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "organization")
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
