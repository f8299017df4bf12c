"""Change history of organizations and contacts: Django admin's LogEntry.

Edits made in the app and in the admin land in the same table, so the admin's
"History" page and the profile tell one story: who changed what, when.
"""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from accounts.models import User

# Messages stored in English and translated when shown.
ARCHIVED = gettext_noop("Archived.")
RESTORED = gettext_noop("Restored from the archive.")
NEW_LEADER = gettext_noop("New leader recorded.")
ERASED = gettext_noop("Personal data erased.")
MESSAGES = {ARCHIVED, RESTORED, NEW_LEADER, ERASED}


def _field_names(instance: models.Model, changed_fields: list[str]) -> list[str]:
    # Stored in English, like the admin does; shown translated by
    # LogEntry.get_change_message().
    names = []
    with translation.override("en"):
        for name in changed_fields:
            try:
                names.append(str(instance._meta.get_field(name).verbose_name))
            except Exception:  # a form-only field such as "focus areas" text
                names.append(name.replace("_", " "))
    return names


def record_change(
    *, user: User | None, instance: models.Model, changed_fields: list[str] | None = None, created: bool = False
) -> None:
    if created:
        flag, message = ADDITION, [{"added": {}}]
    else:
        flag, message = CHANGE, [{"changed": {"fields": _field_names(instance, changed_fields or [])}}]
    _log(user, instance, flag, message)


def record_part_change(
    *,
    user: User | None,
    parent: models.Model,
    part: models.Model,
    action: str,
    changed_fields: list[str] | None = None,
    label: str | None = None,
) -> None:
    """A change to a part (a goal of a partnership...) in the history of its parent.

    ``action`` is "added", "changed" or "deleted"; ``label`` replaces the
    part's own name where that would copy personal data into the log (an
    invitation's email address). The message has the shape
    the admin's inlines write, so the admin's History page shows it as
    "Added shared goal “...”." in the reader's language.
    """
    with translation.override("en"):
        detail: dict[str, object] = {"name": str(part._meta.verbose_name), "object": label or str(part)}
    if action == "changed":
        detail["fields"] = _field_names(part, changed_fields or [])
    _log(user, parent, CHANGE, [{action: detail}])


def record_change_with_parent(
    *,
    user: User | None,
    instance: models.Model,
    parent: models.Model,
    changed_fields: list[str] | None = None,
    created: bool = False,
) -> None:
    """A change in the history of the part itself and in the history of what it belongs to."""
    record_change(user=user, instance=instance, changed_fields=changed_fields, created=created)
    action = "added" if created else "changed"
    record_part_change(user=user, parent=parent, part=instance, action=action, changed_fields=changed_fields)


def record_message(*, user: User | None, instance: models.Model, message: str) -> None:
    """One of MESSAGES, for changes that are not a list of fields."""
    _log(user, instance, CHANGE, message)


def _log(user: User | None, instance: models.Model, flag: int, message: object) -> None:
    if user is None:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[instance], action_flag=flag, change_message=message, single_object=True
    )


def history_for(*instances: models.Model, limit: int = 30) -> list[LogEntry]:
    """The newest changes of these objects together, in one query.

    An organization's profile passes the organization and its contacts.
    """
    condition = Q(pk__in=[])
    for model, objects in _by_model(instances).items():
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=[str(obj.pk) for obj in objects])
    entries = list(
        LogEntry.objects.filter(condition).select_related("user", "content_type").order_by("-action_time")[:limit]
    )
    for entry in entries:
        message = entry.change_message
        entry.description = gettext(message) if message in MESSAGES else entry.get_change_message()
    return entries


def _by_model(instances: tuple[models.Model, ...]) -> dict[type[models.Model], list[models.Model]]:
    grouped: dict[type[models.Model], list[models.Model]] = {}
    for instance in instances:
        grouped.setdefault(type(instance), []).append(instance)
    return grouped
