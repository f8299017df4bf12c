"""Demo organizations for `make run`: fictional groups across Indonesia.

Every person, phone number (08xx-0000-....), email (example.org) and social
media handle in ``organizations.json`` is made up. Dates are days before
today, so the demo always looks current. Loading is idempotent: a group whose
name is already there is skipped, unless it is the bare placeholder that
``demo_users_create()`` makes for a demo partner member, which gets filled in.

``organizations.json`` is a list of organizations, oldest listed first. Each
is an object with ``name``, ``since`` (days ago the record was made),
``focus_areas`` (list of names) and the fields of ``ORGANIZATION_FIELDS``
(choices as their stored values: ``"kind": "youth"``; ``legal_status``,
``registration_number`` and ``internal_notes`` may be left out), plus:

- ``channels``: ``[{"kind": ChannelKind, "address": str}]``
- ``stages``: ``[{"days_ago": int, "stage": Stage, "reason": str}]``, oldest
  first, from "identified"; empty for a group we have not contacted yet
- ``contacts``: ``[{"name", "role", "phone"?, "email"?, "channel"?
  (PreferredChannel, default WhatsApp), "language"? (ContactLanguage, default
  Indonesian), "consent"? (bool)}]``; consent defaults to "yes, since first
  contact" once we have met the group
- ``leaders``: ``[{"name": str, "title": str, "started_days_ago": int}]``,
  oldest first; a name that is not among the contacts is recorded as a new
  contact
- ``interactions``: ``[{"days_ago": int, "kind": InteractionKind, "summary":
  str, "follow_up": str, "contacts": [contact names]}]``
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partners.demo.users import DEMO_FACILITATOR, demo_users_create
from partners.models import (
    PROFILE_FIELDS_WITHOUT_FOCUS_AREAS,
    Channel,
    Contact,
    ContactLanguage,
    Organization,
    PreferredChannel,
    StageChange,
)
from partners.phones import normalise_phone
from partners.services import (
    contact_save,
    interaction_record,
    leadership_change,
    leadership_record,
    organization_save,
    organization_set_stage,
)

ORGANIZATIONS_FILE = Path(__file__).with_name("organizations.json")

ORGANIZATION_FIELDS = (*PROFILE_FIELDS_WITHOUT_FOCUS_AREAS, "internal_notes")


def demo_organizations() -> list[dict[str, Any]]:
    """The demo organizations as ``organizations.json`` describes them."""
    return json.loads(ORGANIZATIONS_FILE.read_text(encoding="utf-8"))


def demo_data_load(*, user: User | None = None) -> int:
    """Load the demo organizations that are not there yet; return how many were loaded.

    Everything is recorded as the demo facilitator unless another user is
    given, so the history reads like a facilitator's own work (and leadership
    terms, which must name who recorded them, have someone to name).
    """
    if user is None:
        user = User.objects.filter(username=DEMO_FACILITATOR).first()
    if user is None:
        demo_users_create()
        user = User.objects.get(username=DEMO_FACILITATOR)
    today = timezone.localdate()
    loaded = 0
    for data in demo_organizations():
        with transaction.atomic():
            existing = Organization.objects.filter(name=data["name"]).first()
            if existing is not None and not _is_placeholder(existing):
                continue
            _organization_load(data, existing or Organization(name=data["name"]), user=user, today=today)
            loaded += 1
    return loaded


def _is_placeholder(organization: Organization) -> bool:
    """The bare row demo_users_create() makes so a demo partner has a group."""
    return not organization.mission and not organization.contacts.exists() and not organization.stage_changes.exists()


def _organization_load(data: dict[str, Any], organization: Organization, *, user: User, today: datetime.date) -> None:
    def day(days_ago: int) -> datetime.date:
        return today - datetime.timedelta(days=days_ago)

    created = organization.pk is None
    for field in ORGANIZATION_FIELDS:
        if field in data:
            setattr(organization, field, data[field])
    organization.created_at = _moment(day(data["since"]))
    organization_save(
        user=user,
        organization=organization,
        focus_area_names=data["focus_areas"],
        changed_fields=None if created else [field for field in ORGANIZATION_FIELDS if field in data],
    )
    for spec in data["channels"]:
        channel = Channel(organization=organization, kind=spec["kind"], address=spec["address"])
        channel.full_clean()
        channel.save()

    for spec in data["stages"]:
        change = organization_set_stage(
            user=user, organization=organization, stage=spec["stage"], reason=spec["reason"]
        )
        # The service stamps "now"; the demo history needs its own dates.
        StageChange.objects.filter(pk=change.pk).update(changed_at=_moment(day(spec["days_ago"])))

    met_on = day(data["stages"][0]["days_ago"]) if data["stages"] else None
    contacts: dict[str, Contact] = {}
    for person in data["contacts"]:
        consent = person.get("consent", met_on is not None)
        contact = Contact(
            organization=organization,
            name=person["name"],
            role_in_group=person["role"],
            phone=normalise_phone(person.get("phone", "")),
            email=person.get("email", ""),
            preferred_channel=person.get("channel", PreferredChannel.WHATSAPP),
            preferred_language=person.get("language", ContactLanguage.INDONESIAN),
            consent_to_contact=consent,
            consent_recorded_on=met_on if consent else None,
            created_at=_moment(met_on or day(data["since"])),
        )
        contacts[person["name"]] = contact_save(user=user, contact=contact)

    for spec in data["leaders"]:
        name, started_on = spec["name"], day(spec["started_days_ago"])
        if name in contacts:
            leadership_record(
                user=user,
                organization=organization,
                leader=contacts[name],
                started_on=started_on,
                title=spec["title"],
            )
        else:
            term = leadership_change(
                user=user,
                organization=organization,
                leader=None,
                new_leader_name=name,
                started_on=started_on,
                title=spec["title"],
            )
            contacts[name] = term.leader

    for spec in data["interactions"]:
        interaction_record(
            user=user,
            organization=organization,
            kind=spec["kind"],
            occurred_on=day(spec["days_ago"]),
            summary=spec["summary"],
            follow_up=spec["follow_up"],
            contacts=[contacts[name] for name in spec["contacts"]],
            participants=[user],
        )


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone())
