"""The risk register of a partnership, and the automatic flags a facilitator has acknowledged.

A risk is one of the three challenges the field guide names (an informal
structure makes coordination and accountability hard; leadership changes;
unstable funding) or a custom one, scored by likelihood and impact, with an
owner and a mitigation. Automatic flags are not stored: they are computed
from the facts when asked (``selectors.risks.flags_for``). What is stored is
a facilitator's answer to one: an acknowledgement with a note, or the risk
it became (``Risk.from_flag``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.partnerships import Partnership
from partners.models import Organization


class RiskCategory(models.TextChoices):
    COORDINATION = "coordination", _("Informal structure: coordination and accountability")
    LEADERSHIP = "leadership", _("Leadership change")
    FUNDING = "funding", _("Unstable funding")
    CUSTOM = "custom", _("Another risk")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Being mitigated")
    CLOSED = "closed", _("Closed")


class RiskOwnerSide(models.TextChoices):
    FACILITATORS = "facilitators", _("The facilitating side")
    MEMBER = "member", _("A member organization")


class Likelihood(models.IntegerChoices):
    RARE = 1, _("1 · Rare")
    UNLIKELY = 2, _("2 · Unlikely")
    POSSIBLE = 3, _("3 · Possible")
    LIKELY = 4, _("4 · Likely")
    ALMOST_CERTAIN = 5, _("5 · Almost certain")


class Impact(models.IntegerChoices):
    SLIGHT = 1, _("1 · Slight")
    MINOR = 2, _("2 · Minor")
    MODERATE = 3, _("3 · Moderate")
    MAJOR = 4, _("4 · Major")
    SEVERE = 5, _("5 · Severe")


class FlagKind(models.TextChoices):
    """The automatic flags; a flag's key starts with its kind."""

    LEADER_CHANGE = "leader_change", _("New leader in a member group")
    UNSTABLE_FUNDING = "unstable_funding", _("Unstable funding in a member group")
    NO_CHECK_IN = "no_check_in", _("Two check-ins missed")
    BROKEN_COMMITMENTS = "broken_commitments", _("Many commitments not kept")
    QUIET_GROUP = "quiet_group", _("No contact with a member group")


OPEN_STATUSES = (RiskStatus.OPEN, RiskStatus.MITIGATING)


class Risk(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="risks", verbose_name=_("partnership")
    )
    category = models.CharField(_("kind of risk"), max_length=16, choices=RiskCategory.choices)
    title = models.CharField(_("risk"), max_length=200, help_text=_("In a few words: what could go wrong."))
    description = models.TextField(_("what we see"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"),
        choices=Likelihood.choices,
        default=Likelihood.POSSIBLE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"),
        choices=Impact.choices,
        default=Impact.MODERATE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    owner_side = models.CharField(
        _("who looks after it"), max_length=12, choices=RiskOwnerSide.choices, default=RiskOwnerSide.FACILITATORS
    )
    owner_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks_owned",
        verbose_name=_("owning organization"),
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Facilitators only."))
    # The automatic flag this risk was made from (its key), if any.
    from_flag = models.CharField(_("from the flag"), max_length=80, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [
            models.Index(fields=["partnership", "status"], name="risk_partnership_status"),
            models.Index(fields=["partnership", "from_flag"], name="risk_partnership_flag"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5) & models.Q(impact__gte=1, impact__lte=5),
                name="risk_scores_from_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(owner_side="member", owner_organization__isnull=False)
                | models.Q(owner_side="facilitators", owner_organization__isnull=True),
                name="risk_owner_matches_side",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # The rules are the domain's, which imports the models for their enums: imported when asked.
    @property
    def severity(self) -> int:
        from engagements.domain.risks import severity

        return severity(self.likelihood, self.impact)

    @property
    def band(self) -> str:
        from engagements.domain.risks import band_of

        return band_of(self.severity)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class FlagAcknowledgement(models.Model):
    """A facilitator saw an automatic flag and said what they make of it; the flag stays, marked acknowledged."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="flag_acknowledgements", verbose_name=_("partnership")
    )
    flag_key = models.CharField(_("flag"), max_length=80)
    note = models.TextField(_("note"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        verbose_name = _("flag acknowledgement")
        verbose_name_plural = _("flag acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "flag_key"], name="one_acknowledgement_per_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.flag_key}"

    @property
    def kind(self) -> str:
        return self.flag_key.split("-", 1)[0]
