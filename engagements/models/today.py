"""Today's memory of the facilitator's visits: when they last looked, so that Today can say what is new since then.

One row per user, written by ``services.today.today_visit_record`` when
Today is opened. ``last_at`` is the latest time Today was opened;
``previous_at`` is where "since your last visit" starts: the last time Today
was opened in the visit before this one (see the service for what makes a
new visit).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TodayVisit(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="today_visit", verbose_name=_("user")
    )
    previous_at = models.DateTimeField(_("previous visit ended at"), null=True, blank=True)
    last_at = models.DateTimeField(_("last seen at"))

    class Meta:
        verbose_name = _("morning page visit")
        verbose_name_plural = _("morning page visits")

    def __str__(self) -> str:
        return f"{self.user}: {self.last_at:%Y-%m-%d %H:%M}"
