"""Reminders reach every recipient exactly once, against the real services.

These tests run real processes: Celery workers (``python -m celery -A config
worker``) on a queue of their own, a child process killed with SIGKILL, a
throwaway ``redis-server`` that is stopped and started again, and an SMTP
server (``tests.engagements.smtp_sink``) that counts what it receives and can
refuse chosen recipients. Races between processes only mean something on
PostgreSQL with Redis as the broker (what production runs), so those tests
skip on SQLite; CI's PostgreSQL job sets both variables and skips nothing.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.celery import app
from engagements import services
from engagements.domain import schedules
from engagements.models import (
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    MemberRole,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from partners.models import Contact, Organization
from tests.conftest import client_for
from tests.engagements.smtp_sink import HOST, SmtpSink, free_port
from tests.factories import make_facilitator

ROOT = Path(__file__).resolve().parents[3]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REAL_SERVICES = ON_POSTGRES and bool(settings.REDIS_URL)

pytestmark = pytest.mark.slow
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs DATABASE_URL=postgres://...: SQLite serialises writers, so nothing can race"
)
needs_postgres_and_redis = pytest.mark.skipif(
    not REAL_SERVICES,
    reason="needs DATABASE_URL=postgres://... and REDIS_URL=redis://...: races between worker processes "
    "cannot be shown on SQLite with the filesystem broker (CI's PostgreSQL job sets both)",
)
UNFINISHED = [ReminderStatus.PENDING, ReminderStatus.SENDING]
DELIVERED = re.compile(r"engagements\.tasks\.deliver_reminders\[[^\]]+\] succeeded in [\d.]+s: (\d+)")
DUPLICATE_WARNING = "may have gone out twice"


# --- Data ------------------------------------------------------------------------


SUBJECTS = ("checkin", "commitment")
PROMISE = "Janji"


def due_partnerships(count: int, *, label: str) -> list[str]:
    """``count`` live partnerships whose check-in, and a commitment, come due tomorrow.

    Each has one facilitator and one member organization with one consenting
    contact, all with addresses of their own, and the organization promised
    something due tomorrow: the sweep writes 4 x ``count`` reminders, one per
    address and subject (the check-in, the commitment). Returns those addresses.
    """
    today = schedules.local_today("Asia/Jakarta")
    users = User.objects.bulk_create(
        [User(username=f"{label}-f{n}", email=f"{label}-f{n}@example.org") for n in range(count)]
    )
    organizations = Organization.objects.bulk_create([Organization(name=f"{label} Kelompok {n}") for n in range(count)])
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                organization=organization, name=f"Ibu {n}", email=f"{label}-c{n}@example.org", consent_to_contact=True
            )
            for n, organization in enumerate(organizations)
        ]
    )
    partnerships = Partnership.objects.bulk_create(
        [Partnership(title=f"{label} Kemitraan {n}", status=PartnershipStatus.ACTIVE) for n in range(count)]
    )
    PartnershipMember.objects.bulk_create(
        [
            PartnershipMember(partnership=partnership, organization=organization, role=MemberRole.LEAD)
            for partnership, organization in zip(partnerships, organizations, strict=True)
        ]
    )
    Partnership.facilitators.through.objects.bulk_create(
        [
            Partnership.facilitators.through(partnership=partnership, user=user)
            for partnership, user in zip(partnerships, users, strict=True)
        ]
    )
    # Stored dates as engagements.domain.schedules would derive them: reminders
    # started yesterday, the check-in is due tomorrow, late in five days.
    due = today + datetime.timedelta(days=1)
    CheckInSchedule.objects.bulk_create(
        [
            CheckInSchedule(
                partnership=partnership,
                time_zone="Asia/Jakarta",
                planned_on=due,
                due_on=due,
                remind_from=today - datetime.timedelta(days=1),
                late_from=today + datetime.timedelta(days=5),
                dormant_from=today + datetime.timedelta(days=20),
            )
            for partnership in partnerships
        ]
    )
    Commitment.objects.bulk_create(
        [
            Commitment(
                partnership=partnership,
                promised_by_side=CommitmentSide.MEMBER,
                promised_by=organization,
                text=f"{PROMISE} {label} {n}",
                due_on=due,
            )
            for n, (partnership, organization) in enumerate(zip(partnerships, organizations, strict=True))
        ]
    )
    return sorted([user.email for user in users] + [contact.email for contact in contacts])


def each_subject(addresses: list[str]) -> Counter[tuple[str, str]]:
    """What every address should receive: one email per subject, no more."""
    return Counter((address, subject) for address in addresses for subject in SUBJECTS)


def deliveries(sink: SmtpSink) -> Counter[tuple[str, str]]:
    """What the sink received, by address and subject (a commitment's subject names the promise)."""
    received: Counter[tuple[str, str]] = Counter()
    for message in sink.messages:
        subject = str(make_header(decode_header(message["Subject"])))
        received[(message["To"].lower(), "commitment" if PROMISE in subject else "checkin")] += 1
    return received


def outbox_rows(
    partnership: Partnership,
    emails: list[str],
    *,
    occurrence: str = "2026-12-01",
    commitment: Commitment | None = None,
) -> list[dict[str, object]]:
    """Outbox rows as the sweep writes them, one per address, for reminders_insert.

    With a commitment, every other row reminds of it instead of the check-in.
    """
    return [
        {
            "partnership_id": partnership.pk,
            "kind": ReminderKind.COMMITMENT_DUE if commitment and n % 2 else ReminderKind.CHECK_IN_DUE,
            "subject_type": "commitment" if commitment and n % 2 else "checkin",
            "subject_id": commitment.pk if commitment and n % 2 else partnership.pk,
            "occurrence": occurrence,
            "recipient_key": f"contact:{n}",
            "email": email,
            "language": "id",
            "digest": False,
            "due_on": datetime.date(2026, 12, 1),
        }
        for n, email in enumerate(emails)
    ]


# --- Processes -------------------------------------------------------------------


def child_database_url() -> str:
    """The test database, for a child process: pytest-django renamed it."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_environment(**overrides: str) -> dict[str, str]:
    """The production settings, pointed at the test database and the sink."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",  # allows the development SECRET_KEY
        DATABASE_URL=child_database_url(),
        REDIS_URL=settings.REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="false",
        REKAN_VAR_DIR=str(settings.VAR_DIR),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


class ProcessOutput:
    """Collects a subprocess's output lines in a thread, to wait for some."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str | re.Pattern[str], *, count: int = 1, timeout: float) -> bool:
        pattern = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(pattern.findall(self.text)) >= count:
                return True
            time.sleep(0.1)
        return False


class Worker:
    """A real Celery worker process (solo pool) consuming one queue."""

    def __init__(self, name: str, *, queue: str, env: dict[str, str]) -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
            "-Q", queue, "-n", f"{name}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        self.name = name
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.output = ProcessOutput(self.process)

    def ask_to_stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown

    def stop(self) -> None:
        self.ask_to_stop()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def delivered(self) -> list[int]:
        """What each deliver_reminders task this worker ran returned (emails sent)."""
        return [int(sent) for sent in DELIVERED.findall(self.output.text)]


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own, so no other worker on the broker takes its tasks."""
    name = f"rekan-reliability-{uuid.uuid4().hex[:10]}"
    yield name
    if settings.REDIS_URL:
        # kombu leaves the queue's binding (and the list, if anything is left) in Redis.
        client = redis.Redis.from_url(settings.REDIS_URL)
        try:
            client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
        except redis.RedisError:
            pass
        finally:
            client.close()


@pytest.fixture
def start_worker(queue: str) -> Iterator[Callable[..., Worker]]:
    """Starts workers on ``queue``; every one is stopped at the end, pass or fail."""
    workers: list[Worker] = []

    def start(name: str, **env: str) -> Worker:
        worker = Worker(name, queue=queue, env=child_environment(CELERY_QUEUE=queue, **env))
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.ask_to_stop()  # all at once: each takes a moment to shut down
    for worker in workers:
        worker.stop()


def wait_until_ready(*workers: Worker, timeout: float = 60) -> None:
    for worker in workers:
        ready = worker.output.wait_for("ready.", timeout=timeout)
        assert ready, f"{worker.name} did not start:\n{worker.output.text}"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    smtp = SmtpSink().start()
    yield smtp
    smtp.stop()


class ThrowawayRedis:
    """A redis-server on a free loopback port, without persistence, that a test may stop and start."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        assert self.process is None
        log = open(self.directory / "redis.log", "ab")  # the child keeps its own handle
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no",
                   "--dir", str(self.directory)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        client = redis.Redis(host=HOST, port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline or self.process.poll() is not None:
                        raise RuntimeError((self.directory / "redis.log").read_text()) from None
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def run_python(code: str, *, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def at_the_same_time(*calls: Callable[[], int]) -> list[int]:
    """Runs each call in a thread of its own (its own connection), released together."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == len(calls)
    return results


def nothing_left_to_send() -> bool:
    return not Reminder.objects.filter(status__in=UNFINISHED).exists()


# --- 1. Two sweeps and two workers at once ----------------------------------------


@needs_postgres_and_redis
def test_it_delivers_1000_reminders_exactly_once_with_two_sweeps_and_two_workers_at_once(
    transactional_db: None, sink: SmtpSink, queue: str, start_worker: Callable[..., Worker]
) -> None:
    expected = due_partnerships(250, label="rel1")
    assert len(expected) == 500
    workers = [start_worker(f"w{n}-{queue}", **sink.environment) for n in (1, 2)]
    wait_until_ready(*workers)

    created = at_the_same_time(services.reminders.sweep, services.reminders.sweep)
    # The UNIQUE constraint turns the second sweep's rows into no-ops.
    assert sum(created) == 1000, created
    assert Reminder.objects.count() == 1000
    assert Reminder.objects.filter(kind=ReminderKind.COMMITMENT_DUE).count() == 500

    # What the sweep task's on_commit does, once per worker and twice more:
    # the broker only carries "go look".
    for _ in range(4):
        app.send_task("engagements.tasks.deliver_reminders", queue=queue)
    # The next minute's sweep runs while the workers send: nothing new.
    assert sink.wait_for_total(100, timeout=60)
    assert services.reminders.sweep() == 0

    assert wait_until(nothing_left_to_send, timeout=90), Counter(Reminder.objects.values_list("status", flat=True))
    finished = lambda: sum(len(worker.delivered()) for worker in workers) == 4  # noqa: E731
    assert wait_until(finished, timeout=30), [worker.output.text for worker in workers]

    assert sink.total == 1000
    assert deliveries(sink) == each_subject(expected), "a recipient got no email or more than one of a subject"
    assert Reminder.objects.filter(status=ReminderStatus.SENT, sent_at__isnull=False, attempts=1).count() == 1000
    # Both workers sent, and what they say they sent adds up: no compare-and-set lost.
    per_worker = [sum(worker.delivered()) for worker in workers]
    assert all(per_worker) and sum(per_worker) == 1000, per_worker
    assert not any(DUPLICATE_WARNING in worker.output.text for worker in workers)


@needs_postgres
def test_it_lets_two_sweeps_insert_the_same_rows_in_opposite_orders_at_once(transactional_db: None) -> None:
    # Two INSERT ... ON CONFLICT DO NOTHING wait on each other's uncommitted
    # rows: in opposite orders, each would wait for the other (a deadlock,
    # and one sweep fails) unless reminders_insert puts the rows in one order.
    partnership = Partnership.objects.create(title="Kemitraan Pesisir", status=PartnershipStatus.ACTIVE)
    emails = [f"urut-{n}@example.org" for n in range(2000)]
    for round_ in range(3):
        rows = outbox_rows(partnership, emails, occurrence=f"2026-12-0{round_ + 1}")
        created = at_the_same_time(
            lambda rows=rows: services.outbox.reminders_insert(rows),
            lambda rows=rows: services.outbox.reminders_insert(rows[::-1]),
        )
        assert sorted(created) == [0, 2000]
    assert Reminder.objects.count() == 6000


# --- 2. A worker killed after claiming a batch ------------------------------------

CLAIM_AND_DIE = """
import datetime, os, signal
import django
django.setup()
from engagements.services import outbox
claim = outbox.reminders_claim(limit=20, lease=datetime.timedelta(seconds=3))
print(claim.token, *[reminder.pk for reminder in claim.reminders], flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # dies holding the claim, before sending anything
"""


@needs_postgres
def test_it_delivers_a_killed_workers_batch_exactly_once_after_its_lease_expires(
    transactional_db: None, sink: SmtpSink, settings
) -> None:
    settings.MAILERS = {"default": sink.mailer}
    partnership = Partnership.objects.create(title="Kemitraan Pesisir", status=PartnershipStatus.ACTIVE)
    organization = Organization.objects.create(name="Kelompok Pesisir")
    commitment = Commitment.objects.create(
        partnership=partnership,
        promised_by_side=CommitmentSide.MEMBER,
        promised_by=organization,
        text=f"{PROMISE} pesisir",
        due_on=datetime.date(2026, 12, 1),
    )
    emails = [f"killed-{n}@example.org" for n in range(25)]
    rows = outbox_rows(partnership, emails, commitment=commitment)
    assert services.outbox.reminders_insert(rows) == 25
    assert Reminder.objects.filter(subject_type="commitment").count() == 12

    child = run_python(CLAIM_AND_DIE, env=child_environment())
    assert child.returncode == -signal.SIGKILL, child.stdout
    dead_token, *claimed_pks = child.stdout.split()
    claimed_pks = [int(pk) for pk in claimed_pks]
    assert len(claimed_pks) == 20
    claimed = Reminder.objects.filter(pk__in=claimed_pks)
    assert set(claimed.values_list("status", "claim_token")) == {(ReminderStatus.SENDING, dead_token)}

    # While the lease runs, the batch belongs to the dead worker: only the
    # five rows it did not claim go out.
    assert services.reminders.deliver() == 5
    assert sink.total == 5
    assert set(claimed.values_list("status", flat=True)) == {ReminderStatus.SENDING}

    lease_end = max(claimed.values_list("claimed_until", flat=True))
    time.sleep(max(0.0, (lease_end - timezone.now()).total_seconds()) + 0.2)
    assert services.reminders.deliver() == 20

    assert sink.total == 25
    assert sink.counts == Counter(emails), "each email exactly once"
    assert deliveries(sink) == Counter(
        (email, "commitment" if n % 2 else "checkin") for n, email in enumerate(emails)
    ), "each reminder of its own subject"
    assert set(claimed.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert not claimed.filter(claim_token=dead_token).exists()
    # The dead worker's claim counts as one attempt (a row that kept killing
    # workers would end up failed rather than retried forever), and the send
    # that went out as another: "attempts" is what was tried.
    assert set(claimed.values_list("attempts", flat=True)) == {2}


# --- 3. Redis stopped during a due window -----------------------------------------

SWEEP_TASK = """
import django
django.setup()
from engagements.tasks import sweep_reminders
print("created:", sweep_reminders.apply().get(), flush=True)
"""


@needs_postgres_and_redis
def test_it_loses_no_reminder_when_redis_is_down_during_the_sweep(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    throwaway_redis: ThrowawayRedis,
) -> None:
    expected = due_partnerships(5, label="rel3")
    broker = {"REDIS_URL": throwaway_redis.url, "CELERY_QUEUE": queue}
    worker = start_worker(f"w3-{queue}", REDIS_URL=throwaway_redis.url, **sink.environment)
    wait_until_ready(worker)

    throwaway_redis.stop()
    assert worker.output.wait_for("Connection to broker lost", timeout=15), worker.output.text
    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    # The sweep neither raises nor loses the rows: they wait in the database.
    assert swept.returncode == 0, swept.stdout
    assert "created: 20" in swept.stdout, swept.stdout
    assert "Could not queue reminder delivery" in swept.stdout, swept.stdout
    assert Reminder.objects.filter(status=ReminderStatus.PENDING, attempts=0).count() == 20
    assert sink.total == 0

    throwaway_redis.start()  # same port, empty: nothing was kept in the broker
    assert worker.output.wait_for("Connected to redis", count=2, timeout=30), worker.output.text
    assert worker.process.poll() is None

    # One more sweep: no new rows, and it asks for delivery again.
    swept_again = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept_again.returncode == 0, swept_again.stdout
    assert "created: 0" in swept_again.stdout, swept_again.stdout
    # Within one lease (the rows were never claimed, so much sooner).
    assert wait_until(nothing_left_to_send, timeout=60), worker.output.text
    assert sink.wait_for_total(20, timeout=5)
    assert deliveries(sink) == each_subject(expected)
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 20
    assert worker.output.wait_for(DELIVERED, timeout=10)
    assert worker.delivered() == [20]


# --- 4. A server that refuses some recipients -------------------------------------


def test_it_retries_refused_recipients_with_backoff_then_fails_them_without_holding_up_the_others(
    db: None, settings, facilitator: User
) -> None:
    refused = ["ditolak-1@example.org", "ditolak-2@example.org", "ditolak-3@example.org"]
    accepted = [f"diterima-{n}@example.org" for n in range(7)]
    smtp = SmtpSink(refuse=refused).start()
    try:
        settings.MAILERS = {"default": smtp.mailer}
        own_facilitator = make_facilitator(username="fasilitator_pesisir")
        partnership = Partnership.objects.create(title="Kemitraan Pesisir", status=PartnershipStatus.ACTIVE)
        partnership.facilitators.add(own_facilitator)
        services.outbox.reminders_insert(outbox_rows(partnership, accepted + refused))
        failing = Reminder.objects.filter(email__in=refused)

        # First round: the seven accepted recipients get their email at once.
        before = timezone.now()
        assert services.reminders.deliver() == 7
        assert smtp.counts == Counter(accepted)
        assert Reminder.objects.filter(email__in=accepted, status=ReminderStatus.SENT, attempts=1).count() == 7

        for attempt in range(1, services.outbox.MAX_ATTEMPTS + 1):
            if attempt > 1:
                # Time passes: the backoff is over.
                failing.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
                before = timezone.now()
                assert services.reminders.deliver() == 0
            rows = list(failing)
            assert {row.attempts for row in rows} == {attempt}
            assert all("550" in row.last_error and "Mailbox unavailable" in row.last_error for row in rows)
            if attempt < services.outbox.MAX_ATTEMPTS:
                wait = datetime.timedelta(minutes=services.outbox.BACKOFF_MINUTES[attempt - 1])
                assert {row.status for row in rows} == {ReminderStatus.PENDING}
                assert all(row.next_attempt_at > timezone.now() for row in rows)
                assert all(before + wait <= row.next_attempt_at for row in rows)
                assert all(row.next_attempt_at <= timezone.now() + wait for row in rows)
                assert all(row.claimed_until is None for row in rows)
            else:
                assert {row.status for row in rows} == {ReminderStatus.FAILED}
        assert smtp.refusals == Counter({address: services.outbox.MAX_ATTEMPTS for address in refused})

        # A failed reminder is not tried again by itself.
        failing.update(next_attempt_at=timezone.now() - datetime.timedelta(days=1))
        assert services.reminders.deliver() == 0
        assert smtp.refusals == Counter({address: services.outbox.MAX_ATTEMPTS for address in refused})
        assert smtp.counts == Counter(accepted), "the accepted recipients got nothing twice"
    finally:
        smtp.stop()

    # The reminder log shows the partnership's facilitator what failed, and why.
    response = client_for(own_facilitator).get(reverse("engagements:reminder_log"), {"status": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert all(address in page for address in refused)
    assert not any(address in page for address in accepted)
    assert page.count("Mailbox unavailable") == 3
    assert [row.pk for row in response.context["page"].object_list] == sorted(
        failing.values_list("pk", flat=True), reverse=True
    )
    # A facilitator of other partnerships sees none of it.
    other = client_for(facilitator).get(reverse("engagements:reminder_log"), {"status": "failed"})
    assert other.status_code == 200
    assert not any(address in other.content.decode() for address in refused)
