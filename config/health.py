"""`/healthz`: can this process reach its database and its broker?"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def database_is_reachable(connection: BaseDatabaseWrapper) -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: database unreachable", exc_info=True)
        return False


def broker_is_reachable(url: str, transport_options: dict[str, object]) -> bool:
    try:
        with Connection(url, transport_options=transport_options, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
            # ensure_connection is lazy for some transports; a real round
            # trip proves the broker answers.
            conn.default_channel.queue_declare(queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=False)
        return True
    except Exception:  # kombu raises transport-specific errors
        logger.warning("Health check: broker unreachable", exc_info=True)
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database_ok = database_is_reachable(connections["default"])
    broker_ok = broker_is_reachable(settings.CELERY_BROKER_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    body = {
        "database": "ok" if database_ok else "unreachable",
        "broker": "ok" if broker_ok else "unreachable",
    }
    return JsonResponse(body, status=200 if database_ok and broker_ok else 503)
