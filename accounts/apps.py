from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from accounts import data_version
        from accounts.middleware import stamp_login

        # The session clocks of SessionTimeoutMiddleware start at every log-in.
        user_logged_in.connect(stamp_login, dispatch_uid="accounts.stamp_login")
        # Every write through Django moves the data version on, which kept pages are keyed on.
        connection_created.connect(data_version.install, dispatch_uid="accounts.data_version")
        # A new process may run new templates or code: pages kept by the old ones are not reused.
        data_version.bump()
