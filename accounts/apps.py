from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import stamp_login

        # The session clocks of SessionTimeoutMiddleware start at every log-in.
        user_logged_in.connect(stamp_login, dispatch_uid="accounts.stamp_login")
