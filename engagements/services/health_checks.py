"""The two-sided health check: opening a round (and inviting both sides), answering it, closing it.

Facilitators open and close rounds, one open at a time per partnership.
Everyone with a side answers once per round and may change their answers
while it is open: the facilitators for the facilitating side, each partner
member for their own member organization (``access.health_check_side_for``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from engagements import services
from engagements.access import health_check_side_for
from engagements.domain import health_checks as rules
from engagements.errors import EngagementRuleError
from engagements.models import (
    HealthCheckAnswer,
    HealthCheckRound,
    Partnership,
    PartnershipStatus,
    ReminderKind,
)
from engagements.services.outbox import ReminderRow
from partners.models import OrganizationMember

MAX_COMMENT = 2000


@transaction.atomic
def health_check_open(
    *, user: User, partnership: Partnership, closes_on: datetime.date, rhythm_months: int = 3
) -> HealthCheckRound:
    """Open a round for both sides to answer until ``closes_on``; everyone who should answer is invited (outbox)."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # one open round at a time
    today = timezone.localdate()
    if _has_open_round(partnership, today):
        raise EngagementRuleError(_("A health check is already open for this partnership: close it first."))
    if closes_on < today:
        raise EngagementRuleError(_("The health check must stay open until today at least."))
    found = HealthCheckRound(
        partnership=partnership, opened_on=today, closes_on=closes_on, rhythm_months=rhythm_months, opened_by=user
    )
    found.full_clean()
    found.save()
    health_check_invite(found=found)
    return found


@transaction.atomic
def health_check_close(*, user: User, found: HealthCheckRound) -> HealthCheckRound:
    found = HealthCheckRound.objects.select_for_update().get(pk=found.pk)
    if not found.is_open:
        raise EngagementRuleError(_("This health check is already closed."))
    found.closed_at = timezone.now()
    found.save(update_fields=["closed_at"])
    return found


@transaction.atomic
def health_check_answer(
    *, user: User, found: HealthCheckRound, scores: dict[str, int], comments: dict[str, str]
) -> list[HealthCheckAnswer]:
    """Save this person's answers for their side, replacing any earlier ones of the same round."""
    found = HealthCheckRound.objects.select_for_update().select_related("partnership").get(pk=found.pk)
    if not found.is_open:
        raise EngagementRuleError(_("This health check is closed: answers can no longer change."))
    side = health_check_side_for(user, found.partnership)
    if side is None:
        raise EngagementRuleError(
            _("Only the facilitators and the members of this partnership answer its health check.")
        )
    if set(scores) != set(rules.SLUGS) or any(not rules.LOWEST <= score <= rules.HIGHEST for score in scores.values()):
        raise EngagementRuleError(_("Answer every statement with a score from 1 to 5."))
    side_name, organization = side
    now = timezone.now()
    answers = [
        HealthCheckAnswer(
            round=found,
            respondent=user,
            side=side_name,
            organization=organization,
            statement=slug,
            score=scores[slug],
            comment=comments.get(slug, "").strip()[:MAX_COMMENT],
            answered_at=now,
        )
        for slug in rules.SLUGS
    ]
    # One statement's answer per person and round: the database keeps it unique, race-free.
    HealthCheckAnswer.objects.filter(round=found, respondent=user).delete()
    return HealthCheckAnswer.objects.bulk_create(answers)


def recipients_of(partnership_ids: list[int]) -> dict[int, list[User]]:
    """Who should answer, per partnership: its facilitators and the users of its member organizations.

    Two queries whatever the number of partnerships. Whether each can be
    emailed is for ``services.outbox.user_row`` to say.
    """
    found: dict[int, dict[int, User]] = {pk: {} for pk in partnership_ids}
    facilitating = Partnership.facilitators.through.objects.filter(partnership_id__in=partnership_ids)
    for link in facilitating.select_related("user"):
        found[link.partnership_id][link.user_id] = link.user
    members = OrganizationMember.objects.filter(
        organization__partnership_memberships__partnership_id__in=partnership_ids
    ).annotate(partnership_id=F("organization__partnership_memberships__partnership_id"))
    for member in members.select_related("user"):
        found[member.partnership_id][member.user_id] = member.user
    return {pk: sorted(users.values(), key=lambda user: user.pk) for pk, users in found.items()}


def health_check_recipients(partnership: Partnership) -> list[User]:
    return recipients_of([partnership.pk])[partnership.pk]


def _rows(found: HealthCheckRound, kind: str, recipients: list[User], answered: set[int]) -> list[ReminderRow]:
    row: ReminderRow = {
        "partnership_id": found.partnership_id,
        "kind": kind,
        "subject_type": "health",
        "subject_id": found.pk,
        "occurrence": found.opened_on.isoformat(),
        "due_on": found.closes_on,
    }
    rows = (services.outbox.user_row(user, row) for user in recipients if user.pk not in answered)
    return [row for row in rows if row]


def health_check_invite(*, found: HealthCheckRound) -> int:
    """Write one invitation per person who should answer to the outbox; the sweep asks for delivery."""
    recipients = recipients_of([found.partnership_id])[found.partnership_id]
    return services.outbox.reminders_insert(_rows(found, ReminderKind.HEALTH_CHECK_OPEN, recipients, set()))


# The days before a round closes when those who have not answered are reminded, once.
CLOSING_REMINDER_DAYS = 3


def health_check_closing_reminders(*, today: datetime.date | None = None) -> int:
    """For rounds closing within CLOSING_REMINDER_DAYS: remind who has not answered yet, once per round.

    Called by the sweep. Reads only the rounds not reminded yet (the mark
    is set in the same transaction), so a repeat sweep reads next to nothing.
    """
    today = today or timezone.localdate()
    due = HealthCheckRound.objects.filter(
        closing_reminded=False,
        closed_at__isnull=True,
        closes_on__gte=today,
        closes_on__lte=today + datetime.timedelta(days=CLOSING_REMINDER_DAYS),
    )
    if not due.exists():  # the sweep's every minute: one query
        return 0
    with transaction.atomic():
        rounds = list(due.select_for_update(skip_locked=True)[:SWEEP_ROUNDS])
        # A paused partnership's rows are cancelled at send time, with the reason.
        recipients = recipients_of(list({r.partnership_id for r in rounds}))
        answered: dict[int, set[int]] = {r.pk: set() for r in rounds}
        answers = HealthCheckAnswer.objects.filter(round__in=rounds).values_list("round_id", "respondent_id")
        for round_id, user_id in answers.distinct():
            answered[round_id].add(user_id)
        rows = [
            row
            for r in rounds
            for row in _rows(r, ReminderKind.HEALTH_CHECK_CLOSING, recipients[r.partnership_id], answered[r.pk])
        ]
        created = services.outbox.reminders_insert(rows)
        HealthCheckRound.objects.filter(pk__in=[r.pk for r in rounds]).update(closing_reminded=True)
    return created


# Rounds read by one sweep; the next sweep takes the rest.
SWEEP_ROUNDS = 500


# How long a round opened on the rhythm stays open.
RHYTHM_ROUND_DAYS = 14
RHYTHM_STATUSES = (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE, PartnershipStatus.TRANSITIONING)


def health_checks_open_due(*, today: datetime.date | None = None, limit: int = 500) -> int:
    """Open the rounds that the partnerships' rhythm says are due today; returns how many (daily, by beat).

    Due: the latest round opened ``rhythm_months`` ago or more, or, for a
    partnership that never held one, the default rhythm since it was
    created. Live partnerships only, never two open rounds; safe to run twice.
    """
    today = today or timezone.localdate()
    opened = 0
    for partnership_id in _due_for_health_check(today)[:limit]:
        with transaction.atomic():
            partnership = Partnership.objects.select_for_update().get(pk=partnership_id)
            if _has_open_round(partnership, today):
                continue  # opened by hand meanwhile
            latest = partnership.health_check_rounds.order_by("-opened_on", "-pk").first()
            found = HealthCheckRound(
                partnership=partnership,
                opened_on=today,
                closes_on=today + datetime.timedelta(days=RHYTHM_ROUND_DAYS),
                rhythm_months=latest.rhythm_months if latest else rules.DEFAULT_RHYTHM_MONTHS,
            )
            found.save()
            health_check_invite(found=found)
            opened += 1
    return opened


def _open_rounds(today: datetime.date) -> QuerySet[HealthCheckRound]:
    return HealthCheckRound.objects.filter(closed_at__isnull=True, closes_on__gte=today)


def _has_open_round(partnership: Partnership, today: datetime.date) -> bool:
    return _open_rounds(today).filter(partnership=partnership).exists()


def _due_for_health_check(today: datetime.date) -> list[int]:
    """Ids of live partnerships whose next round is due by today, in one query."""
    latest = HealthCheckRound.objects.filter(partnership=OuterRef("pk")).order_by("-opened_on", "-pk")
    candidates = (
        Partnership.objects.filter(status__in=RHYTHM_STATUSES)
        .annotate(
            last_opened=Subquery(latest.values("opened_on")[:1]),
            last_rhythm=Subquery(latest.values("rhythm_months")[:1]),
            open_rounds=Exists(_open_rounds(today).filter(partnership=OuterRef("pk"))),
        )
        .filter(open_rounds=False)
        .values_list("pk", "last_opened", "last_rhythm", "created_at")
        .order_by("pk")
    )
    due = []
    for pk, last_opened, rhythm, created_at in candidates.iterator(chunk_size=2000):
        since = last_opened or timezone.localdate(created_at)
        months = rhythm or rules.DEFAULT_RHYTHM_MONTHS
        if rules.months_after(since, months) <= today:
            due.append(pk)
    return due
