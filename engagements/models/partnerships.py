"""Partnerships, their member organizations and status changes.

Tables and single-row invariants only; rules that span rows live in
``engagements.services``. Every note is either internal (facilitators only)
or shared (partner members and share links may read it): the field names say
which.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Organization, RecordedChange


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    TRANSITIONING = "transitioning", _("Transitioning")
    CLOSED = "closed", _("Closed")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_LEAD = "co_lead", _("Co-lead")
    MEMBER = "member", _("Member")
    SUPPORTER = "supporter", _("Supporter")


class Partnership(models.Model):
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.EXPLORING
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_partnerships", verbose_name=_("facilitators")
    )
    shared_notes = models.TextField(_("shared notes"), blank=True, help_text=_("Partner members can read these."))
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Facilitators only."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StatusChange(RecordedChange):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("partnership")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PartnershipStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PartnershipStatus.choices)

    class Meta(RecordedChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_status} -> {self.to_status}"


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="members", verbose_name=_("partnership")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnership_memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "role", "organization__name"]
        verbose_name = _("member organization")
        verbose_name_plural = _("member organizations")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organization"], name="one_membership_per_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"
