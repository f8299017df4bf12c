from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Engagements")

    def ready(self) -> None:
        from engagements.history import register_partnership_history

        register_partnership_history()
