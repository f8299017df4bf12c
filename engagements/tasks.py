"""Thin Celery tasks: each calls a service. Safe to run twice at once."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction

from engagements import services
from engagements.whatsapp import WhatsAppError

logger = logging.getLogger(__name__)


@shared_task
def sweep_reminders() -> int:
    """Every minute (beat): write due reminders to the outbox, then ask for delivery.

    The outbox rows are committed before the broker hears of them: if the
    broker is down, the rows wait in the database and the next sweep asks
    again.
    """
    created = services.reminders.sweep()
    if services.outbox.deliverable_exists():
        transaction.on_commit(ask_for_delivery)
    return created


def ask_for_delivery() -> None:
    """Queue REMINDER_DELIVERY_TASKS deliveries: worker processes send side by side, each its own claims.

    A delivery that finds nothing left returns at once, so asking more than
    there is to send costs a task each, never an email twice.
    """
    try:
        for _ in range(settings.REMINDER_DELIVERY_TASKS):
            deliver_reminders.delay()
    except Exception:  # broker unreachable: the next sweep asks again
        logger.warning("Could not queue reminder delivery; the next sweep will retry.", exc_info=True)


@shared_task
def deliver_reminders() -> int:
    return services.reminders.deliver()


@shared_task
def send_reminder_digests() -> int:
    """Every morning (beat): one email per person who chose the daily digest."""
    return services.reminders.send_digests()


@shared_task
def snapshot_health() -> int:
    """Every night (beat): today's health score of every partnership, once (safe to run twice)."""
    return services.health.health_snapshot_all()


@shared_task
def refresh_standings() -> int:
    """Every STANDING_REFRESH_SECONDS (beat): every live partnership's flags and health score, stored for Today."""
    return services.standing.standing_refresh_all()


@shared_task
def open_due_health_checks() -> int:
    """Every morning (beat): open the health checks due on the partnerships' rhythm; the sweep invites."""
    return services.health_checks.health_checks_open_due()


# Temporary refusals back off 1, 2, 4 ... minutes up to an hour: about 12 hours in all.
INVITATION_RETRIES = 16


@shared_task(bind=True, max_retries=INVITATION_RETRIES)
def send_invitation_on_whatsapp(self: Task, *, invitation_id: int, accept_url: str) -> str:
    """Send one invitation by the Cloud API; a temporary refusal is tried again, then written on the row."""
    try:
        return services.invitations.invitation_deliver_on_whatsapp(invitation_id=invitation_id, accept_url=accept_url)
    except WhatsAppError as error:
        if self.request.retries >= INVITATION_RETRIES:
            services.invitations.invitation_whatsapp_failed(invitation_id=invitation_id, text=str(error))
            return "failed"
        raise self.retry(countdown=min(3600, 60 * 2**self.request.retries), exc=error) from error
