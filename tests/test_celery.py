"""Celery is wired to the real broker: a worker with beat runs our tasks."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def test_it_serializes_json_and_acknowledges_late() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.broker_url == settings.CELERY_BROKER_URL


@pytest.mark.django_db  # importing the task modules runs Django's model checks
def test_it_defines_the_beat_schedule_in_one_place() -> None:
    schedule = app.conf.beat_schedule
    assert schedule["sweep-reminders"]["task"] == "engagements.tasks.sweep_reminders"
    assert schedule["send-reminder-digests"]["task"] == "engagements.tasks.send_reminder_digests"
    app.loader.import_default_modules()
    assert all(entry["task"] in app.tasks for entry in schedule.values())


class WorkerOutput:
    """Collects a subprocess's output lines in a thread, to wait for one."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)

    def wait_for(self, *needles: str | re.Pattern[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = "".join(self.lines)
            if all(needle.search(text) if isinstance(needle, re.Pattern) else needle in text for needle in needles):
                return True
            time.sleep(0.2)
        return False


@pytest.mark.slow
def test_it_runs_the_periodic_sweep_and_queued_tasks_in_a_real_worker_with_beat(tmp_path: Path) -> None:
    queue = f"rekan-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        REMINDER_SWEEP_SECONDS="1",
        # The worker's own database, migrated below: the sweep reads it.
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        CELERY_QUEUE=queue,
        # The filesystem broker lives in the var folder: share the test's.
        REKAN_VAR_DIR=str(settings.VAR_DIR),
        EMAIL_BACKEND="console",
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--loglevel=INFO",
        "--concurrency=1", "--pool=solo", f"--schedule={tmp_path / 'beat-schedule'}", "-Q", queue,
    ]  # fmt: skip
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = WorkerOutput(process)
    try:
        assert output.wait_for("ready.", timeout=60), "".join(output.lines)
        # send_task always goes through the broker, even where the test
        # settings run .delay() in-process.
        app.send_task(
            "accounts.tasks.send_email",
            kwargs={"subject": f"Worker check {queue}", "body": "Dikirim oleh worker.", "to": ["a@example.org"]},
            queue=queue,
        )
        swept = re.compile(r"engagements\.tasks\.sweep_reminders\[[^\]]+\] succeeded")
        assert output.wait_for(swept, f"Subject: Worker check {queue}", timeout=60), "".join(output.lines)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
