from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminPasswordChangeForm, AdminUserCreationForm
from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Passwords set here obey the cap of the log-in form, or they could never be used.
    add_form = AdminUserCreationForm
    change_password_form = AdminPasswordChangeForm
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # set by Django; the stub allows None
        (_("Preferences"), {"fields": ("language", "time_zone")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "language")
    list_filter = (*DjangoUserAdmin.list_filter, "language")
