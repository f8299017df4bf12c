from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # django-stubs' typed Meta, whose verbose names may be lazy; django-stubs-ext is a
    # development dependency only, and at run time the base is plain ``object``.
    from django_stubs_ext.db.models import TypedModelMeta
else:
    TypedModelMeta = object


class User(AbstractUser):
    """Someone who logs in: an admin, a facilitator or a partner member.

    The role is a group (see ``accounts.roles``); the preferences here follow
    the person across devices.
    """

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Language of the interface and of emails. Empty: the site default."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Jakarta",
        help_text=_("Dates and times are shown in this zone."),
    )

    email_reminders = models.BooleanField(
        _("email reminders"), default=True, help_text=_("Reminders of check-ins and activities by email.")
    )
    daily_digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One email each morning instead of one email per reminder.")
    )
    # The secret part of the calendar feed's address; a new value revokes the old address.
    calendar_token = models.CharField(max_length=43, blank=True, editable=False, db_index=True)
    # The names of the user's groups, kept by accounts.roles on first use: a page asks several
    # times, the database once. Not a field.
    _rekan_group_names: frozenset[str] | None = None

    # AbstractUser.Meta holds only the two verbose names, both set here; its stub types them
    # as plain str, which a lazy translation is not.
    class Meta(TypedModelMeta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
