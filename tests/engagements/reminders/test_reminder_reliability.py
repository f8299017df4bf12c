"""Reminders reach every recipient exactly once, against real processes and real faults.

The fault suite of the reminder outbox (``engagements.services.outbox``).
Every scenario sweeps real subjects (check-in schedules due tomorrow, open
commitments, consenting contacts of member organizations, facilitators of
the partnership) and delivers them through real processes: Celery workers
(``python -m celery -A config worker``) on a queue of their own, a throwaway
``redis-server`` that is stopped and started again, workers and pool
processes killed with SIGKILL, PostgreSQL backends terminated, and an SMTP
server (``tests.engagements.smtp_sink``) that counts what it receives and
answers 451 or 550 when told to.

1. 1,000 due, two sweeps and two workers at once.
2. A worker killed after claiming, before sending; SIGKILL of a pool
   process, and of a whole worker, while the mail server holds the "250"
   of a message it has taken (``SmtpSink.pause_after``): that row ends
   ``uncertain`` and is not sent again.
3. Redis stopped for two minutes (``RELIABILITY_REDIS_OUTAGE_SECONDS``,
   120 by default) while a worker delivers, then started again.
4. 451 for every recipient for three hours (longer than the old 81 minutes
   of backoff), then recovered; a mailbox still busy after 48 hours fails.
5. 550 for some recipients: they fail at once, the others get theirs once.
6. The worker's database connections terminated (``pg_terminate_backend``
   by its ``application_name``) thirteen times while it delivers 1,000.
7. The world changes between the sweep and the send (a check-in held,
   pauses, consent withdrawn, unsubscribed, erased, deactivated, a
   commitment kept, a group gone, a new address): nothing stale goes out,
   each row is cancelled with its reason, even a whole batch at once.

``test_whatsapp_reliability`` runs 1 (W1), the SIGKILL of 2 (W2) and 3 (W3)
with half of the recipients on the WhatsApp channel.

Each scenario adds one line to a table (expected, delivered, lost, doubled,
stale, cancelled, uncertain, failed) that is printed at the end of the
module whatever ``-s`` says, and appended to the file named by
``RELIABILITY_REPORT`` when it is set. The acceptance numbers are asserted in
each test.

Waits that would last minutes in production (a 90-second lease, a backoff of
an hour) are not waited for: the lease is ended by SQL, and the 451 scenario
runs delivery in this process under a clock that the test moves. Races
between processes only mean something on PostgreSQL with Redis as the broker
(what production runs), so those tests skip on SQLite; CI's PostgreSQL job
sets both variables and skips nothing.
"""

from __future__ import annotations

import datetime
import functools
import itertools
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import FACILITATOR
from config.celery import app
from engagements import services
from engagements.domain import schedules
from engagements.models import (
    CancelReason,
    CheckIn,
    CheckInChannel,
    CheckInSchedule,
    Commitment,
    CommitmentSide,
    CommitmentState,
    MemberRole,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from engagements.services.outbox import ReminderRow
from partners import services as partner_services
from partners.models import Contact, Organization
from tests.conftest import client_for
from tests.engagements.smtp_sink import DEFERRED, HOST, REFUSED, SmtpSink, free_port

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
DELIVER_TASK = "engagements.tasks.deliver_reminders"
DELIVERED = re.compile(r"engagements\.tasks\.deliver_reminders\[[^\]]+\] succeeded in [\d.]+s: (\d+)")
UNCERTAIN_LOG = "marked uncertain, not sent again"
REDIS_OUTAGE = float(os.environ.get("RELIABILITY_REDIS_OUTAGE_SECONDS", "120"))


# --- The table -------------------------------------------------------------------


COLUMNS = ("scenario", "expected", "delivered", "lost", "doubled", "stale", "cancelled", "uncertain", "failed")
TABLE: list[Tally] = []


@dataclass(frozen=True)
class Tally:
    """What one scenario should have delivered and what the mail server and the outbox say happened.

    expected: emails that should arrive; delivered: emails the server took;
    lost: expected emails that never arrived; doubled: copies beyond the
    first; stale: emails nobody should have had (cancelled since the sweep);
    cancelled, uncertain, failed: outbox rows in that state at the end.
    """

    scenario: str
    expected: int
    delivered: int
    lost: int
    doubled: int
    stale: int
    cancelled: int
    uncertain: int
    failed: int
    note: str = ""

    def cells(self) -> list[str]:
        return [self.scenario, *(str(getattr(self, name)) for name in COLUMNS[1:])]


def tally(scenario: str, sink: SmtpSink, expected: Counter[Delivery], *, note: str = "") -> Tally:
    received = deliveries(sink)
    states = statuses()
    # A copy is a second email of one subject to one address, or a second email of one row (its Message-ID).
    copies = max(
        sum(count - 1 for count in received.values() if count > 1),
        sum(count - 1 for count in sink.message_ids.values() if count > 1),
    )
    return Tally(
        scenario=scenario,
        expected=sum(expected.values()),
        delivered=sink.total,
        lost=sum(1 for key in expected if received[key] == 0),
        doubled=copies,
        stale=sum(count for key, count in received.items() if key not in expected),
        cancelled=states[ReminderStatus.CANCELLED],
        uncertain=states[ReminderStatus.UNCERTAIN],
        failed=states[ReminderStatus.FAILED],
        note=note,
    )


def _table(rows: list[Tally]) -> str:
    lines = [list(COLUMNS), *(row.cells() for row in rows)]
    widths = [max(len(line[n]) for line in lines) for n in range(len(COLUMNS))]
    text = [
        "  ".join(
            cell.ljust(width) if n == 0 else cell.rjust(width)
            for n, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    text.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {row.scenario}: {row.note}" for row in rows if row.note]
    return "\n".join(text + (["notes:", *notes] if notes else []))


def _write_past_capture(config: pytest.Config, text: str) -> None:
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        sys.stderr.write(text)
        return
    with capture.global_and_fixture_disabled():
        sys.stderr.write(text)
        sys.stderr.flush()


def report(request: pytest.FixtureRequest, line: Tally) -> Tally:
    """One line of the table: on the terminal now (``-s`` or not), in RELIABILITY_REPORT if set."""
    TABLE.append(line)
    cells = " | ".join([*line.cells(), line.note] if line.note else line.cells())
    _write_past_capture(request.config, f"\n[reliability] {cells}\n")
    if path := os.environ.get("RELIABILITY_REPORT"):
        new_file = not os.path.exists(path) or os.path.getsize(path) == 0
        with open(path, "a", encoding="utf-8") as file:
            if new_file:
                file.write("\t".join([*COLUMNS, "note"]) + "\n")
            file.write("\t".join([*line.cells(), line.note]) + "\n")
    return line


@pytest.fixture(scope="module", autouse=True)
def reliability_table(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if TABLE:
        _write_past_capture(request.config, f"\n\nReminder reliability, measured:\n{_table(TABLE)}\n")


# --- Data ------------------------------------------------------------------------


SUBJECTS = ("checkin", "commitment")
PROMISE = "Janji"
Delivery = tuple[str, str]  # (address, "checkin" or "commitment")


@dataclass
class Due:
    """Partnerships whose check-in and a commitment come due tomorrow, and who is reminded of them."""

    partnerships: list[Partnership]
    facilitators: list[User]
    organizations: list[Organization]
    contacts: list[Contact]
    commitments: list[Commitment]
    members: list[PartnershipMember] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        return sorted([user.email for user in self.facilitators] + [contact.email for contact in self.contacts])

    def expected(self, *, without: Iterable[Delivery] = ()) -> Counter[Delivery]:
        """What every address should receive: one email per subject, no more (less what is left out)."""
        left_out = set(without)
        return Counter(
            (address, subject)
            for address in self.addresses
            for subject in SUBJECTS
            if (address, subject) not in left_out
        )


def due_partnerships(count: int, *, label: str) -> Due:
    """``count`` live partnerships whose check-in, and a commitment, come due tomorrow.

    Each has one facilitator (of the Facilitator role) and one member
    organization with one consenting contact, all with addresses of their
    own, and the organization promised something due tomorrow: the sweep
    writes 4 x ``count`` reminders, one per address and subject (the
    check-in, the commitment).
    """
    today = schedules.local_today("Asia/Jakarta")
    users = User.objects.bulk_create(
        [User(username=f"{label}-f{n}", email=f"{label}-f{n}@example.org") for n in range(count)]
    )
    role = Group.objects.get_or_create(name=FACILITATOR)[0]
    User.groups.through.objects.bulk_create([User.groups.through(user=user, group=role) for user in users])
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
        [
            Partnership(title=f"{label} Kemitraan {n}", status=PartnershipStatus.ACTIVE, created_by=user)
            for n, user in enumerate(users)
        ]
    )
    members = PartnershipMember.objects.bulk_create(
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
    commitments = Commitment.objects.bulk_create(
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
    return Due(partnerships, users, organizations, contacts, commitments, members)


def subject_of(message: Message) -> str:
    subject = str(make_header(decode_header(message["Subject"])))
    return "commitment" if PROMISE in subject else "checkin"


def deliveries(sink: SmtpSink) -> Counter[Delivery]:
    """What the sink received, by address and subject (a commitment's subject names the promise)."""
    return Counter((message["To"].lower(), subject_of(message)) for message in sink.messages)


def row_of(message: Message) -> Reminder:
    """The outbox row a message was sent for: its Message-ID names it (``outbox.message_id``)."""
    match = re.match(r"<rekan\.reminder\.(\d+)\.", str(message["Message-ID"]))
    assert match, message["Message-ID"]
    return Reminder.objects.get(pk=int(match[1]))


def statuses() -> Counter[str]:
    return Counter(Reminder.objects.values_list("status", flat=True))


def nothing_left_to_send() -> bool:
    return not Reminder.objects.filter(status__in=UNFINISHED).exists()


def let_the_leases_run_out() -> int:
    """What waiting out the 90-second lease would do, without the wait: every held row's lease has ended."""
    return Reminder.objects.filter(status=ReminderStatus.SENDING).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )


# --- Processes -------------------------------------------------------------------


def child_database_url(*, application_name: str = "") -> str:
    """The test database, for a child process: pytest-django renamed it."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    # dj_database_url passes the query on as OPTIONS: psycopg names the connection.
    return f"{url}?{urlencode({'application_name': application_name})}" if application_name else url


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


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: read from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (name) state ppid ...": the name may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


class Worker:
    """A real Celery worker consuming one queue: the solo pool, or prefork with one pool process.

    It runs in a session of its own, so ``kill()`` takes the whole worker at
    once (the main process and its pool), as when the machine loses power.
    """

    def __init__(self, name: str, *, queue: str, env: dict[str, str], pool: str = "solo") -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--loglevel=INFO",
            "-Q", queue, "-n", f"{name}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        if pool == "prefork":
            command.append("--concurrency=1")
        self.name = name
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.output = ProcessOutput(self.process)

    def pool_processes(self) -> list[int]:
        return children_of(self.process.pid)

    def kill(self) -> None:
        """SIGKILL to the main process and its pool together: nothing runs a finally, nothing acks."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def ask_to_stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown

    def stop(self) -> None:
        self.ask_to_stop()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def delivered(self) -> list[int]:
        """What each deliver_reminders task this worker ran returned (emails sent)."""
        return [int(sent) for sent in DELIVERED.findall(self.output.text)]

    def wait_for_runs(self, count: int, *, timeout: float = 90) -> list[int]:
        assert self.output.wait_for(DELIVERED, count=count, timeout=timeout), self.output.text[-5000:]
        return self.delivered()


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

    def start(name: str, *, pool: str = "solo", **env: str) -> Worker:
        worker = Worker(name, queue=queue, env=child_environment(CELERY_QUEUE=queue, **env), pool=pool)
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


def ask_for_delivery(queue: str, *, broker: str = "", times: int = 1) -> None:
    """What the sweep task's on_commit does: the broker only carries "go look"."""
    if not broker:
        for _ in range(times):
            app.send_task(DELIVER_TASK, queue=queue)
        return
    with app.connection_for_write(broker) as broker_connection:
        for _ in range(times):
            app.send_task(DELIVER_TASK, queue=queue, connection=broker_connection)


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
    """A Redis of the test's own: stopping it, or leaving a killed worker's message in it, touches nothing else."""
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


SWEEP_TASK = """
import django
django.setup()
from engagements.tasks import sweep_reminders
print("created:", sweep_reminders.apply().get(), flush=True)
"""


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


def assert_each_row_sent_once(sink: SmtpSink) -> None:
    """No Message-ID twice: no row went out twice, whatever its address."""
    doubled = {message_id: count for message_id, count in sink.message_ids.items() if count > 1}
    assert not doubled, doubled


# --- 1. Two sweeps and two workers at once ----------------------------------------


@needs_postgres_and_redis
def test_it_delivers_1000_reminders_exactly_once_with_two_sweeps_and_two_workers_at_once(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(250, label="rel1")
    expected = due.expected()
    assert len(due.addresses) == 500
    workers = [start_worker(f"w{n}-{queue}", **sink.environment) for n in (1, 2)]
    wait_until_ready(*workers)

    created = at_the_same_time(services.reminders.sweep, services.reminders.sweep)
    # The UNIQUE constraint turns the second sweep's rows into no-ops.
    assert sum(created) == 1000, created
    assert Reminder.objects.count() == 1000
    assert Reminder.objects.filter(kind=ReminderKind.COMMITMENT_DUE).count() == 500

    # What the sweep task's on_commit does, once per worker and twice more.
    ask_for_delivery(queue, times=4)
    # The next minute's sweep runs while the workers send: nothing new.
    assert sink.wait_for_total(100, timeout=60)
    assert services.reminders.sweep() == 0

    assert wait_until(nothing_left_to_send, timeout=90), statuses()
    finished = lambda: sum(len(worker.delivered()) for worker in workers) == 4  # noqa: E731
    assert wait_until(finished, timeout=30), [worker.output.text for worker in workers]

    line = report(request, tally("1. 1,000 due, 2 sweeps + 2 workers", sink, expected))
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (1000, 1000, 0, 0, 0)
    assert deliveries(sink) == expected, "a recipient got no email or more than one of a subject"
    assert_each_row_sent_once(sink)
    assert Reminder.objects.filter(status=ReminderStatus.SENT, sent_at__isnull=False, attempts=1).count() == 1000
    # Both workers sent, and what they say they sent adds up: no compare-and-set lost.
    per_worker = [sum(worker.delivered()) for worker in workers]
    assert all(per_worker) and sum(per_worker) == 1000, per_worker
    assert not any(UNCERTAIN_LOG in worker.output.text for worker in workers)


def rows_for_one_schedule(schedule: CheckInSchedule, count: int, *, occurrence: str) -> list[ReminderRow]:
    """``count`` rows about one real check-in, one per made-up recipient: for insert races, never delivered."""
    assert schedule.due_on is not None
    return [
        {
            "partnership_id": schedule.partnership_id,
            "kind": ReminderKind.CHECK_IN_DUE,
            "subject_type": "checkin",
            "subject_id": schedule.pk,
            "occurrence": occurrence,
            "recipient_key": f"contact:{n}",
            "email": f"urut-{n}@example.org",
            "language": "id",
            "digest": False,
            "due_on": schedule.due_on,
        }
        for n in range(count)
    ]


@needs_postgres
def test_it_lets_two_sweeps_insert_the_same_rows_in_opposite_orders_at_once(transactional_db: None) -> None:
    # Two INSERT ... ON CONFLICT DO NOTHING wait on each other's uncommitted
    # rows: in opposite orders, each would wait for the other (a deadlock,
    # and one sweep fails) unless reminders_insert puts the rows in one order.
    due = due_partnerships(1, label="urut")
    schedule = CheckInSchedule.objects.get(partnership=due.partnerships[0])
    for round_ in range(3):
        rows = rows_for_one_schedule(schedule, 2000, occurrence=f"2026-12-0{round_ + 1}")
        created = at_the_same_time(
            functools.partial(services.outbox.reminders_insert, rows),
            functools.partial(services.outbox.reminders_insert, rows[::-1]),
        )
        assert sorted(created) == [0, 2000]
    assert Reminder.objects.count() == 6000


# --- 2. Workers killed -------------------------------------------------------------

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
def test_it_delivers_a_batch_whose_worker_died_before_sending_exactly_once_after_its_lease(
    transactional_db: None, sink: SmtpSink, settings, request: pytest.FixtureRequest
) -> None:
    settings.MAILERS = {"default": sink.mailer}
    due = due_partnerships(7, label="claimed")
    assert services.reminders.sweep() == 28

    child = run_python(CLAIM_AND_DIE, env=child_environment())
    assert child.returncode == -signal.SIGKILL, child.stdout
    dead_token, *claimed_pks = child.stdout.split()
    claimed = Reminder.objects.filter(pk__in=[int(pk) for pk in claimed_pks])
    assert claimed.count() == 20
    assert set(claimed.values_list("status", "claim_token")) == {(ReminderStatus.SENDING, dead_token)}
    # It died before stamping any intent: nothing of its batch can have gone out.
    assert not claimed.filter(send_started_at__isnull=False).exists()

    # While the lease runs, the batch belongs to the dead worker: only the
    # eight rows it did not claim go out.
    assert services.reminders.deliver() == 8
    assert sink.total == 8
    assert set(claimed.values_list("status", flat=True)) == {ReminderStatus.SENDING}

    lease_end = max(end for end in claimed.values_list("claimed_until", flat=True) if end is not None)
    time.sleep(max(0.0, (lease_end - timezone.now()).total_seconds()) + 0.2)
    assert services.reminders.deliver() == 20

    line = report(request, tally("2a. killed after claiming, before sending", sink, due.expected()))
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (28, 28, 0, 0, 0)
    assert deliveries(sink) == due.expected(), "each reminder of its own subject, exactly once"
    assert set(claimed.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert not claimed.filter(claim_token=dead_token).exists()
    # The dead worker's claim counts as one attempt (a row that kept killing
    # workers would end up failed rather than retried forever), and the send
    # that went out as another: "attempts" is what was tried.
    assert set(claimed.values_list("attempts", flat=True)) == {2}


def _killed_mid_send(
    *,
    whole_worker: bool,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    broker: ThrowawayRedis,
) -> Reminder:
    """200 due; the 30th message is taken by the server, and its "250" held while the worker is killed.

    The dead process's batch is then: 29 rows sent, the 30th handed over
    (intent stamped, outcome never written) and the rest of the batch not tried.

    Returns the row of that message. Then what production does next: the
    worker's task put back (a pool process killed) or the next sweep asking
    again (a whole worker killed, nobody put its task back), and, once the
    lease of what the dead process held runs out, one more delivery run.
    """
    assert services.reminders.sweep() == 200
    environment = {"REDIS_URL": broker.url, **sink.environment}
    worker = start_worker(f"k-{queue}", pool="prefork", **environment)
    wait_until_ready(worker)
    held = sink.pause_after(30)
    ask_for_delivery(queue, broker=broker.url)
    assert held.wait(timeout=60), worker.output.text
    (message,) = sink.messages[29:]
    if whole_worker:
        worker.kill()
        assert worker.process.returncode == -signal.SIGKILL
    else:
        (pool_process,) = worker.pool_processes()
        os.kill(pool_process, signal.SIGKILL)
    sink.resume()  # to a client that is gone

    killed = row_of(message)
    # The message went to the server; the row says only that it was about to.
    assert killed.status == ReminderStatus.SENDING
    assert killed.send_started_at is not None

    if whole_worker:
        # Nobody put the task back (it waits, unacknowledged, for the broker's
        # hour-long visibility timeout): the next sweep finds rows waiting and asks again.
        worker = start_worker(f"k2-{queue}", pool="prefork", **environment)
        wait_until_ready(worker)
        # One delivery task, so that the runs below can be told apart.
        sweep_environment = child_environment(CELERY_QUEUE=queue, REMINDER_DELIVERY_TASKS="1", **environment)
        swept = run_python(SWEEP_TASK, env=sweep_environment)
        assert swept.returncode == 0 and "created: 0" in swept.stdout, swept.stdout
    else:
        # Celery sees its pool process die and, with acks_late and
        # reject_on_worker_lost, puts the task back for a new pool process.
        assert worker.output.wait_for("signal 9", timeout=30), worker.output.text
    # The other batches; the dead process's batch (the held message and the
    # rows it had not tried) stays with it until its lease runs out.
    batch = services.outbox.BATCH_SIZE
    assert worker.wait_for_runs(1) == [200 - batch]
    assert statuses() == Counter({ReminderStatus.SENT: 200 - batch + 29, ReminderStatus.SENDING: batch - 29})

    assert let_the_leases_run_out() == batch - 29
    ask_for_delivery(queue, broker=broker.url)
    assert worker.wait_for_runs(2) == [200 - batch, batch - 30]
    assert wait_until(nothing_left_to_send, timeout=10), statuses()
    assert UNCERTAIN_LOG in worker.output.text
    killed.refresh_from_db()
    return killed


@needs_postgres_and_redis
def test_it_sends_nothing_twice_when_a_pool_process_is_killed_after_the_server_took_a_message(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    throwaway_redis: ThrowawayRedis,
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(50, label="kill-pool")
    killed = _killed_mid_send(
        whole_worker=False, sink=sink, queue=queue, start_worker=start_worker, broker=throwaway_redis
    )
    line = report(request, tally("2b. SIGKILL pool process mid-send", sink, due.expected()))
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (200, 200, 0, 0, 1)
    _assert_only_the_killed_row_is_uncertain(sink, killed)


@needs_postgres_and_redis
def test_it_sends_nothing_twice_when_a_whole_worker_is_killed_after_the_server_took_a_message(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    throwaway_redis: ThrowawayRedis,
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(50, label="kill-worker")
    killed = _killed_mid_send(
        whole_worker=True, sink=sink, queue=queue, start_worker=start_worker, broker=throwaway_redis
    )
    line = report(request, tally("2c. SIGKILL whole worker mid-send", sink, due.expected()))
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (200, 200, 0, 0, 1)
    _assert_only_the_killed_row_is_uncertain(sink, killed)


def _assert_only_the_killed_row_is_uncertain(sink: SmtpSink, killed: Reminder) -> None:
    assert_each_row_sent_once(sink)
    # It may have gone out (it did: the server has it), so it waits for a person's "send again".
    assert killed.status == ReminderStatus.UNCERTAIN
    assert killed.last_error == services.outbox.UNKNOWN_OUTCOME
    assert killed.may_be_sent_again
    assert sink.message_ids[services.outbox.message_id([killed])] == 1
    assert statuses() == Counter({ReminderStatus.SENT: 199, ReminderStatus.UNCERTAIN: 1})
    # The rows the dead process had claimed and not tried: its claim counts as a try, the send as another.
    untried = services.outbox.BATCH_SIZE - 30
    attempts = Counter(Reminder.objects.filter(status=ReminderStatus.SENT).values_list("attempts", flat=True))
    assert attempts == Counter({1: 199 - untried, 2: untried})


# --- 3. Redis stopped for two minutes ---------------------------------------------


@needs_postgres_and_redis
def test_it_loses_no_reminder_and_sends_none_twice_when_redis_is_down_for_two_minutes(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    throwaway_redis: ThrowawayRedis,
    request: pytest.FixtureRequest,
) -> None:
    before = due_partnerships(25, label="redis-a")
    broker = {"REDIS_URL": throwaway_redis.url, "CELERY_QUEUE": queue}
    worker = start_worker(f"w3-{queue}", REDIS_URL=throwaway_redis.url, **sink.environment)
    wait_until_ready(worker)
    sink.handler.delay = 0.03  # a relay slow enough that Redis goes while the worker sends

    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept.returncode == 0 and "created: 100" in swept.stdout, swept.stdout
    assert sink.wait_for_total(10, timeout=60), worker.output.text
    throwaway_redis.stop()
    stopped = time.monotonic()
    sent_before = sink.total
    assert sent_before < 100, "Redis was to go while the worker was still sending"

    # The task already running needs no broker: it sends the rest from the database.
    assert wait_until(nothing_left_to_send, timeout=60), statuses()
    assert worker.output.wait_for("Connection to broker lost", timeout=30), worker.output.text
    assert sink.total == 100

    # Reminders that come due during the outage: the sweep writes them and
    # cannot ask for delivery; they wait in the database.
    during = due_partnerships(10, label="redis-b")
    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept.returncode == 0, swept.stdout
    assert "created: 40" in swept.stdout, swept.stdout
    assert "Could not queue reminder delivery" in swept.stdout, swept.stdout
    assert Reminder.objects.filter(status=ReminderStatus.PENDING, attempts=0).count() == 40

    time.sleep(max(0.0, REDIS_OUTAGE - (time.monotonic() - stopped)))
    assert worker.process.poll() is None, worker.output.text[-5000:]
    assert sink.total == 100
    throwaway_redis.start()  # same port, empty: nothing was kept in the broker
    outage = time.monotonic() - stopped
    assert worker.output.wait_for("Connected to redis", count=2, timeout=60), worker.output.text[-5000:]

    # The next sweep: no new rows, and it asks for delivery again.
    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept.returncode == 0 and "created: 0" in swept.stdout, swept.stdout
    assert wait_until(nothing_left_to_send, timeout=60), worker.output.text[-5000:]
    assert sink.wait_for_total(140, timeout=5)

    expected = before.expected() + during.expected()
    line = report(
        request,
        tally(
            "3. Redis down mid-delivery",
            sink,
            expected,
            note=f"outage {outage:.0f} s, from email {sent_before} of 100 on",
        ),
    )
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (140, 140, 0, 0, 0)
    assert deliveries(sink) == expected
    assert_each_row_sent_once(sink)
    assert statuses() == Counter({ReminderStatus.SENT: 140})
    assert outage >= REDIS_OUTAGE


# --- 4. Hours of 451, then the server recovers ------------------------------------


class Clock:
    """timezone.now for delivery in this process: time passes when the test says so."""

    def __init__(self, start: datetime.datetime) -> None:
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now


def hours_and_minutes(span: datetime.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def next_attempt() -> datetime.datetime | None:
    return Reminder.objects.filter(status=ReminderStatus.PENDING).aggregate(at=Min("next_attempt_at"))["at"]


def test_it_delivers_what_waited_out_hours_of_451_without_a_manual_step_and_fails_only_after_48_hours(
    transactional_db: None, sink: SmtpSink, settings, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    settings.MAILERS = {"default": sink.mailer}
    due = due_partnerships(5, label="busy")
    assert services.reminders.sweep() == 20
    # Two mailboxes stay busy after the server recovers.
    stuck = [due.contacts[0].email, due.contacts[1].email]
    busy = Reminder.objects.filter(email__in=stuck)
    clock = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", clock)
    began = clock.now

    # The server answers 451 to every recipient for three hours: more than the
    # 1 + 5 + 15 + 60 minutes the old backoff tried before giving up.
    sink.defer_everyone()
    outage = datetime.timedelta(hours=3)
    tries: list[datetime.timedelta] = []
    while clock.now < began + outage:
        assert services.reminders.deliver() == 0
        tries.append(clock.now - began)
        moment = next_attempt()
        assert moment is not None, statuses()
        clock.now = moment
    minutes = [int(offset.total_seconds() // 60) for offset in tries]
    assert minutes == [0, 1, 6, 21, 51, 111, 171], "backs off 1, 5, 15, 30, 60, 60... minutes"
    assert sink.total == 0
    waiting = list(Reminder.objects.all())
    assert {row.status for row in waiting} == {ReminderStatus.PENDING}
    assert {row.attempts for row in waiting} == {len(tries)}
    assert {row.failing_since for row in waiting} == {began}
    assert all(row.last_error == DEFERRED for row in waiting)
    assert sink.deferrals == Counter({address: 2 * len(tries) for address in due.addresses})

    # The server recovers: the next delivery run, due by the backoff alone,
    # sends everything but the two busy mailboxes. Nobody pressed anything.
    sink.defer_everyone(False)
    sink.defer(*stuck)
    assert clock.now - began == datetime.timedelta(minutes=231)
    assert services.reminders.deliver() == 16
    tries.append(clock.now - began)
    delivered = Reminder.objects.exclude(email__in=stuck)
    assert set(delivered.values_list("status", "attempts", "last_error")) == {(ReminderStatus.SENT, len(tries), "")}
    assert set(delivered.values_list("failing_since", flat=True)) == {None}

    # The busy mailboxes: tried every hour until 48 hours after their first failure, then failed.
    while (moment := next_attempt()) is not None:
        clock.now = moment
        assert services.reminders.deliver() == 0
        tries.append(clock.now - began)
    window = datetime.timedelta(hours=settings.REMINDER_RETRY_HOURS)
    assert tries[-2] < window <= tries[-1] < window + datetime.timedelta(hours=1)
    assert all(later - earlier == datetime.timedelta(hours=1) for earlier, later in itertools.pairwise(tries[5:]))
    assert set(busy.values_list("status", "attempts", "failing_since", "last_error")) == {
        (ReminderStatus.FAILED, len(tries), began, DEFERRED)
    }
    # A failed reminder waits for a person: the next days send nothing by themselves.
    clock.now += datetime.timedelta(days=3)
    assert services.reminders.deliver() == 0
    assert sink.deferrals == Counter(
        {address: 2 * (len(tries) if address in stuck else 7) for address in due.addresses}
    )

    expected = due.expected(without=[(address, subject) for address in stuck for subject in SUBJECTS])
    line = report(
        request,
        tally(
            "4. 451 for 3 h, then recovered",
            sink,
            expected,
            note=f"{len(tries)} tries of the busy rows, the last {hours_and_minutes(tries[-1])} after the first, "
            f"then failed with {busy.values_list('last_error', flat=True).first()!r}",
        ),
    )
    assert (line.expected, line.delivered, line.lost, line.doubled, line.failed) == (16, 16, 0, 0, 4)
    assert deliveries(sink) == expected
    assert_each_row_sent_once(sink)


# --- 5. 550 for some recipients ---------------------------------------------------


@needs_postgres_and_redis
def test_it_fails_refused_recipients_at_once_and_delivers_the_others_once(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(25, label="refused")
    refused = [contact.email for contact in due.contacts[:5]] + [due.facilitators[5].email]
    # An address no mail library can write is as permanent as a 550.
    unwritable = due.contacts[6]
    Contact.objects.filter(pk=unwritable.pk).update(email="Ibu Tanpa Alamat")
    sink.refuse(*refused)
    assert services.reminders.sweep() == 100
    worker = start_worker(f"w5-{queue}", **sink.environment)
    wait_until_ready(worker)

    ask_for_delivery(queue)
    assert worker.wait_for_runs(1) == [86]
    assert nothing_left_to_send(), statuses()

    failing = Reminder.objects.filter(email__in=refused)
    assert failing.count() == 12
    assert set(failing.values_list("status", "attempts", "last_error")) == {(ReminderStatus.FAILED, 1, REFUSED)}
    invalid = Reminder.objects.filter(contact=unwritable)
    assert set(invalid.values_list("status", "attempts")) == {(ReminderStatus.FAILED, 1)}
    assert all("Invalid address" in error for error in invalid.values_list("last_error", flat=True))
    sent = Reminder.objects.filter(status=ReminderStatus.SENT)
    assert set(sent.values_list("attempts", flat=True)) == {1} and sent.count() == 86
    assert sink.refusals == Counter({address: 2 for address in refused})

    # Time passes: a failed reminder is not tried again by itself.
    Reminder.objects.filter(status=ReminderStatus.FAILED).update(
        next_attempt_at=timezone.now() - datetime.timedelta(days=1)
    )
    ask_for_delivery(queue)
    assert worker.wait_for_runs(2) == [86, 0]
    assert sink.refusals == Counter({address: 2 for address in refused})

    left_out = [(address, subject) for address in [*refused, unwritable.email] for subject in SUBJECTS]
    expected = due.expected(without=left_out)
    line = report(request, tally("5. 550 for 6 addresses + 1 unwritable", sink, expected))
    assert (line.expected, line.delivered, line.lost, line.doubled, line.failed) == (86, 86, 0, 0, 14)
    assert deliveries(sink) == expected
    assert_each_row_sent_once(sink)

    # The reminder log shows the partnership's facilitator what failed, and why.
    own = due.facilitators[0]
    response = client_for(own).get(reverse("engagements:reminder_log"), {"status": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert due.contacts[0].email in page
    assert page.count("Mailbox unavailable") == 2
    assert not any(address in page for address in refused[1:])
    assert [row.pk for row in response.context["page"].object_list] == sorted(
        Reminder.objects.filter(partnership=due.partnerships[0], status=ReminderStatus.FAILED).values_list(
            "pk", flat=True
        ),
        reverse=True,
    )


# --- 6. Database connections terminated mid-delivery ------------------------------


def terminate_backends(application_name: str, *, timeout: float = 5) -> int:
    """pg_terminate_backend for every connection of that name; waits for one if there is none right now."""
    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                [application_name],
            )
            (terminated,) = cursor.fetchone()
        if terminated or time.monotonic() > deadline:
            return terminated
        time.sleep(0.01)


@needs_postgres_and_redis
def test_it_delivers_1000_exactly_once_while_the_workers_database_connections_are_terminated(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(250, label="pgkill")
    assert services.reminders.sweep() == 1000
    name = f"rekan-fault-worker-{queue.rsplit('-', 1)[1]}"
    worker = start_worker(f"w6-{queue}", DATABASE_URL=child_database_url(application_name=name), **sink.environment)
    wait_until_ready(worker)
    ask_for_delivery(queue)

    # Thirteen times, the last with 100 messages still to go (the worker still connected).
    terminated: list[int] = []
    between = 0
    for n, at in enumerate(range(50, 900, 70)):
        if n % 3 == 0:
            # Between the server's "250" and the outcome stamp, for sure.
            paused = sink.pause_after(at)
            assert paused.wait(timeout=60), worker.output.text[-5000:]
            terminated.append(terminate_backends(name))
            between += 1
            sink.resume()
        else:
            # Whatever the worker is doing then (claiming, rendering, stamping, sending).
            assert sink.wait_for_total(at, timeout=60), worker.output.text[-5000:]
            terminated.append(terminate_backends(name))
    assert all(terminated), terminated
    sent_by_first_run = worker.wait_for_runs(1)[0]

    # What a lost connection may leave behind, none of it sent: a row whose
    # message was being written (its subject read) waits a minute like any
    # temporary failure; a batch claimed just before the connection went, and
    # not read back, waits for its lease. Let the minute and the lease pass.
    assert not Reminder.objects.filter(status=ReminderStatus.SENDING, send_started_at__isnull=False).exists()
    backed_off = Reminder.objects.filter(status=ReminderStatus.PENDING)
    assert all(
        "OperationalError" in error or "InterfaceError" in error
        for error in backed_off.values_list("last_error", flat=True)
    )
    waited = backed_off.update(next_attempt_at=timezone.now())
    released = let_the_leases_run_out()
    if waited or released:
        ask_for_delivery(queue)
        assert sum(worker.wait_for_runs(2)) == 1000
    assert wait_until(nothing_left_to_send, timeout=10), statuses()
    reconnects = worker.output.text.count("Lost the database connection while writing the outbox; reconnecting.")

    line = report(
        request,
        tally(
            f"6. DB connections terminated x{len(terminated)}",
            sink,
            due.expected(),
            note=f"{sum(terminated)} backends terminated, {reconnects} stamps retried over a new connection; "
            f"the first run sent {sent_by_first_run}, {waited} row(s) waited out a backoff, {released} a lease",
        ),
    )
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (1000, 1000, 0, 0, 0)
    assert deliveries(sink) == due.expected()
    assert_each_row_sent_once(sink)
    assert statuses() == Counter({ReminderStatus.SENT: 1000})
    # Each connection lost between the "250" and the stamp was found by the stamp, which reconnected.
    assert reconnects >= between, worker.output.text[-5000:]


# --- 7. The world changes between the sweep and the send --------------------------


@needs_postgres_and_redis
def test_it_sends_nothing_stale_when_things_change_between_the_sweep_and_the_send(
    transactional_db: None,
    sink: SmtpSink,
    queue: str,
    start_worker: Callable[..., Worker],
    request: pytest.FixtureRequest,
) -> None:
    # Swept first, so the first in the claims' order: a whole batch that the
    # send-time check cancels (their schedules are paused below). Delivery goes on past it.
    first = due_partnerships(services.outbox.BATCH_SIZE // 2, label="stale-first")
    due = due_partnerships(20, label="stale")
    assert services.reminders.sweep() == 4 * (len(first.partnerships) + len(due.partnerships))
    worker = start_worker(f"w7-{queue}", **sink.environment)
    ps, facilitators, contacts, commitments = due.partnerships, due.facilitators, due.contacts, due.commitments
    both = [(facilitators[n].email, contacts[n].email) for n in range(len(ps))]
    stale: dict[Delivery, str] = {}  # what must not go out, and the reason its row is cancelled

    CheckInSchedule.objects.filter(partnership__in=first.partnerships).update(paused=True)
    stale |= {(address, "checkin"): CancelReason.PAUSED for address in first.addresses}
    claim_order = Reminder.objects.order_by("next_attempt_at", "pk")
    assert set(claim_order[: services.outbox.BATCH_SIZE].values_list("partnership_id", "subject_type")) == {
        (partnership.pk, "checkin") for partnership in first.partnerships
    }

    # 0, 1: the check-in was held; the commitment is still open.
    for n in (0, 1):
        check_in = CheckIn(
            partnership=ps[n], held_at=timezone.now(), channel=CheckInChannel.WHATSAPP_CALL, summary="Sudah bertemu"
        )
        services.checkins.check_in_record(user=facilitators[n], check_in=check_in)
        stale |= {(address, "checkin"): CancelReason.HELD_OR_MOVED for address in both[n]}
    # 2: the partnership is paused.
    services.partnerships.partnership_set_status(
        user=facilitators[2], partnership=ps[2], status=PartnershipStatus.PAUSED, reason="Musim panen"
    )
    stale |= {(address, subject): CancelReason.PAUSED for address in both[2] for subject in SUBJECTS}
    # 3: its check-in schedule is paused; the commitment is not.
    CheckInSchedule.objects.filter(partnership=ps[3]).update(paused=True)
    stale |= {(address, "checkin"): CancelReason.PAUSED for address in both[3]}
    # 4, 5: the contacts withdrew their consent.
    for n in (4, 5):
        contact = Contact.objects.get(pk=contacts[n].pk)
        contact.consent_to_contact = False
        partner_services.contact_save(user=facilitators[n], contact=contact)
        stale |= {(contacts[n].email, subject): CancelReason.CONSENT_WITHDRAWN for subject in SUBJECTS}
    # 6: a facilitator unsubscribed; 7: a contact did.
    services.reminders.unsubscribe(recipient_key=f"user:{facilitators[6].pk}")
    services.reminders.unsubscribe(recipient_key=f"contact:{contacts[7].pk}")
    stale |= {(facilitators[6].email, subject): CancelReason.UNSUBSCRIBED for subject in SUBJECTS}
    stale |= {(contacts[7].email, subject): CancelReason.UNSUBSCRIBED for subject in SUBJECTS}
    # 8: the contact was erased.
    partner_services.contact_erase(user=facilitators[8], contact=contacts[8])
    stale |= {(contacts[8].email, subject): CancelReason.ERASED for subject in SUBJECTS}
    # 9: the facilitator's account was deactivated.
    User.objects.filter(pk=facilitators[9].pk).update(is_active=False)
    stale |= {(facilitators[9].email, subject): CancelReason.DEACTIVATED for subject in SUBJECTS}
    # 10: the commitment was kept.
    services.commitments.commitment_mark_kept(user=facilitators[10], commitment=commitments[10])
    stale |= {(address, "commitment"): CancelReason.CLOSED for address in both[10]}
    # 11: the group left the partnership; 12: the facilitator no longer facilitates it.
    services.partnerships.member_remove(member=due.members[11], user=facilitators[11])
    ps[12].facilitators.remove(facilitators[12])
    stale |= {(contacts[11].email, subject): CancelReason.NOT_INVOLVED for subject in SUBJECTS}
    stale |= {(facilitators[12].email, subject): CancelReason.NOT_INVOLVED for subject in SUBJECTS}
    # 13: the facilitator has a new address: the reminders follow it.
    new_address = "stale-f13-baru@example.org"
    User.objects.filter(pk=facilitators[13].pk).update(email=new_address)
    moved = [(facilitators[13].email, subject) for subject in SUBJECTS]
    # 14..19: nothing changed.

    wait_until_ready(worker)
    ask_for_delivery(queue)
    runs = worker.wait_for_runs(1)
    assert nothing_left_to_send(), statuses()

    expected = (
        due.expected(without=[*stale, *moved])
        + first.expected(without=stale)
        + Counter((new_address, subject) for subject in SUBJECTS)
    )
    line = report(request, tally("7. changes between sweep and send", sink, expected))
    assert (line.expected, line.delivered, line.lost, line.doubled, line.stale) == (102, 102, 0, 0, 0)
    # In one run: the batch that was all cancelled did not end it.
    assert runs == [102]
    received = deliveries(sink)
    assert not [key for key in stale if received[key]], "a stale reminder went out"
    assert not [key for key in moved if received[key]], "a reminder went to an old address"
    assert received == expected
    assert_each_row_sent_once(sink)

    # Every stale row is cancelled, with its reason.
    cancelled = Reminder.objects.filter(status=ReminderStatus.CANCELLED)
    assert line.cancelled == len(stale) == 50 + 28
    by_key = {(row.recipient_key, row.subject_type): row for row in cancelled}
    addresses = {user.email: f"user:{user.pk}" for user in [*first.facilitators, *facilitators]} | {
        contact.email: f"contact:{contact.pk}" for contact in [*first.contacts, *contacts]
    }
    assert {(addresses[address], subject): reason for (address, subject), reason in stale.items()} == {
        key: row.cancel_reason for key, row in by_key.items()
    }
    # The erased contact's rows keep no address.
    assert set(Reminder.objects.filter(contact=contacts[8]).values_list("email", flat=True)) == {""}
    assert not Reminder.objects.filter(email=contacts[8].email).exists()
    assert set(Reminder.objects.filter(user=facilitators[13]).values_list("status", "email")) == {
        (ReminderStatus.SENT, new_address)
    }
    assert Commitment.objects.get(pk=commitments[10].pk).state == CommitmentState.KEPT
