"""Each partnership's flags and live health score as last worked out: what lists of many partnerships sort by.

Flags and the health score are computed from the facts
(``selectors.risks.flags_for``, ``selectors.health.health_of``), in Python,
a few hundred microseconds a partnership. A page about one partnership (or
the ten shown on Today) computes them when asked. A page that counts, sorts
or filters all of a facilitator's partnerships by them (Today's counts, the
portfolio's flag column) would compute them for thousands: it reads these
rows instead, written by ``services.standing``:

- every ``STANDING_REFRESH_SECONDS`` by a beat task, for every partnership
  that is not closed (the facts change with the date as well as with writes);
- at once when a facilitator answers a flag (acknowledges it or makes it a
  risk), so that it leaves Today's count when it leaves the list;
- when Today or the portfolio finds rows missing or older than
  ``STALE_AFTER`` (a new partnership, beat stopped), a bounded number a request.

They are derived data: deleting them loses nothing, the next refresh writes
them again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from engagements.models.partnerships import Partnership


class Standing(models.Model):
    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="standing",
        verbose_name=_("partnership"),
    )
    # None: not enough data yet for a score.
    score = models.PositiveSmallIntegerField(_("health score"), null=True, blank=True)
    # The score of the daily snapshot FALL_DAYS before, and the points lost since.
    score_then = models.PositiveSmallIntegerField(_("earlier health score"), null=True, blank=True)
    score_then_on = models.DateField(_("earlier score's day"), null=True, blank=True)
    fell_by = models.PositiveSmallIntegerField(_("points lost"), default=0)
    # Low, or fell far: Today's health section.
    concerning = models.BooleanField(_("low or falling health"), default=False)
    # The flags nobody has answered yet (neither acknowledged nor made a risk).
    active_flags = models.PositiveSmallIntegerField(_("unanswered flags"), default=0)
    refreshed_at = models.DateTimeField(_("worked out at"))

    class Meta:
        verbose_name = _("partnership standing")
        verbose_name_plural = _("partnership standings")
        indexes = [
            # Today's health section: the concerning ones, lowest score first.
            models.Index(
                fields=["score", "partnership"], condition=models.Q(concerning=True), name="standing_concerning"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.score}, {self.active_flags} flags"


class StandingFlag(models.Model):
    """One unanswered flag of a partnership, as last worked out: Today counts and orders them."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="standing_flags", verbose_name=_("partnership")
    )
    key = models.CharField(_("flag"), max_length=100)
    # When the condition began, where the facts say it (None: about now).
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("unanswered flag")
        verbose_name_plural = _("unanswered flags")
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="one_standing_flag_per_key")]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.key}"
