"""The Celery app. The beat schedule is defined here and nowhere else."""

from __future__ import annotations

import os
from datetime import timedelta

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rekan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _define_beat_schedule(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        # Placeholder that proves worker + beat + broker wiring; the
        # check-in reminders issue replaces it with the reminder sweep.
        "heartbeat": {
            "task": "engagements.tasks.heartbeat",
            "schedule": timedelta(seconds=settings.HEARTBEAT_SECONDS),
        },
    }
