from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Periodic placeholder: proves that beat schedules and a worker runs.

    The check-in reminders issue replaces it with the reminder sweep.
    """
    now = timezone.now().isoformat()
    logger.info("Rekan heartbeat: beat and worker are running (%s)", now)
    return now
