"""How fast a Celery worker delivers reminder emails, against how fast it runs tasks that do nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/delivery.py --count 1000

The script creates a database of its own on the PostgreSQL server that
DATABASE_URL names (``rekan_bench_<random>``, dropped at the end), starts an
SMTP server on a free loopback port that counts what it receives
(``bench.smtp_counter``: lean, and announcing PIPELINING as production
relays do) and ONE real Celery worker on a queue of
its own on the Redis broker of REDIS_URL, with production settings (DEBUG
off, the SMTP backend pointed at the sink). The worker has two pool
processes, as ``make run`` starts it (``--concurrency 1`` to see one). Then:

* **no-op tasks**: it queues N ``bench.noop.noop`` tasks and times until the
  worker has run them all;
* **reminder emails**: it writes N pending outbox rows for N real recipients
  (``services.outbox.reminders_insert``), asks for delivery as the sweep
  does (``engagements.tasks.ask_for_delivery``: one
  ``deliver_reminders`` per pool process, REMINDER_DELIVERY_TASKS) and
  times until the sink has received N messages and no row is still
  waiting or being sent.

The two parts take turns, ``--runs`` times (3), so each pair shares the
load of its moment. It prints both rates and their ratio per run, and PASS
when the median ratio shows delivery at least half as fast as the no-op
tasks (exit status 1 on FAIL). Each part starts with a warm-up (one task,
one email) that is not timed. Progress goes to stderr and the table to
stdout. See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from bench.smtp_counter import SmtpCounter
    from engagements.services.outbox import ReminderRow

# Delivery must run at least this fraction of the worker's no-op task rate.
TARGET = 0.5
CONTACTS_PER_PARTNERSHIP = 3  # recipients per partnership: its facilitator and these contacts
NOOP_DONE = re.compile(r"bench\.noop\.noop\[[^\]]+\] succeeded")
DELIVER_DONE = re.compile(r"engagements\.tasks\.deliver_reminders\[[^\]]+\] succeeded in [\d.]+s: (\S+)")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, metavar="N", help="tasks and emails to time (1000)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database (to inspect it)")
    parser.add_argument(
        "--runs", type=int, default=3, metavar="R", help="no-op and delivery timings, in turns; the median ratio (3)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=2, metavar="C", help="the worker's pool processes (2, as make run)"
    )
    arguments = parser.parse_args()
    if arguments.count < 1:
        parser.error("--count must be at least 1")
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")
    if arguments.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    return arguments


def required_services() -> tuple[str, str]:
    """DATABASE_URL (a PostgreSQL server) and REDIS_URL, or exit with what is missing."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL=postgres://user@host:5432/postgres (the server; a database of its own is made)")
    if not redis_url.startswith(("redis://", "rediss://")):
        problems.append("REDIS_URL=redis://host:6379/<db> (the broker; only a queue of its own is used)")
    if problems:
        sys.exit(
            "bench/delivery.py measures a real worker against PostgreSQL and Redis, as production runs; set\n  "
            + "\n  ".join(problems)
        )
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        sys.exit(f"Redis at REDIS_URL does not answer: {error}")
    finally:
        client.close()
    return database_url, redis_url


def set_up_django(
    *, database_url: str, redis_url: str, queue: str, var_dir: str, sink: SmtpCounter, concurrency: int = 2
) -> None:
    """Production settings for this process and the worker it starts (which inherits the environment).

    One delivery task per pool process, as production is told to
    (REMINDER_DELIVERY_TASKS, README).
    """
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="false",
        REKAN_VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
        REMINDER_DELIVERY_TASKS=str(concurrency),
        **sink.environment,
    )
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s", file=sys.stderr)


class Worker:
    """One real Celery worker (prefork, ``concurrency`` children) consuming ``queue``; counts the tasks it finishes."""

    def __init__(self, queue: str, concurrency: int) -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", f"--concurrency={concurrency}",
            "-Q", queue, "-n", f"{queue}@%h", "--include", "bench.noop",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        # The worker logs every task at INFO, as production's does (docker-compose.yml).
        env = dict(os.environ, PYTHONUNBUFFERED="1", LOG_LEVEL="INFO")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.noops: list[float] = []  # when each no-op task was seen to finish
        self.delivered: list[str] = []  # what each deliver_reminders returned
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            now = time.perf_counter()
            self.lines.append(line)
            if NOOP_DONE.search(line):
                self.noops.append(now)
            elif match := DELIVER_DONE.search(line):
                self.delivered.append(match.group(1))
            elif " ready." in line:
                self.ready.set()

    def tail(self, lines: int = 40) -> str:
        return "".join(self.lines[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.process.poll() is not None:
            raise RuntimeError(f"The worker stopped while waiting for {what}:\n{worker.tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"Timed out after {timeout:.0f} s waiting for {what}. The worker's last lines:\n{worker.tail()}"
            )
        time.sleep(0.02)


def time_noops(worker: Worker, count: int, concurrency: int) -> tuple[float, float]:
    """Seconds from queuing the first of ``count`` no-op tasks until the last has run, and to queue them."""
    from bench.noop import noop

    for _ in range(concurrency):
        noop.delay()  # warm-up: the children's first tasks
    wait_until(lambda: len(worker.noops) >= concurrency, timeout=60, what="the warm-up tasks", worker=worker)
    before = len(worker.noops)
    started = time.perf_counter()
    for _ in range(count):
        noop.delay()
    queued = time.perf_counter() - started
    wait_until(
        lambda: len(worker.noops) >= before + count, timeout=60 + count / 10, what="the no-op tasks", worker=worker
    )
    return worker.noops[before + count - 1] - started, queued


def create_recipients(count: int, *, label: str) -> list[ReminderRow]:
    """``count`` outbox rows as the sweep writes them: check-ins coming due, each to an address of its own.

    Each partnership has one facilitator (a user) and one member organization
    with ``CONTACTS_PER_PARTNERSHIP`` consenting contacts; every one of them is
    reminded of the partnership's check-in, due tomorrow.
    """
    from accounts.models import User
    from engagements.domain import schedules
    from engagements.models import (
        CheckInSchedule,
        MemberRole,
        Partnership,
        PartnershipMember,
        PartnershipStatus,
        ReminderKind,
    )
    from partners.models import Contact, Organization

    size = math.ceil(count / (1 + CONTACTS_PER_PARTNERSHIP))
    today = schedules.local_today("Asia/Jakarta")
    due = today + datetime.timedelta(days=1)
    users = User.objects.bulk_create(
        [User(username=f"{label}-f{n}", email=f"{label}-f{n}@example.org") for n in range(size)]
    )
    partnerships = Partnership.objects.bulk_create(
        [Partnership(title=f"Kemitraan {label} {n}", status=PartnershipStatus.ACTIVE) for n in range(size)]
    )
    organizations = Organization.objects.bulk_create([Organization(name=f"Kelompok {label} {n}") for n in range(size)])
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                organization=organization,
                name=f"Ibu {n}.{k}",
                email=f"{label}-c{n}.{k}@example.org",
                consent_to_contact=True,
            )
            for n, organization in enumerate(organizations)
            for k in range(CONTACTS_PER_PARTNERSHIP)
        ]
    )
    PartnershipMember.objects.bulk_create(
        [
            PartnershipMember(partnership=partnership, organization=organization, role=MemberRole.LEAD)
            for partnership, organization in zip(partnerships, organizations, strict=True)
        ]
    )
    through = Partnership.facilitators.through
    through.objects.bulk_create([through(partnership=p, user=u) for p, u in zip(partnerships, users, strict=True)])
    check_ins = CheckInSchedule.objects.bulk_create(
        [
            CheckInSchedule(
                partnership=partnership,
                time_zone="Asia/Jakarta",
                planned_on=due,
                due_on=due,
                remind_from=today - datetime.timedelta(days=1),
                late_from=due + datetime.timedelta(days=4),
                dormant_from=due + datetime.timedelta(days=14),
            )
            for partnership in partnerships
        ]
    )
    rows: list[ReminderRow] = []
    for n, (partnership, schedule) in enumerate(zip(partnerships, check_ins, strict=True)):
        base: ReminderRow = {
            "partnership_id": partnership.pk,
            "kind": ReminderKind.CHECK_IN_DUE,
            "subject_type": "checkin",
            "subject_id": schedule.pk,
            "occurrence": due.isoformat(),
            "due_on": due,
            "digest": False,
        }
        user = users[n]
        rows.append(
            base | {"recipient_key": f"user:{user.pk}", "user_id": user.pk, "email": user.email, "language": "id"}
        )
        for contact in contacts[n * CONTACTS_PER_PARTNERSHIP : (n + 1) * CONTACTS_PER_PARTNERSHIP]:
            # Half in English, half in Indonesian: both templates are rendered.
            language = "en" if contact.pk % 2 else "id"
            rows.append(
                base
                | {
                    "recipient_key": f"contact:{contact.pk}",
                    "contact_id": contact.pk,
                    "email": contact.email,
                    "language": language,
                }
            )
    return rows[:count]


def unfinished() -> int:
    """Rows still waiting or being sent (UNCERTAIN, FAILED and CANCELLED are final for this bench)."""
    from engagements.models import Reminder, ReminderStatus

    return Reminder.objects.filter(status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING]).count()


def time_delivery(worker: Worker, sink: SmtpCounter, count: int, *, label: str) -> tuple[float, float]:
    """Seconds from asking for delivery until the sink has ``count`` emails, and until every row is final."""
    from engagements.services.outbox import reminders_insert
    from engagements.tasks import ask_for_delivery

    # Warm-up (the child's first database connection and template renders): one email.
    before = sink.total
    assert reminders_insert(create_recipients(1, label=f"warmup-{label}")) == 1
    ask_for_delivery()
    wait_until(lambda: sink.total > before and unfinished() == 0, timeout=60, what="the warm-up email", worker=worker)
    started = time.perf_counter()
    rows = create_recipients(count, label=label)
    assert len({row["email"] for row in rows}) == count
    assert reminders_insert(rows) == count
    print(f"{count} outbox rows written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    before = sink.total
    started = time.perf_counter()
    ask_for_delivery()
    timeout = 120 + count / 5
    wait_until(lambda: sink.total >= before + count, timeout=timeout, what=f"{count} emails", worker=worker)
    received = time.perf_counter() - started
    wait_until(lambda: unfinished() == 0, timeout=60, what="the last rows to be stamped", worker=worker)
    finished = time.perf_counter() - started
    return received, finished


def check_deliveries(sink: SmtpCounter, count: int, *, label: str) -> dict[str, int]:
    """Every address of this run got exactly one email; returns the rows by status (of every run so far)."""
    from django.db.models import Count

    from engagements.models import Reminder

    counts = sink.counts
    bench = {address: n for address, n in counts.items() if address.startswith(f"{label}-")}
    assert len(bench) == count, f"{len(bench)} of {count} addresses received an email"
    assert set(bench.values()) == {1}, f"some addresses received more than one: {sorted(set(bench.values()))}"
    return dict(Reminder.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def forget_queue(redis_url: str, queue: str) -> None:
    """Remove what kombu leaves in Redis once the worker has stopped.

    The queue's binding (and the list, if anything is left), and the expiry
    entry of the remote-control binding table when no worker has that table
    any more (a live worker's table, and entry, stay).
    """
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        if not client.exists("_kombu.binding.celery.pidbox"):
            client.zrem("_kombu.binding_deadlines", "celery.pidbox")
    except redis.RedisError:
        pass
    finally:
        client.close()


@dataclass
class Run:
    noop_s: float
    received_s: float
    finished_s: float
    count: int

    @property
    def noop_rate(self) -> float:
        return self.count / self.noop_s

    @property
    def delivery_rate(self) -> float:
        return self.count / self.finished_s

    @property
    def ratio(self) -> float:
        return self.delivery_rate / self.noop_rate


def main() -> None:
    arguments = parse_arguments()
    count = arguments.count
    server_url, redis_url = required_services()
    from bench.smtp_counter import SmtpCounter
    from bench.sweep import throwaway_database

    queue = f"rekan-bench-{secrets.token_hex(5)}"
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="rekan-bench-var-") as var_dir, SmtpCounter() as sink:
        with throwaway_database(server_url, keep=arguments.keep) as database_url:
            set_up_django(
                database_url=database_url,
                redis_url=redis_url,
                queue=queue,
                var_dir=var_dir,
                sink=sink,
                concurrency=arguments.concurrency,
            )
            worker = Worker(queue, arguments.concurrency)
            try:
                if not worker.ready.wait(timeout=60):
                    raise RuntimeError(f"The worker did not start:\n{worker.tail()}")
                print(f"Worker ready on queue {queue}; SMTP server on port {sink.port}", file=sys.stderr)
                # No-op tasks and emails in turns, so each pair shares the load of its moment.
                for attempt in range(1, arguments.runs + 1):
                    noop_s, queued_s = time_noops(worker, count, arguments.concurrency)
                    print(
                        f"run {attempt}: {count} no-op tasks in {noop_s:.2f} s (queued in {queued_s:.2f} s)",
                        file=sys.stderr,
                    )
                    label = f"bench{attempt}"
                    received_s, finished_s = time_delivery(worker, sink, count, label=label)
                    print(
                        f"run {attempt}: {count} emails received in {received_s:.2f} s,"
                        f" all rows final after {finished_s:.2f} s",
                        file=sys.stderr,
                    )
                    statuses = check_deliveries(sink, count, label=label)
                    runs.append(Run(noop_s, received_s, finished_s, count))
                tasks = len(worker.delivered)
            finally:
                worker.stop()
                forget_queue(redis_url, queue)

    children = f"{arguments.concurrency} pool process{'es' if arguments.concurrency > 1 else ''}"
    print(
        f"\nOne Celery worker (prefork, {children}), PostgreSQL + Redis, SMTP server on loopback, N = {count:,},"
        f" {len(runs)} run(s)\n"
    )
    header = f"{'run':<5} {'no-op s':>8} {'no-op/s':>8} {'emails s':>9} {'emails/s':>9} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for number, run in enumerate(runs, 1):
        print(
            f"{number:<5} {run.noop_s:>7.2f}s {run.noop_rate:>8.0f} {run.finished_s:>8.2f}s"
            f" {run.delivery_rate:>9.0f} {run.ratio:>6.2f}"
        )
    ratio = statistics.median(run.ratio for run in runs)
    print(
        f"\nEvery address got exactly one email in every run; {tasks} deliver_reminders task(s) ran (warm-ups"
        f" included); rows by status: {statuses}"
    )
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    print(
        f"{verdict}: delivery at x{ratio:.2f} the no-op task rate, median of {len(runs)} (target: at least x{TARGET})"
    )
    if verdict == "FAIL":
        sys.exit(1)


if __name__ == "__main__":
    main()
