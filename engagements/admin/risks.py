"""Admin of the risk register: risks saved through the services; flag acknowledgements to read only.

An acknowledgement is in the trust log too, which never changes: the admin
neither adds, edits nor removes one.
"""

from __future__ import annotations

from django.contrib import admin

from engagements import services
from engagements.admin.partnerships import EngagementsHistoryAdmin
from engagements.models import FlagAcknowledgement, Risk


@admin.register(Risk)
class RiskAdmin(EngagementsHistoryAdmin):
    list_display = ("title", "partnership", "category", "likelihood", "impact", "status", "review_on")
    list_filter = ("category", "status", "review_on")
    search_fields = ("title", "description", "partnership__title")
    autocomplete_fields = ["partnership", "owner_organization"]
    readonly_fields = ("from_flag", "created_by", "created_at", "closed_at")
    list_select_related = ["partnership"]

    def get_readonly_fields(self, request, obj=None):
        return ("partnership", *self.readonly_fields) if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        services.risks.risk_save(user=request.user, risk=obj)  # the owner must be a member; closed_at kept right


@admin.register(FlagAcknowledgement)
class FlagAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ("partnership", "flag_key", "acknowledged_by", "acknowledged_at")
    search_fields = ("partnership__title", "flag_key")
    list_select_related = ["partnership", "acknowledged_by"]
    readonly_fields = [field.name for field in FlagAcknowledgement._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
