"""The two-sided health check: a round of the fixed questionnaire, answered by both sides of a partnership.

A facilitator opens a round by hand; the round carries the rhythm the
partnership keeps (``rhythm_months``: the next round is due that many months
after this one opened), so no separate settings table is needed: the latest
round says when the next one is due. Each person answers once per round, for
their side: the facilitating side, or the member organization they belong to.
The statements themselves live in code (``domain.health_checks``), keyed by
a stable slug.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models.partnerships import Partnership
from partners.models import Organization


class HealthCheckSide(models.TextChoices):
    FACILITATORS = "facilitators", _("The facilitating side")
    MEMBER = "member", _("A member organization")


class HealthCheckRound(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="health_check_rounds", verbose_name=_("partnership")
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"))
    rhythm_months = models.PositiveSmallIntegerField(
        _("rhythm in months"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The next health check is due this many months after this one opened."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The sweep's mark: the "closing soon" reminders of this round are in the outbox.
    closing_reminded = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("health check round")
        verbose_name_plural = _("health check rounds")
        indexes = [models.Index(fields=["partnership", "-opened_on"], name="health_round_partnership")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opened_on")), name="health_round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(rhythm_months__gte=1, rhythm_months__lte=12), name="health_round_rhythm_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.opened_on:%Y-%m-%d}"

    def is_open_on(self, day) -> bool:
        return self.closed_at is None and day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def ended_on(self):
        """The day answers stopped: closed by hand, or its closing date once past; else the day it opened."""
        if self.closed_at is not None:
            return timezone.localdate(self.closed_at)
        if self.closes_on < timezone.localdate():
            return self.closes_on
        return self.opened_on


class HealthCheckAnswer(models.Model):
    round = models.ForeignKey(
        HealthCheckRound, on_delete=models.CASCADE, related_name="answers", verbose_name=_("round")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("respondent")
    )
    side = models.CharField(_("side"), max_length=12, choices=HealthCheckSide.choices)
    # The member organization a partner member answers for; empty on the facilitating side.
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization"),
    )
    statement = models.SlugField(_("statement"), max_length=40)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        ordering = ["round", "statement", "pk"]
        verbose_name = _("health check answer")
        verbose_name_plural = _("health check answers")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent", "statement"], name="one_health_answer_per_statement"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="health_score_from_1_to_5"),
            models.CheckConstraint(
                condition=models.Q(side="member", organization__isnull=False)
                | models.Q(side="facilitators", organization__isnull=True),
                name="health_answer_side_matches_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.statement} = {self.score}"

    @property
    def side_key(self) -> str:
        """``facilitators``, or the organization's id: the key the results group answers by."""
        return HealthCheckSide.FACILITATORS if self.organization_id is None else str(self.organization_id)
