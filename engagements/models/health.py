"""The daily snapshot of each partnership's health score, for its trend.

The score itself is computed when asked (``selectors.health``); what is
stored is one number a day, written by a periodic task, so that a page can
draw the last 90 days without recomputing them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models.partnerships import Partnership


class HealthSnapshot(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="health_snapshots", verbose_name=_("partnership")
    )
    day = models.DateField(_("day"))
    # None: not enough data yet on that day.
    score = models.PositiveSmallIntegerField(_("health score"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["partnership", "-day"]
        verbose_name = _("health snapshot")
        verbose_name_plural = _("health snapshots")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "day"], name="one_health_snapshot_per_day"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100), name="health_score_up_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.day:%Y-%m-%d}: {self.score}"
