from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Engagements")

    def ready(self) -> None:
        from engagements.history import register_partnership_history
        from engagements.panels import lessons_panel, partnerships_panel
        from engagements.services.outbox import reminders_scrub_contact
        from engagements.standing_watch import connect as watch_standings
        from partners.panels import register_profile_panel
        from partners.services import ERASURE_STEPS

        register_partnership_history()
        # A write of a fact behind flags or health marks the stored standings it touches stale.
        watch_standings()
        # The organization profile lists the group's partnerships without partners importing engagements.
        register_profile_panel(partnerships_panel)
        register_profile_panel(lessons_panel)
        # Erasing a contact cancels the reminders not sent to them yet and removes their address from the outbox.
        if reminders_scrub_contact not in ERASURE_STEPS:
            ERASURE_STEPS.append(reminders_scrub_contact)
