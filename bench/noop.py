"""A task that does nothing: what one Celery worker costs per task, for bench/delivery.py.

The bench starts its worker with ``--include bench.noop``; nothing else
imports this module.
"""

from __future__ import annotations

from celery import shared_task


@shared_task
def noop() -> None:
    return None
