"""The Celery app. The beat schedule is defined here and nowhere else."""

from __future__ import annotations

import os
from datetime import timedelta

from celery import Celery

from config.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rekan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


app.conf.beat_schedule = {
    # Placeholder that proves worker + beat + broker wiring; the check-in
    # reminders issue replaces it with the reminder sweep.
    "heartbeat": {
        "task": "engagements.tasks.heartbeat",
        "schedule": timedelta(seconds=env_int("HEARTBEAT_SECONDS", 60)),
    },
}
