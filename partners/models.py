"""Informal organizations, the people in them, their leaders and our contact.

Tables and single-row invariants only; every write with a business rule is
in ``partners.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.regions import PROVINCES
from partners.search import SEARCH_WEIGHTS, TsVectorField, WeightedDocument


class Kind(models.TextChoices):
    ADVOCACY = "advocacy", _("Advocacy group")
    YOUTH = "youth", _("Youth group")
    FARMER_FISHER = "farmer_fisher", _("Farmer or fisher group")
    WOMEN = "women", _("Women's group")
    SAVINGS = "savings", _("Savings circle")
    PROFESSIONAL = "professional", _("Professional network")
    ONLINE = "online", _("Online community")
    FAITH = "faith", _("Faith-based group")
    OTHER = "other", _("Other")


class LegalStatus(models.TextChoices):
    UNREGISTERED = "unregistered", _("Unregistered")
    ASSOCIATION = "association", _("Registered association (perkumpulan)")
    FOUNDATION = "foundation", _("Foundation (yayasan)")
    COOPERATIVE = "cooperative", _("Cooperative (koperasi)")
    OTHER = "other", _("Other registration")


class FundingStability(models.TextChoices):
    STABLE = "stable", _("Stable")
    IRREGULAR = "irregular", _("Irregular")
    NONE = "none", _("No funding")
    UNKNOWN = "unknown", _("Unknown")


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    FIRST_CONTACT = "first_contact", _("First contact")
    BUILDING_TRUST = "building_trust", _("Building trust")
    PARTNERING = "partnering", _("Partnering")
    DORMANT = "dormant", _("Dormant")
    EXITED = "exited", _("Exited")


class ChannelKind(models.TextChoices):
    WHATSAPP_GROUP = "whatsapp_group", _("WhatsApp group")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    YOUTUBE = "youtube", _("YouTube")
    WEBSITE = "website", _("Website")
    EMAIL = "email", _("Email list")
    OTHER = "other", _("Other")


class FocusArea(models.Model):
    """A tag such as "waste", "fisheries" or "digital literacy"."""

    name = models.CharField(_("name"), max_length=60)
    # casefold() of the name: "Waste", "waste" and "WASTE" are one tag. SQL's
    # LOWER() cannot say so (SQLite lowers ASCII letters only).
    key = models.CharField(max_length=60, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def active(self) -> OrganizationQuerySet:
        return self.filter(archived_at__isnull=True)


# What the directory lists unless asked for the archive: its indexes are partial.
DIRECTORY = models.Q(archived_at__isnull=True)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    mission = models.TextField(_("mission"), blank=True)
    values = models.TextField(_("values"), blank=True)
    own_goals = models.TextField(_("the group's own goals"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="organizations", verbose_name=_("focus areas")
    )
    province = models.CharField(_("province"), max_length=2, choices=PROVINCES, blank=True)
    regency = models.CharField(_("regency or city"), max_length=120, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded in (year)"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    approx_members = models.PositiveIntegerField(_("members (approximately)"), null=True, blank=True)
    approx_reach = models.PositiveIntegerField(_("people reached (approximately)"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, default=LegalStatus.UNREGISTERED
    )
    registration_number = models.CharField(
        _("registration number"), max_length=80, blank=True, help_text=_("Optional: most informal groups have none.")
    )
    funding_sources = models.TextField(_("funding sources"), blank=True)
    funding_stability = models.CharField(
        _("funding stability"), max_length=12, choices=FundingStability.choices, default=FundingStability.UNKNOWN
    )
    stage = models.CharField(_("relationship stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Facilitators only: never shown to partner members.")
    )
    # What search finds a group by that its own columns do not hold, kept by
    # services.organization_save: the province's name, then the focus areas'
    # names on the last line (the change history compares that line). Search
    # then needs neither a join nor a GROUP BY.
    search_document = models.TextField(editable=False, blank=True, default="")
    # The weighted full-text document, written by PostgreSQL itself from the
    # columns above on every INSERT and UPDATE (a generated column: never
    # stale, whoever writes the row; stored, so the rank reads it instead of
    # parsing the text again). Why and how: partners.search.
    search_vector = models.GeneratedField(
        expression=WeightedDocument(*SEARCH_WEIGHTS), output_field=TsVectorField(), db_persist=True
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = OrganizationQuerySet.as_manager()

    # The search vector is the database's, derived from fields the history keeps.
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # Why each one: partners/migrations/0005_search_and_indexes.py. The GIN
        # index on search_vector is PostgreSQL's and made by that migration.
        indexes = [
            models.Index(fields=["province", "regency"]),
            models.Index(fields=["name", "id"], condition=DIRECTORY, name="org_directory_by_name"),
            models.Index(fields=["-updated_at", "id"], condition=DIRECTORY, name="org_directory_by_update"),
            models.Index(fields=["founded_year", "name", "id"], condition=DIRECTORY, name="org_directory_by_founding"),
            models.Index(fields=["stage", "name", "id"], name="org_by_stage_and_name"),
            models.Index(Lower("regency"), name="org_by_lower_regency"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def clean(self) -> None:
        this_year = timezone.localdate().year
        if self.founded_year and self.founded_year > this_year:
            raise ValidationError(
                {"founded_year": _("The founding year cannot be after %(year)s.") % {"year": this_year}}
            )


# The profile a group gives of itself, in the order the form, the CSV file
# and the demo data list it. Its name, stage (with a history) and internal
# notes have rules of their own and are added where they apply.
PROFILE_FIELDS = (
    "kind",
    "mission",
    "values",
    "own_goals",
    "focus_areas",
    "province",
    "regency",
    "founded_year",
    "approx_members",
    "approx_reach",
    "legal_status",
    "registration_number",
    "funding_sources",
    "funding_stability",
)
# Focus areas are typed as one comma-separated text in forms and files.
PROFILE_FIELDS_WITHOUT_FOCUS_AREAS = tuple(name for name in PROFILE_FIELDS if name != "focus_areas")


class Channel(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="channels", verbose_name=_("organization")
    )
    kind = models.CharField(_("channel"), max_length=20, choices=ChannelKind.choices)
    address = models.CharField(_("link or name"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address}"


class RecordedChange(models.Model):
    """A move from one state to another, with why, who and when.

    The shape of an organization's stage changes and of a partnership's
    status changes: the subclass adds what changed (``from_...``/``to_...``).
    """

    reason = models.TextField(_("why"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-pk"]


class StageChange(RecordedChange):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("organization")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)

    class Meta(RecordedChange.Meta):
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.organization}: {self.from_stage} -> {self.to_stage}"


class PreferredChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")


class ContactLanguage(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")
    LOCAL = "local", _("A local language")


class Contact(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=150)
    role_in_group = models.CharField(_("role in the group"), max_length=120, blank=True)
    phone = models.CharField(_("phone or WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=12, choices=PreferredChannel.choices, default=PreferredChannel.WHATSAPP
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=ContactLanguage.choices, default=ContactLanguage.INDONESIAN
    )
    consent_to_contact = models.BooleanField(_("agreed to be contacted"), default=False)
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    wants_reminders = models.BooleanField(
        _("reminders by email"),
        default=True,
        help_text=_("Reminders of check-ins and activities, sent only with consent and an email address."),
    )
    # Rekan's own WhatsApp number (the Cloud API channel) writes only to those
    # who said yes to it, on a recorded date: WhatsApp's rules and the person's.
    whatsapp_reminders = models.BooleanField(
        _("reminders on WhatsApp"),
        default=False,
        help_text=_(
            "Only when the person agreed to receive reminders from Rekan's WhatsApp number. "
            "They then come on WhatsApp instead of email."
        ),
    )
    whatsapp_consent_on = models.DateField(_("agreed to WhatsApp reminders on"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class LeadershipTerm(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="leadership_terms", verbose_name=_("organization")
    )
    leader = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="leadership_terms", verbose_name=_("leader")
    )
    title = models.CharField(_("position"), max_length=80, blank=True, help_text=_("For example: ketua, koordinator."))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("leadership term")
        verbose_name_plural = _("leadership terms")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_leader_per_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="leadership_term_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} ({self.started_on} - {self.ended_on or '…'})"


class InteractionKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    MESSAGE = "message", _("Message")
    EVENT = "event", _("Event")


class Interaction(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    contacts = models.ManyToManyField(Contact, blank=True, related_name="interactions", verbose_name=_("contacts"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="interactions", verbose_name=_("our team")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The key the form was opened with (accounts.submission_keys): a form sent twice logs one interaction.
    submission_key = models.CharField(max_length=36, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["organization", "-occurred_on", "-id"], name="interaction_latest_per_org"),
            # Today's follow-ups: the recent interactions that noted one (partners/migrations/0006).
            models.Index(
                fields=["-occurred_on", "-id"], condition=~models.Q(follow_up=""), name="interaction_follow_up_recent"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="one_interaction_per_submission",
                violation_error_message=_("This form was sent already for another organization: open the form again."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class OrganizationMember(models.Model):
    """A user who signs in for a partner organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="members", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_memberships",
        verbose_name=_("user"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_organization_and_user")
        ]
        verbose_name = _("organization member")
        verbose_name_plural = _("organization members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"
