"""The reminder log, as the facilitators' page reads it, and delivery's re-check of what it is about to send."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from engagements.access import reminders_visible_to
from engagements.models import (
    Activity,
    ActivityStatus,
    CancelReason,
    CheckInSchedule,
    Commitment,
    CommitmentState,
    HealthCheckAnswer,
    HealthCheckRound,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Reminder,
    ReminderChannel,
    ReminderStatus,
)
from partners.models import OrganizationMember


def reminder_log(*, user: User, status: str = "") -> QuerySet[Reminder]:
    """The reminders this user may see, newest first, of one status when it is a known one (else all)."""
    reminders = reminders_visible_to(user).select_related("partnership")
    if status in ReminderStatus.values:
        reminders = reminders.filter(status=status)
    return reminders.order_by("-created_at", "-pk")


@dataclass
class SendTimeCheck:
    """What delivery learns when it re-reads a claimed batch: rows to cancel, and addresses that changed."""

    reasons: dict[int, str] = field(default_factory=dict)
    new_addresses: dict[int, str] = field(default_factory=dict)
    new_phones: dict[int, str] = field(default_factory=dict)


PAUSED_STATUSES = (PartnershipStatus.CLOSED, PartnershipStatus.PAUSED)
OPEN_ACTIVITY = (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)


def send_time_check(reminders: list[Reminder]) -> SendTimeCheck:
    """Is each reminder still true now? A fixed number of queries for the batch.

    The sweep wrote the rows minutes or hours ago; since then the check-in
    may have been held, the activity done, the partnership paused, consent
    withdrawn, the person unsubscribed, erased or deactivated, or the
    person's group may have left the partnership. Reads the subjects and the
    recipients (``partnership``, ``user`` and ``contact`` come selected).
    """
    ids: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        ids[reminder.subject_type].add(reminder.subject_id)
    schedules = {s.pk: s for s in CheckInSchedule.objects.filter(pk__in=ids["checkin"]).only("pk", "due_on", "paused")}
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=ids["activity"]).only("pk", "due_date", "status")}
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(pk__in=ids["commitment"]).only("pk", "due_on", "state", "promised_by_id")
    }
    rounds = {
        r.pk: r for r in HealthCheckRound.objects.filter(pk__in=ids["health"]).only("pk", "closes_on", "closed_at")
    }
    answered = set(
        HealthCheckAnswer.objects.filter(round_id__in=rounds).values_list("round_id", "respondent_id").distinct()
    )
    partnership_ids = {reminder.partnership_id for reminder in reminders}
    facilitating = set(
        Partnership.facilitators.through.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "user_id"
        )
    )
    members = set(
        PartnershipMember.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "organization_id"
        )
    )
    user_ids = {reminder.user_id for reminder in reminders if reminder.user_id}
    signs_in_for = set(
        OrganizationMember.objects.filter(user_id__in=user_ids).values_list("user_id", "organization_id")
    )

    check = SendTimeCheck()
    for reminder in reminders:
        subject = _subject_reason(reminder, schedules, activities, commitments) or _round_reason(
            reminder, rounds, answered
        )
        # Whose group must the user sign in for, if they do not facilitate?
        speaks_for: set[int] = set()
        if reminder.subject_type == "commitment" and reminder.subject_id in commitments:
            promised_by = commitments[reminder.subject_id].promised_by_id
            speaks_for = {promised_by} if promised_by is not None else set()
        elif reminder.subject_type == "health":
            speaks_for = {org for partnership_id, org in members if partnership_id == reminder.partnership_id}
        recipient = _recipient_reason(reminder, facilitating, members, signs_in_for, speaks_for)
        reason = subject or recipient
        if reason:
            check.reasons[reminder.pk] = reason
        elif reminder.user is not None and reminder.user.email != reminder.email:
            check.new_addresses[reminder.pk] = reminder.user.email
        elif (
            reminder.channel == ReminderChannel.WHATSAPP
            and reminder.contact
            and reminder.contact.phone != reminder.phone
        ):
            check.new_phones[reminder.pk] = reminder.contact.phone
    return check


def _subject_reason(
    reminder: Reminder,
    schedules: dict[int, CheckInSchedule],
    activities: dict[int, Activity],
    commitments: dict[int, Commitment],
) -> str | None:
    if reminder.partnership.status in PAUSED_STATUSES:
        return CancelReason.PAUSED
    if reminder.subject_type == "checkin":
        schedule = schedules.get(reminder.subject_id)
        if schedule is None:
            return CancelReason.SUBJECT_GONE
        if schedule.paused:
            return CancelReason.PAUSED
        # Logging a check-in (or moving one) moves the schedule to its next date.
        return CancelReason.HELD_OR_MOVED if schedule.due_on != reminder.due_on else None
    if reminder.subject_type == "activity":
        activity = activities.get(reminder.subject_id)
        if activity is None:
            return CancelReason.SUBJECT_GONE
        if activity.status not in OPEN_ACTIVITY:
            return CancelReason.CLOSED
        return CancelReason.HELD_OR_MOVED if activity.due_date != reminder.due_on else None
    if reminder.subject_type == "commitment":
        commitment = commitments.get(reminder.subject_id)
        if commitment is None:
            return CancelReason.SUBJECT_GONE
        if commitment.state != CommitmentState.OPEN:
            return CancelReason.CLOSED
        return CancelReason.HELD_OR_MOVED if commitment.due_on != reminder.due_on else None
    if reminder.subject_type == "health":
        return None  # _round_reason
    return CancelReason.SUBJECT_GONE


def _round_reason(
    reminder: Reminder, rounds: dict[int, HealthCheckRound], answered: set[tuple[int, int]]
) -> str | None:
    """A health check invitation is still true while its round is open and the person has not answered."""
    if reminder.subject_type != "health":
        return None
    found = rounds.get(reminder.subject_id)
    if found is None:
        return CancelReason.SUBJECT_GONE
    if found.closed_at is not None or found.closes_on < timezone.localdate():
        return CancelReason.ROUND_CLOSED
    if (found.pk, reminder.user_id) in answered:
        return CancelReason.ANSWERED
    return None


def _recipient_reason(
    reminder: Reminder,
    facilitating: set[tuple[int, int]],
    members: set[tuple[int, int]],
    signs_in_for: set[tuple[int, int]],
    speaks_for: set[int],
) -> str | None:
    if reminder.contact_id is not None:
        contact = reminder.contact
        if contact is None or contact.erased_at is not None:
            return CancelReason.ERASED
        if not contact.consent_to_contact:
            return CancelReason.CONSENT_WITHDRAWN
        on_whatsapp = reminder.channel == ReminderChannel.WHATSAPP
        if not (contact.whatsapp_reminders if on_whatsapp else contact.wants_reminders):
            return CancelReason.UNSUBSCRIBED
        if not (contact.phone if on_whatsapp else contact.email):
            return CancelReason.NO_ADDRESS
        if (reminder.partnership_id, contact.organization_id) not in members:
            return CancelReason.NOT_INVOLVED
        return None
    user = reminder.user
    if user is None:
        return CancelReason.SUBJECT_GONE
    if not user.is_active:
        return CancelReason.DEACTIVATED
    if not user.email_reminders:
        return CancelReason.UNSUBSCRIBED
    if not user.email:
        return CancelReason.NO_ADDRESS
    facilitates = (reminder.partnership_id, user.pk) in facilitating
    speaks_for_a_party = any((user.pk, organization) in signs_in_for for organization in speaks_for)
    if not facilitates and not speaks_for_a_party:
        return CancelReason.NOT_INVOLVED
    return None
