"""Change history: who changed what, and when, read from django-simple-history's records.

Every model people edit keeps a historical table (``history = HistoricalRecords()``),
written on every save and delete, from the app and from the admin alike. Inside a
request the history middleware names the signed-in user; services also run from
tasks, the shell and tests, so they name their ``user`` with ``attribute_to``.

``history_for`` reads the records of some objects and of their parts (registered
with ``register``: an organization's contacts, a partnership's goals...) and turns
them into sentences in the reader's language, a fixed number of queries whatever
the length of the history.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext, gettext_noop

from accounts.localtime import readable_date
from accounts.models import User
from partners.models import Channel, Contact, Interaction, LeadershipTerm, Organization

HISTORY_LIMIT = 30

# What a change of a field means, where a list of field names would not say it.
ARCHIVED = gettext_noop("Archived.")
RESTORED = gettext_noop("Restored from the archive.")
NEW_LEADER = gettext_noop("New leader recorded.")
ERASED = gettext_noop("Personal data erased.")

ADDED, CHANGED, DELETED = "+", "~", "-"


def attribute_to(user: User | None, *instances: models.Model) -> None:
    """Record ``user`` as the author of the next save or delete of these instances.

    The documented ``_history_user`` attribute: it wins over the request's user,
    so a service's ``user`` is the author wherever the service runs.
    """
    if user is not None:
        for instance in instances:
            instance._history_user = user  # type: ignore[attr-defined]  # simple-history's, untyped


def set_reason(instance: models.Model, reason: str) -> None:
    """The why of the next save, kept with its historical record (the admin's "Change reason")."""
    # ``history`` and ``_change_reason`` are simple-history's, added at run time to any model: no types.
    reason_field = instance.history.model._meta.get_field("history_change_reason")  # type: ignore[attr-defined]
    instance._change_reason = reason[: reason_field.max_length]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Log:
    """An append-only table that is a history by itself (the agreed revisions of a plan)."""

    model: type[models.Model]
    where: Callable[[Any], Q]
    time: str
    user: str
    label: Callable[[Any], str]


@dataclass(frozen=True)
class Tracked:
    """How the history names one model's records, and which records belong to it.

    ``label`` names a record from its historical row (which has the same fields
    as the model), reading only the relations listed in ``related``, joined in
    the same query. ``parts`` are (model, condition) pairs: the condition picks,
    among the historical rows of that model, those of one parent object.
    ``message`` turns a change into a sentence of its own (ARCHIVED...), or None.
    """

    label: Callable[[Any], str]
    related: tuple[str, ...] = ()
    parts: tuple[tuple[type[models.Model], Callable[[Any], Q]], ...] = ()
    logs: tuple[Log, ...] = ()
    message: Callable[[str, Any, Any], str | None] | None = None


_TRACKED: dict[type[models.Model], Tracked] = {}


def register(model: type[models.Model], tracked: Tracked) -> None:
    _TRACKED[model] = tracked


@dataclass
class Entry:
    """One change as a reader sees it."""

    time: datetime.datetime
    user: User | None
    # "Changed phone and email." : what happened to the record.
    change: str
    # The part's name ("Bu Sri"); empty for the object whose history this is.
    object_repr: str
    # The whole sentence: "Changed phone and email for contact “Bu Sri”."
    description: str
    order: tuple[int, int] = field(default=(0, 0), repr=False)

    @property
    def is_part(self) -> bool:
        return bool(self.object_repr)


def history_for(*instances: models.Model, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """The newest changes of these objects and of their registered parts, newest first.

    The first object is the one whose history this is: its own changes read
    "Changed mission."; everything else is named ("Changed phone for contact “Bu Sri”.").
    One query per kind of record (objects of one model share it), at most ``limit`` entries.
    """
    if not instances:
        return []
    subject = instances[0]
    conditions: dict[type[models.Model], Q] = {}
    logs: list[tuple[Log, models.Model]] = []

    def want(model: type[models.Model], condition: Q) -> None:
        conditions[model] = conditions[model] | condition if model in conditions else condition

    for instance in instances:
        model = type(instance)
        want(model, Q(id=instance.pk))
        tracked = _TRACKED.get(model)
        if tracked is not None:
            for part_model, where in tracked.parts:
                want(part_model, where(instance))
            logs.extend((log, instance) for log in tracked.logs)

    entries: list[Entry] = []
    for model, condition in conditions.items():
        own = subject.pk if model is type(subject) else None
        entries.extend(_entries(model, condition, own=own, limit=limit))
    for log, parent in logs:
        entries.extend(_log_entries(log, parent, limit=limit))
    entries.sort(key=lambda entry: (entry.time, entry.order), reverse=True)
    return entries[:limit]


def _tracked(model: type[models.Model]) -> Tracked:
    return _TRACKED.get(model) or Tracked(label=lambda row: str(row.instance))


def _entries(model: type[models.Model], condition: Q, *, own: object, limit: int) -> list[Entry]:
    """The newest historical rows, each with its predecessor, in two queries.

    The first finds each row's predecessor with one SQL LAG of its key; the
    second reads those predecessors by key. Not a LAG for every tracked
    field: building and compiling a window expression per field cost more
    than the queries (13 kinds of record on a partnership page: 200 windows).
    """
    historical = model.history.model  # type: ignore[attr-defined]  # simple-history adds it, untyped
    tracked = _tracked(model)
    order = [F("history_date").asc(), F("history_id").asc()]
    rows = list(
        historical.objects.filter(condition)
        .select_related("history_user", *tracked.related)
        .annotate(previous_history_id=Window(Lag("history_id"), partition_by=[F("id")], order_by=order))
        .order_by("-history_date", "-history_id")[:limit]
    )
    # Never an empty ``__in``, which Django answers without asking: the query count stays the same.
    wanted = [row.previous_history_id for row in rows if row.previous_history_id is not None] or [0]
    predecessors = historical.objects.in_bulk(wanted)
    entries = []
    for row in rows:
        before = predecessors.get(row.previous_history_id)
        change = _change(model, tracked, row, before)
        if change is None:
            continue
        label = "" if row.id == own else _label(model, tracked, row)
        entries.append(
            Entry(
                time=row.history_date,
                user=row.history_user,
                change=change.sentence(),
                object_repr=label,
                description=change.sentence(name=str(model._meta.verbose_name), label=label),
                order=(0, row.history_id),
            )
        )
    return entries


def _log_entries(log: Log, parent: models.Model, *, limit: int) -> list[Entry]:
    rows = log.model._default_manager.filter(log.where(parent)).select_related(log.user).order_by(f"-{log.time}")
    name = str(log.model._meta.verbose_name)
    entries = []
    for row in rows[:limit]:
        label = log.label(row)
        change = _Change(ADDED)
        entries.append(
            Entry(
                time=getattr(row, log.time),
                user=getattr(row, log.user),
                change=change.sentence(),
                object_repr=label,
                description=change.sentence(name=name, label=label),
                order=(1, row.pk),
            )
        )
    return entries


def _label(model: type[models.Model], tracked: Tracked, row: Any) -> str:
    try:
        return tracked.label(row)
    except (AttributeError, models.ObjectDoesNotExist):  # a relation deleted since
        return f"{model._meta.verbose_name} #{row.id}"


@dataclass(frozen=True)
class _Change:
    action: str
    fields: tuple[str, ...] = ()
    message: str = ""

    def sentence(self, *, name: str = "", label: str = "") -> str:
        """The sentence in the active language; with ``label``, about a named part."""
        return capfirst(self._sentence(name=name, label=label))

    def _sentence(self, *, name: str, label: str) -> str:
        fields = get_text_list(list(self.fields), gettext("and"))
        if self.message:
            if label:
                return gettext("{name} “{object}”: {message}").format(
                    name=name, object=label, message=gettext(self.message)
                )
            return gettext(self.message)
        if not label:
            if self.action == ADDED:
                return gettext("Added.")
            if self.action == DELETED:
                return gettext("Deleted.")
            return gettext("Changed {fields}.").format(fields=fields) if fields else gettext("Changed.")
        if self.action == ADDED:
            return gettext("Added {name} “{object}”.").format(name=name, object=label)
        if self.action == DELETED:
            return gettext("Deleted {name} “{object}”.").format(name=name, object=label)
        if fields:
            return gettext("Changed {fields} for {name} “{object}”.").format(fields=fields, name=name, object=label)
        return gettext("Changed {name} “{object}”.").format(name=name, object=label)


def _change(model: type[models.Model], tracked: Tracked, row: Any, before: Any) -> _Change | None:
    """What one historical row says happened; None when no one changed anything a person edits."""
    if tracked.message is not None:
        message = tracked.message(row.history_type, row, before)
        if message:
            return _Change(row.history_type, message=message)
    if row.history_type != CHANGED:
        return _Change(row.history_type)
    if before is None:  # the object is older than its history
        return _Change(CHANGED)
    names = set(row.diff_against(before).changed_fields)
    names |= _derived_changes(model, row, before)
    if not names:  # derived dates, counters, "updated at"
        return None
    fields = sorted(
        (cast(models.Field, model._meta.get_field(name)) for name in names), key=lambda f: f.creation_counter
    )
    return _Change(CHANGED, fields=tuple(str(f.verbose_name) for f in fields))


def _derived_changes(model: type[models.Model], row: Any, before: Any) -> set[str]:
    # Focus areas are a many-to-many relation, which the records do not
    # copy; their names end the search document the services keep.
    if model is Organization:
        if row.search_document.rpartition("\n")[2] != before.search_document.rpartition("\n")[2]:
            return {"focus_areas"}
    return set()


# The organization and its parts


def _organization_message(action: str, row: Any, before: Any) -> str | None:
    if action == CHANGED and before is not None and row.archived_at != before.archived_at:
        return ARCHIVED if row.archived_at else RESTORED
    return None


def _contact_message(action: str, row: Any, before: Any) -> str | None:
    if action == CHANGED and row.erased_at and (before is None or not before.erased_at):
        return ERASED
    return None


def _leadership_message(action: str, row: Any, before: Any) -> str | None:
    return NEW_LEADER if action == ADDED else None


def _leadership_label(row: Any) -> str:
    return f"{row.leader.name} ({readable_date(row.started_on)})"


register(
    Organization,
    Tracked(
        label=lambda row: row.name,
        message=_organization_message,
        parts=(
            (Contact, lambda organization: Q(organization_id=organization.pk)),
            (LeadershipTerm, lambda organization: Q(organization_id=organization.pk)),
            (Channel, lambda organization: Q(organization_id=organization.pk)),
        ),
    ),
)
register(Contact, Tracked(label=lambda row: row.name, message=_contact_message))
register(LeadershipTerm, Tracked(label=_leadership_label, related=("leader",), message=_leadership_message))
register(Channel, Tracked(label=lambda row: f"{row.get_kind_display()}: {row.address}"))
register(Interaction, Tracked(label=lambda row: f"{row.get_kind_display()} {readable_date(row.occurred_on)}"))


def scrub(model: type[models.Model], pk: object, **values: object) -> int:
    """Overwrite fields in every historical record of one object (erasure)."""
    return model.history.filter(id=pk).update(**values)  # type: ignore[attr-defined]  # simple-history's, untyped
