from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # set by Django; the stub allows None
        (_("Preferences"), {"fields": ("language", "time_zone")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "language")
    list_filter = (*DjangoUserAdmin.list_filter, "language")
