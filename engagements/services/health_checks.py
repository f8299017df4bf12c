"""The two-sided health check: opening a round (and inviting both sides), answering it, closing it.

Facilitators open and close rounds, one open at a time per partnership.
Everyone with a side answers once per round and may change their answers
while it is open: the facilitators for the facilitating side, each partner
member for their own member organization (``access.health_check_side_for``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tasks import send_email
from engagements.access import health_check_side_for
from engagements.domain import health_checks as rules
from engagements.errors import EngagementRuleError
from engagements.models import HealthCheckAnswer, HealthCheckRound, Partnership

MAX_COMMENT = 2000


@transaction.atomic
def health_check_open(
    *, user: User, partnership: Partnership, closes_on: datetime.date, rhythm_months: int = 3
) -> HealthCheckRound:
    """Open a round for both sides to answer until ``closes_on``, and email everyone who should answer."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # one open round at a time
    today = timezone.localdate()
    if HealthCheckRound.objects.filter(partnership=partnership, closed_at__isnull=True, closes_on__gte=today).exists():
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


def health_check_recipients(partnership: Partnership) -> list[User]:
    """Who should answer and has an email: the partnership's facilitators and its member organizations' users."""
    return list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(facilitated_partnerships=partnership)
            | Q(organization_memberships__organization__partnership_memberships__partnership=partnership)
        )
        .distinct()
        .order_by("pk")
    )


def health_check_invite(*, found: HealthCheckRound) -> int:
    """Queue one email per person who should answer, in their language, for after commit."""
    partnership = found.partnership
    answer_url = settings.SITE_URL + reverse(
        "engagements:health_check_answer", kwargs={"pk": partnership.pk, "round_pk": found.pk}
    )
    recipients = health_check_recipients(partnership)
    for recipient in recipients:
        context = {
            "name": recipient.get_full_name() or recipient.get_username(),
            "partnership_title": partnership.title,
            "closes_on": found.closes_on,
            "answer_url": answer_url,
        }
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            # Plain text (the templates turn autoescape off), the subject on one line whatever the title holds.
            subject = " ".join(
                loader.render_to_string("engagements/health_checks/invitation_email_subject.txt", context).split()
            )
            body = loader.render_to_string("engagements/health_checks/invitation_email.txt", context)
        transaction.on_commit(_sender(subject=subject, body=body, to=[recipient.email]))
    return len(recipients)


def _sender(*, subject: str, body: str, to: list[str]) -> Callable[[], None]:
    return lambda: send_email.delay(subject=subject, body=body, to=to)
