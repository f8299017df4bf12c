"""Every write about organizations and people that has a rule to keep."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.localtime import readable_date
from accounts.models import User
from partners.history import attribute_to, scrub, set_reason
from partners.models import (
    Contact,
    FocusArea,
    Interaction,
    LeadershipTerm,
    Organization,
    Stage,
    StageChange,
)
from partners.regions import PROVINCES


class PartnerRuleError(Exception):
    """A broken business rule; the message is for the user, translated."""


def parse_focus_areas(text: str) -> list[str]:
    """'Waste, fisheries ,, waste' -> ['Waste', 'fisheries'] (first spelling wins)."""
    seen: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())[:60]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


PROVINCE_NAMES = dict(PROVINCES)


def search_document(organization: Organization, focus_area_names: Iterable[str]) -> str:
    """What search finds the group by beyond its own columns (see partners.search): province, then focus areas.

    The focus areas stay the last line: the change history reads them there.
    """
    return "\n".join([PROVINCE_NAMES.get(organization.province, ""), " ".join(focus_area_names)])


def focus_area_key(name: str) -> str:
    return name.casefold()


def focus_areas_get_or_create(names: list[str]) -> list[FocusArea]:
    """The tags for these names, in their order, created where new (three queries)."""
    wanted = {focus_area_key(name): name for name in reversed(names)}  # the first spelling wins
    FocusArea.objects.bulk_create(
        [FocusArea(name=name, key=key) for key, name in wanted.items()], batch_size=500, ignore_conflicts=True
    )
    found = {area.key: area for area in FocusArea.objects.filter(key__in=list(wanted))}
    return [found[focus_area_key(name)] for name in names]


@transaction.atomic
def organization_save(
    *,
    user: User | None,
    organization: Organization,
    focus_area_names: list[str],
    changed_fields: list[str] | None = None,
) -> Organization:
    """Create or update an organization whose fields a form has already set.

    ``changed_fields`` is no longer needed: the history compares the records.
    """
    if organization.pk is None:
        organization.created_by = user
    organization.search_document = search_document(organization, focus_area_names)
    organization.full_clean()
    attribute_to(user, organization)
    organization.save()
    organization.focus_areas.set(focus_areas_get_or_create(focus_area_names))
    return organization


@transaction.atomic
def organization_set_stage(*, user: User, organization: Organization, stage: str, reason: str) -> StageChange:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if stage not in Stage.values:
        raise PartnerRuleError(_("Choose one of the relationship stages."))
    if stage == organization.stage:
        raise PartnerRuleError(_("The organization is already at this stage."))
    if not reason.strip():
        raise PartnerRuleError(_("Say why the stage changes: the next facilitator will want to know."))
    change = StageChange.objects.create(
        organization=organization, from_stage=organization.stage, to_stage=stage, reason=reason.strip(), changed_by=user
    )
    organization.stage = stage
    attribute_to(user, organization)
    set_reason(organization, change.reason)
    organization.save(update_fields=["stage", "updated_at"])
    return change


@transaction.atomic
def organization_archive(*, user: User, organization: Organization) -> None:
    if organization.archived_at is None:
        organization.archived_at = timezone.now()
        attribute_to(user, organization)
        organization.save(update_fields=["archived_at", "updated_at"])


@transaction.atomic
def organization_restore(*, user: User, organization: Organization) -> None:
    if organization.archived_at is not None:
        organization.archived_at = None
        attribute_to(user, organization)
        organization.save(update_fields=["archived_at", "updated_at"])


@transaction.atomic
def contact_save(*, user: User, contact: Contact, changed_fields: list[str] | None = None) -> Contact:
    """``changed_fields`` is no longer needed: the history compares the records."""
    if contact.erased_at is not None:
        raise PartnerRuleError(_("This person's data was erased; add them again as a new contact."))
    if contact.consent_to_contact and contact.consent_recorded_on is None:
        contact.consent_recorded_on = timezone.localdate()
    if not contact.consent_to_contact:
        contact.consent_recorded_on = None
    if contact.whatsapp_reminders and contact.whatsapp_consent_on is None:
        contact.whatsapp_consent_on = timezone.localdate()
    if not contact.whatsapp_reminders:
        contact.whatsapp_consent_on = None
    contact.full_clean()
    attribute_to(user, contact)
    contact.save()
    return contact


def contact_export(contact: Contact) -> dict[str, object]:
    """Everything Rekan holds about one person (their right of access)."""
    return {
        "name": contact.name,
        "organization": contact.organization.name,
        "role_in_group": contact.role_in_group,
        "phone": contact.phone,
        "email": contact.email,
        "preferred_channel": contact.preferred_channel,
        "preferred_language": contact.preferred_language,
        "consent_to_contact": contact.consent_to_contact,
        "consent_recorded_on": contact.consent_recorded_on.isoformat() if contact.consent_recorded_on else None,
        "whatsapp_reminders": contact.whatsapp_reminders,
        "whatsapp_consent_on": contact.whatsapp_consent_on.isoformat() if contact.whatsapp_consent_on else None,
        "created_at": contact.created_at.isoformat(),
        "leadership_terms": [
            {
                "title": t.title,
                "from": t.started_on.isoformat(),
                "until": t.ended_on.isoformat() if t.ended_on else None,
            }
            for t in contact.leadership_terms.all()
        ],
        "interactions": [
            {"date": i.occurred_on.isoformat(), "kind": i.kind, "summary": i.summary}
            for i in contact.interactions.all()
        ],
    }


# What other apps keep of a contact and must forget when the contact is
# erased: each app appends its step (taking the contact's id) in its
# AppConfig.ready(). partners never imports them; engagements' outbox is one.
ERASURE_STEPS: list[Callable[[int], None]] = []


@transaction.atomic
def contacts_stop_whatsapp(*, phone: str) -> int:
    """The person at ``phone`` asked Rekan to stop its WhatsApp messages: every contact with that number.

    Their agreement ends now (the date is cleared, as when a facilitator
    unticks it); the reminders already written for them are cancelled when
    their turn comes. Returns how many contacts changed.
    """
    contacts = list(
        Contact.objects.select_for_update().filter(phone=phone, whatsapp_reminders=True, erased_at__isnull=True)
    )
    for contact in contacts:
        contact.whatsapp_reminders = False
        contact.whatsapp_consent_on = None
        set_reason(contact, "Asked on WhatsApp to stop its messages")
        contact.save(update_fields=["whatsapp_reminders", "whatsapp_consent_on", "updated_at"])
    return len(contacts)


@transaction.atomic
def contact_erase(*, user: User, contact: Contact) -> Contact:
    """Anonymise a person; the group's history stays readable.

    Leadership terms and interactions keep pointing at the contact, which
    now reads "Erased contact #N"; the change history stops naming them:
    every earlier record of the contact loses the name, phone and email too.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.erased_at is not None:
        return contact
    placeholder = f"Erased contact #{contact.pk}"
    contact.name = placeholder
    contact.role_in_group = ""
    contact.phone = ""
    contact.email = ""
    contact.consent_to_contact = False
    contact.consent_recorded_on = None
    contact.whatsapp_reminders = False
    contact.whatsapp_consent_on = None
    contact.erased_at = timezone.now()
    scrub(Contact, contact.pk, name=placeholder, role_in_group="", phone="", email="")
    attribute_to(user, contact)
    contact.save()
    # The admin's own log names what it changed.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)).update(
        object_repr=placeholder
    )
    for step in ERASURE_STEPS:
        step(contact.pk)
    return contact


@transaction.atomic
def leadership_record(
    *, user: User, organization: Organization, leader: Contact, started_on: datetime.date, title: str = ""
) -> LeadershipTerm:
    """A new leader: the current term ends the day the new one starts."""
    if leader.organization_id != organization.pk:
        raise PartnerRuleError(_("The leader must be a contact of this organization."))
    if leader.erased_at is not None:
        raise PartnerRuleError(_("An erased contact cannot become the leader."))
    current = (
        LeadershipTerm.objects.select_for_update().filter(organization=organization, ended_on__isnull=True).first()
    )
    if current is not None:
        if current.leader_id == leader.pk:
            raise PartnerRuleError(_("This person already leads the group."))
        if started_on < current.started_on:
            raise PartnerRuleError(
                _("The new term cannot start before the current one (%(date)s).")
                % {"date": readable_date(current.started_on)}
            )
        current.ended_on = started_on
        attribute_to(user, current)
        current.save(update_fields=["ended_on"])
    term = LeadershipTerm(
        organization=organization, leader=leader, title=title, started_on=started_on, recorded_by=user
    )
    term.full_clean()
    attribute_to(user, term)
    term.save()
    return term


@transaction.atomic
def leadership_change(
    *,
    user: User,
    organization: Organization,
    leader: Contact | None,
    new_leader_name: str,
    started_on: datetime.date,
    title: str = "",
) -> LeadershipTerm:
    """Record a new leader, who may be a contact not yet in Rekan."""
    if leader is None:
        leader = contact_save(
            user=user, contact=Contact(organization=organization, name=new_leader_name.strip(), role_in_group=title)
        )
    return leadership_record(user=user, organization=organization, leader=leader, started_on=started_on, title=title)


@transaction.atomic
def interaction_record(
    *,
    user: User,
    organization: Organization,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    follow_up: str = "",
    contacts: Iterable[Contact] = (),
    participants: Iterable[User] = (),
    submission_key: str = "",
) -> Interaction:
    contacts = list(contacts)
    if any(contact.organization_id != organization.pk for contact in contacts):
        raise PartnerRuleError(_("Only contacts of this organization can take part."))
    interaction = Interaction(
        organization=organization,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        follow_up=follow_up,
        recorded_by=user,
        submission_key=submission_key,
    )
    interaction.full_clean()
    attribute_to(user, interaction)
    interaction.save()
    interaction.contacts.set(contacts)
    interaction.participants.set(list(participants))
    return interaction
