"""The Celery app. The beat schedule is defined here and nowhere else."""

from __future__ import annotations

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

from config.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rekan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


app.conf.beat_schedule = {
    # Writes due reminders to the outbox and asks a worker to deliver them.
    "sweep-reminders": {
        "task": "engagements.tasks.sweep_reminders",
        "schedule": timedelta(seconds=env_int("REMINDER_SWEEP_SECONDS", 60)),
    },
    # Daily digests at 07:00 in TIME_ZONE (Celery's timezone).
    "send-reminder-digests": {
        "task": "engagements.tasks.send_reminder_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Health checks due on each partnership's rhythm, at 06:00 in TIME_ZONE: invitations go out with the next sweep.
    "open-due-health-checks": {
        "task": "engagements.tasks.open_due_health_checks",
        "schedule": crontab(hour=6, minute=0),
    },
    # Every partnership's flags and live health score, for the pages that count and sort them (Today, the list).
    "refresh-standings": {
        "task": "engagements.tasks.refresh_standings",
        "schedule": timedelta(seconds=env_int("STANDING_REFRESH_SECONDS", 10 * 60)),
    },
    # The health score's daily snapshot, at 01:30 in TIME_ZONE: the quiet hour, before the day's digests.
    "snapshot-health": {
        "task": "engagements.tasks.snapshot_health",
        "schedule": crontab(hour=1, minute=30),
    },
}
