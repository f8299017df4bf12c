"""Admin of the reminder outbox: read-only, with a "send again" action."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from engagements import services
from engagements.models import (
    Reminder,
    ReminderStatus,
)


@admin.action(description=_("Send the failed or uncertain reminders again"))
def send_again(modeladmin, request, queryset) -> None:
    chosen = list(queryset.filter(status__in=[ReminderStatus.FAILED, ReminderStatus.UNCERTAIN]))
    count = sum(services.outbox.reminder_send_again(reminder) for reminder in chosen)
    message = ngettext("%(count)s reminder will be sent again.", "%(count)s reminders will be sent again.", count)
    modeladmin.message_user(request, message % {"count": count})


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "created_at", "partnership", "kind", "channel", "address", "status", "delivery_status", "cancel_reason",
        "attempts", "sent_at",
    )  # fmt: skip
    list_filter = ("status", "channel", "delivery_status", "cancel_reason", "kind", "digest", "created_at")
    search_fields = ("email", "phone", "partnership__title", "last_error", "provider_message_id")
    list_select_related = ["partnership"]
    readonly_fields = [field.name for field in Reminder._meta.fields]
    actions = [send_again]

    @admin.display(description=_("To"))
    def address(self, reminder: Reminder) -> str:
        return reminder.address

    def has_add_permission(self, request) -> bool:  # written by the sweep only
        return False
