"""Ways in from outside: single-use invitations and read-only share links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.models.partnerships import Partnership
from engagements.models.reminders import WhatsAppDelivery
from partners.models import Contact


class InvitationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WHATSAPP_API = "whatsapp_api", _("WhatsApp, sent by Rekan")


class Invitation(models.Model):
    """A single-use, expiring link for a partner contact to set a password."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("partnership")
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="invitations")
    # By email, and by WhatsApp's Cloud API where it is configured, Rekan sends
    # it; by WhatsApp by hand the facilitator does, from a click-to-chat link shown once.
    channel = models.CharField(
        _("sent by"), max_length=20, choices=InvitationChannel.choices, default=InvitationChannel.EMAIL
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone or WhatsApp"), max_length=20, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Sent by the Cloud API: the intent, stamped before WhatsApp is asked (a
    # task run again after a crash that finds it sends nothing), the message
    # id it answered, and what its webhook reported since.
    send_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    provider_message_id = models.CharField(max_length=128, blank=True, db_index=True)
    delivery_status = models.CharField(_("delivery"), max_length=10, choices=WhatsAppDelivery.choices, blank=True)
    delivery_status_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    # The history needs no copy of the address an invitation went to, nor of
    # what WhatsApp reports of it.
    history = HistoricalRecords(
        excluded_fields=[
            "email",
            "phone",
            "send_started_at",
            "provider_message_id",
            "delivery_status",
            "delivery_status_at",
            "last_error",
        ]
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email or self.phone} → {self.partnership}"


class ShareLink(models.Model):
    """A read-only link to one partnership's shared plan, for a group chat."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="share_links", verbose_name=_("partnership")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=120, blank=True, help_text=_("For example: the WhatsApp group."))
    expires_on = models.DateField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    shows_working_plan = models.BooleanField(
        _("show the working plan"),
        default=False,
        help_text=_(
            "Off: the page shows the last agreed revision of the plan. On: it shows the plan as it is now, "
            "marked as a working draft."
        ),
    )
    include_commitments = models.BooleanField(
        _("include commitments"),
        default=False,
        help_text=_("On: the page also lists who promised what, by when, and whether it was kept."),
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    last_viewed_at = models.DateTimeField(_("last viewed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return self.label or f"{self.partnership} ({self.expires_on})"
