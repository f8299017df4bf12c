"""Admin of the reminder outbox, with a retry action."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from engagements import services
from engagements.models import (
    Reminder,
    ReminderStatus,
)


@admin.action(description=_("Retry the failed reminders"))
def retry_failed(modeladmin, request, queryset) -> None:
    failed = list(queryset.filter(status=ReminderStatus.FAILED))
    for reminder in failed:
        services.outbox.reminder_retry(reminder)
    message = ngettext("%(count)s reminder will be sent again.", "%(count)s reminders will be sent again.", len(failed))
    modeladmin.message_user(request, message % {"count": len(failed)})


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("created_at", "partnership", "kind", "email", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "digest", "created_at")
    search_fields = ("email", "partnership__title", "last_error")
    list_select_related = ["partnership"]
    readonly_fields = [field.name for field in Reminder._meta.fields]
    actions = [retry_failed]

    def has_add_permission(self, request) -> bool:  # written by the sweep only
        return False
