"""The fault suite's scenarios with the WhatsApp channel: 0 lost, 0 doubled, an uncertain row never resent.

The same real processes as ``test_reminder_reliability`` (Celery workers on
a queue of their own, a throwaway Redis, SIGKILL), with half of the
recipients on WhatsApp: each partnership's contact agreed to WhatsApp
reminders and has a phone and no email, its facilitator gets email. The
workers send to the SMTP sink and to ``GraphApi``, a local server that
speaks the Cloud API over real HTTP. Each scenario adds its line to the same
table, counting emails and WhatsApp messages together.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import Reminder, ReminderChannel, ReminderStatus
from partners.models import Contact
from tests.engagements.graph_api import GraphApi, parameters_of
from tests.engagements.reminders.test_reminder_reliability import (  # noqa: F401 (the fixtures queue, sink...)
    PROMISE,
    SUBJECTS,
    SWEEP_TASK,
    UNCERTAIN_LOG,
    Delivery,
    Due,
    Tally,
    ThrowawayRedis,
    Worker,
    ask_for_delivery,
    at_the_same_time,
    child_environment,
    deliveries,
    due_partnerships,
    let_the_leases_run_out,
    needs_postgres_and_redis,
    nothing_left_to_send,
    queue,
    reliability_table,
    report,
    run_python,
    sink,
    start_worker,
    statuses,
    throwaway_redis,
    wait_until,
    wait_until_ready,
)
from tests.engagements.smtp_sink import SmtpSink

pytestmark = pytest.mark.slow

# Shorter than the email scenario's two minutes: what is shown is the same
# (the running task needs no broker; what came due meanwhile waits in the database).
REDIS_OUTAGE = 30.0


def on_whatsapp(due: Due) -> dict[int, str]:
    """Move every contact of ``due`` to WhatsApp only (a phone, no email); returns contact id -> number digits."""
    numbers = {}
    for contact in due.contacts:
        phone = f"+62812{contact.pk:08d}"  # one number per contact, whatever the scenario
        Contact.objects.filter(pk=contact.pk).update(
            email="", phone=phone, whatsapp_reminders=True, whatsapp_consent_on=timezone.localdate()
        )
        numbers[contact.pk] = phone.removeprefix("+")
    return numbers


def expected_chats(numbers: dict[int, str]) -> Counter[Delivery]:
    return Counter((number, subject) for number in numbers.values() for subject in SUBJECTS)


def expected_emails(due: Due) -> Counter[Delivery]:
    return Counter((user.email, subject) for user in due.facilitators for subject in SUBJECTS)


def chats(api: GraphApi) -> Counter[Delivery]:
    """What the Cloud API took, by number and subject (a commitment's line names the promise)."""
    return Counter(
        (body["to"], "commitment" if PROMISE in parameters_of(body)[0] else "checkin") for body in api.accepted
    )


def both_channels(
    scenario: str, sink: SmtpSink, api: GraphApi, emails: Counter[Delivery], messages: Counter[Delivery], note: str = ""
) -> Tally:
    received = deliveries(sink) + chats(api)
    expected = emails + messages
    states = statuses()
    copies = max(
        sum(count - 1 for count in received.values() if count > 1),
        sum(count - 1 for count in sink.message_ids.values() if count > 1)
        + sum(count - 1 for count in Counter(api.message_ids).values() if count > 1),
    )
    return Tally(
        scenario=scenario,
        expected=sum(expected.values()),
        delivered=sink.total + api.total,
        lost=sum(1 for key in expected if received[key] == 0),
        doubled=copies,
        stale=sum(count for key, count in received.items() if key not in expected),
        cancelled=states[ReminderStatus.CANCELLED],
        uncertain=states[ReminderStatus.UNCERTAIN],
        failed=states[ReminderStatus.FAILED],
        note=note,
    )


def whatsapp_ids_once() -> None:
    """Every WhatsApp row that went out holds its own message id: no row was sent for twice."""
    ids = list(
        Reminder.objects.filter(channel=ReminderChannel.WHATSAPP)
        .exclude(provider_message_id="")
        .values_list("provider_message_id", flat=True)
    )
    assert len(ids) == len(set(ids))


@needs_postgres_and_redis
def test_it_delivers_email_and_whatsapp_exactly_once_with_two_sweeps_and_two_workers_at_once(
    transactional_db: None,
    sink: SmtpSink,
    graph_api: GraphApi,
    queue: str,
    start_worker: Callable[..., Worker],
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(150, label="wa1")
    numbers = on_whatsapp(due)
    environment = sink.environment | graph_api.settings
    workers = [start_worker(f"wa{n}-{queue}", **environment) for n in (1, 2)]
    wait_until_ready(*workers)

    created = at_the_same_time(services.reminders.sweep, services.reminders.sweep)
    assert sum(created) == 600, created
    assert Reminder.objects.filter(channel=ReminderChannel.WHATSAPP).count() == 300

    ask_for_delivery(queue, times=4)
    assert graph_api.wait_for_total(30, timeout=60), [worker.output.text for worker in workers]
    assert services.reminders.sweep() == 0
    assert wait_until(nothing_left_to_send, timeout=90), statuses()

    line = report(
        request,
        both_channels("W1. 600 due (300 WhatsApp), 2 sweeps + 2 workers", sink, graph_api,
                      expected_emails(due), expected_chats(numbers)),
    )  # fmt: skip
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (600, 600, 0, 0, 0)
    assert chats(graph_api) == expected_chats(numbers)
    assert deliveries(sink) == expected_emails(due)
    whatsapp_ids_once()
    assert statuses() == Counter({ReminderStatus.SENT: 600})


@needs_postgres_and_redis
def test_it_sends_no_whatsapp_message_twice_when_the_worker_is_killed_before_it_hears_the_answer(
    transactional_db: None,
    sink: SmtpSink,
    graph_api: GraphApi,
    queue: str,
    start_worker: Callable[..., Worker],
    throwaway_redis: ThrowawayRedis,
    request: pytest.FixtureRequest,
) -> None:
    due = due_partnerships(50, label="wa-kill")
    numbers = on_whatsapp(due)
    assert services.reminders.sweep() == 200
    environment = {"REDIS_URL": throwaway_redis.url, **sink.environment, **graph_api.settings}
    worker = start_worker(f"wak-{queue}", pool="prefork", **environment)
    wait_until_ready(worker)
    held = graph_api.pause_after(30)
    ask_for_delivery(queue, broker=throwaway_redis.url)
    assert held.wait(timeout=60), worker.output.text
    killed_id = graph_api.message_ids[29]
    worker.kill()
    assert worker.process.returncode == -signal.SIGKILL
    graph_api.resume()  # to a client that is gone

    # WhatsApp has the message; the row says only that it was about to send it.
    killed = Reminder.objects.get(
        channel=ReminderChannel.WHATSAPP, status=ReminderStatus.SENDING, send_started_at__isnull=False
    )
    worker = start_worker(f"wak2-{queue}", pool="prefork", **environment)
    wait_until_ready(worker)
    assert let_the_leases_run_out() >= 1
    sweep_environment = child_environment(CELERY_QUEUE=queue, REMINDER_DELIVERY_TASKS="1", **environment)
    swept = run_python(SWEEP_TASK, env=sweep_environment)
    assert swept.returncode == 0 and "created: 0" in swept.stdout, swept.stdout
    assert wait_until(nothing_left_to_send, timeout=60), statuses()
    assert UNCERTAIN_LOG in worker.output.text

    killed.refresh_from_db()
    line = report(
        request,
        both_channels("W2. SIGKILL worker mid WhatsApp send", sink, graph_api, expected_emails(due),
                      expected_chats(numbers)),
    )  # fmt: skip
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (200, 200, 0, 0, 1)
    assert killed.status == ReminderStatus.UNCERTAIN and killed.may_be_sent_again
    assert killed.provider_message_id == ""  # the answer never reached the row: WhatsApp's id is killed_id
    assert killed_id not in Reminder.objects.values_list("provider_message_id", flat=True)
    whatsapp_ids_once()
    assert statuses() == Counter({ReminderStatus.SENT: 199, ReminderStatus.UNCERTAIN: 1})


@needs_postgres_and_redis
def test_it_loses_no_whatsapp_reminder_and_sends_none_twice_while_redis_is_down(
    transactional_db: None,
    sink: SmtpSink,
    graph_api: GraphApi,
    queue: str,
    start_worker: Callable[..., Worker],
    throwaway_redis: ThrowawayRedis,
    request: pytest.FixtureRequest,
) -> None:
    before = due_partnerships(25, label="wa-redis-a")
    numbers = on_whatsapp(before)
    broker = {"REDIS_URL": throwaway_redis.url, "CELERY_QUEUE": queue, **graph_api.settings}
    worker = start_worker(f"war-{queue}", REDIS_URL=throwaway_redis.url, **sink.environment, **graph_api.settings)
    wait_until_ready(worker)
    sink.handler.delay = 0.05  # slow enough that Redis goes while the worker sends

    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept.returncode == 0 and "created: 100" in swept.stdout, swept.stdout
    assert sink.wait_for_total(5, timeout=60), worker.output.text
    throwaway_redis.stop()
    stopped = time.monotonic()
    assert sink.total + graph_api.total < 100, "Redis was to go while the worker was still sending"

    # The running task needs no broker; what comes due meanwhile waits in the database.
    assert wait_until(nothing_left_to_send, timeout=60), statuses()
    during = due_partnerships(10, label="wa-redis-b")
    numbers |= on_whatsapp(during)
    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept.returncode == 0 and "created: 40" in swept.stdout, swept.stdout
    assert "Could not queue reminder delivery" in swept.stdout, swept.stdout

    time.sleep(max(0.0, REDIS_OUTAGE - (time.monotonic() - stopped)))
    assert worker.process.poll() is None, worker.output.text[-5000:]
    throwaway_redis.start()
    outage = time.monotonic() - stopped
    assert worker.output.wait_for("Connected to redis", count=2, timeout=60), worker.output.text[-5000:]
    swept = run_python(SWEEP_TASK, env=child_environment(**broker))
    assert swept.returncode == 0 and "created: 0" in swept.stdout, swept.stdout
    assert wait_until(nothing_left_to_send, timeout=60), worker.output.text[-5000:]

    emails = expected_emails(before) + expected_emails(during)
    line = report(
        request,
        both_channels("W3. Redis down, WhatsApp + email", sink, graph_api, emails, expected_chats(numbers),
                      note=f"outage {outage:.0f} s"),
    )  # fmt: skip
    assert (line.expected, line.delivered, line.lost, line.doubled, line.uncertain) == (140, 140, 0, 0, 0)
    whatsapp_ids_once()
    assert statuses() == Counter({ReminderStatus.SENT: 140})
