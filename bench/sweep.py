"""How the reminder sweep scales with the number of check-in schedules.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/sweep.py --schedules 1000 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/sweep.py --schedules 1000 100000 --due 1000

For each size N the script empties a throwaway database, bulk-creates N live
partnerships with a check-in schedule (each with a facilitator, shared by about
20 partnerships, and two member organizations with one consenting and one
non-consenting contact each), then times ``engagements.services.reminders.sweep()``
several times: the first sweep writes 3 x D outbox rows, the second (the
repeat, what every following minute costs) finds the same rows and writes
none, and a few more (the best of them is shown) give the steady state after
that no-op. It counts the queries of each sweep and prints a table and the
time ratio between sizes.

Without ``--due`` every schedule is due (D = N). With ``--due D`` only D of
the N schedules are due now and the others weeks later (their reminder window
opens in the future); the script then checks the scale target of the repeat
sweep (the best of the no-op sweeps): at the largest size no more than 1.5
times the smallest, and prints PASS or FAIL (exit status 1 on FAIL).

With a PostgreSQL DATABASE_URL the script creates a database of its own on
that server (``rekan_bench_<random>``), migrates it and drops it at the end;
otherwise it uses a SQLite file in a temporary folder. Nothing else is
touched. See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import os
import pstats
import resource
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from django.db.models import Model

    from accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FACILITATOR_SHARE = 20  # partnerships per facilitator
ORGANIZATIONS_PER_PARTNERSHIP = 2
ROWS_PER_PARTNERSHIP = 1 + ORGANIZATIONS_PER_PARTNERSHIP  # the facilitator and one consenting contact per group
BATCH = 5000
# --due: the repeat sweep at the largest size may take at most this many times the smallest's.
REPEAT_TARGET = 1.5
# After the repeat, sweep again up to this many times, as long as they take less than this in all
# (at least once): the best of them is the steady state, with little of other processes' noise.
STEADY_ROUNDS = 20
STEADY_SECONDS = 5.0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schedules", type=int, nargs="+", default=[1000, 20000], help="sizes to measure (schedules)")
    parser.add_argument(
        "--due",
        type=int,
        metavar="D",
        help="only D schedules of each size are due now, the others weeks later (default: all are due)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database (to inspect it)")
    parser.add_argument("--profile", action="store_true", help="print where the largest size's first sweep spends time")
    arguments = parser.parse_args()
    if arguments.due is not None and not 0 < arguments.due <= min(arguments.schedules):
        parser.error("--due must be at least 1 and at most the smallest size")
    return arguments


@contextmanager
def throwaway_database(url: str, *, keep: bool) -> Iterator[str]:
    """Yields the DATABASE_URL of a new, empty database; drops it afterwards."""
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(url)
    if server["ENGINE"] != "django.db.backends.postgresql":
        with tempfile.TemporaryDirectory(prefix="rekan-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    name = f"rekan_bench_{secrets.token_hex(4)}"
    admin: dict[str, Any] = {
        "host": server["HOST"] or None,
        "port": server["PORT"] or None,
        "user": server["USER"] or None,
        "password": server["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"Created database {name}", file=sys.stderr)
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"Kept database {name}", file=sys.stderr)
        else:
            with psycopg.connect(**admin) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"Dropped database {name}", file=sys.stderr)


def set_up_django(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # Production settings (DEBUG off: no query log), without a broker or a
    # cache server: the sweep needs neither.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.pop("REDIS_URL", None)
    os.environ["REKAN_VAR_DIR"] = var_dir
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def empty_database() -> None:
    """``flush``, with the trust log's append-only triggers lifted for that moment (as tests/conftest.py does).

    On PostgreSQL the trigger refuses every TRUNCATE of the table, even of an empty one.
    """
    from django.core.management import call_command
    from django.db import connection

    from engagements import append_only

    append_only.uninstall(connection)
    try:
        call_command("flush", verbosity=0, interactive=False)
    finally:
        append_only.install(connection)


def create_partnerships(count: int, *, due: int) -> None:
    """``count`` active partnerships with a schedule, across the three time zones; ``due`` of them due now.

    A due check-in comes due tomorrow (its reminder window opened yesterday);
    the others come due 3 to 10 weeks from now. The due ones are spread evenly
    over the table, not packed at its start. Rows are built and inserted
    ``BATCH`` partnerships at a time, so memory stays flat whatever the size.
    """
    from accounts.models import User
    from engagements.models import CheckInSchedule, Partnership

    facilitators = User.objects.bulk_create(
        [
            User(username=f"fasilitator{n}", email=f"fasilitator{n}@example.org")
            for n in range(max(1, count // FACILITATOR_SHARE))
        ],
        batch_size=BATCH,
    )
    # The field that tells the sweep when to look at a schedule again, where the model has it.
    tracks_next_reminder = _has_field(CheckInSchedule, "next_reminder_on")
    for start in range(0, count, BATCH):
        _create_chunk(range(start, min(count, start + BATCH)), count, due, facilitators, tracks_next_reminder)
    assert Partnership.objects.count() == count
    assert CheckInSchedule.objects.count() == count
    if _vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before the planner sees the new rows


def _is_due(n: int, count: int, due: int) -> bool:
    """Exactly ``due`` of ``range(count)`` answer True, one every ``count / due``."""
    return n * due // count != (n + 1) * due // count


def _has_field(model: type[Model], name: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist

    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _create_chunk(numbers: range, count: int, due: int, facilitators: list[User], tracks_next_reminder: bool) -> None:
    from engagements.domain import schedules
    from engagements.models import (
        PARTNERSHIP_TIME_ZONES,
        CheckInSchedule,
        MemberRole,
        Partnership,
        PartnershipMember,
        PartnershipStatus,
    )
    from partners.models import Contact, Organization

    zones = [zone for zone, _label in PARTNERSHIP_TIME_ZONES]
    todays = {zone: schedules.local_today(zone) for zone in zones}
    partnerships = Partnership.objects.bulk_create(
        [Partnership(title=f"Kemitraan {n}", status=PartnershipStatus.ACTIVE) for n in numbers], batch_size=BATCH
    )
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"Kelompok {n * ORGANIZATIONS_PER_PARTNERSHIP + k}")
            for n in numbers
            for k in range(ORGANIZATIONS_PER_PARTNERSHIP)
        ],
        batch_size=BATCH,
    )
    contacts = []
    for organization in organizations:
        contacts.append(
            Contact(
                organization=organization,
                name=f"Ketua {organization.pk}",
                email=f"ketua{organization.pk}@example.org",
                consent_to_contact=True,
            )
        )
        contacts.append(
            Contact(
                organization=organization,
                name=f"Anggota {organization.pk}",
                email=f"anggota{organization.pk}@example.org",
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    PartnershipMember.objects.bulk_create(
        [
            PartnershipMember(
                partnership=partnership,
                organization=organizations[i * ORGANIZATIONS_PER_PARTNERSHIP + k],
                role=MemberRole.LEAD if k == 0 else MemberRole.MEMBER,
            )
            for i, partnership in enumerate(partnerships)
            for k in range(ORGANIZATIONS_PER_PARTNERSHIP)
        ],
        batch_size=BATCH,
    )
    through = Partnership.facilitators.through
    through.objects.bulk_create(
        [
            through(partnership=partnership, user=facilitators[n // FACILITATOR_SHARE % len(facilitators)])
            for n, partnership in zip(numbers, partnerships, strict=True)
        ],
        batch_size=BATCH,
    )
    check_ins = []
    for n, partnership in zip(numbers, partnerships, strict=True):
        zone = zones[n % len(zones)]
        # Later ones over seven weeks, so their windows do not all open on one day.
        days_ahead = 1 if _is_due(n, count, due) else 21 + n % 50
        due_on = todays[zone] + datetime.timedelta(days=days_ahead)
        remind_from = due_on - datetime.timedelta(days=2)
        schedule = CheckInSchedule(
            partnership=partnership,
            time_zone=zone,
            planned_on=due_on,
            due_on=due_on,
            remind_from=remind_from,
            late_from=due_on + datetime.timedelta(days=4),
            dormant_from=due_on + datetime.timedelta(days=14),
        )
        if tracks_next_reminder:
            schedule.next_reminder_on = remind_from  # as schedule_refresh sets it with the other dates
        check_ins.append(schedule)
    CheckInSchedule.objects.bulk_create(check_ins, batch_size=BATCH)


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """Counts statements without recording their text (the sweep's INSERT carries megabytes of JSON)."""
    from django.db import connection

    counter = [0]

    def count(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def timed_sweep(*, profile: bool = False) -> tuple[float, int, int]:
    from engagements.services import reminders

    gc.collect()
    profiler = cProfile.Profile() if profile else None
    with counting_queries() as queries:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        created = reminders.sweep()
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    return elapsed, queries[0], created


def steady_sweeps() -> tuple[tuple[float, int, int], int]:
    """The fastest of a few more sweeps after the repeat, and how many ran."""
    best = timed_sweep()
    spent, rounds = best[0], 1
    while rounds < STEADY_ROUNDS and spent < STEADY_SECONDS:
        result = timed_sweep()
        assert result[2] == 0, f"a steady-state sweep wrote {result[2]} rows"
        spent, rounds = spent + result[0], rounds + 1
        best = min(best, result)
    return best, rounds


def main() -> None:
    arguments = parse_arguments()
    sizes = sorted(set(arguments.schedules))
    database_url = os.environ.get("DATABASE_URL") or "sqlite://"
    results = []
    with tempfile.TemporaryDirectory(prefix="rekan-bench-var-") as var_dir:
        with throwaway_database(database_url, keep=arguments.keep) as bench_url:
            set_up_django(bench_url, var_dir)
            from engagements.models import Reminder

            for size in sizes:
                due = arguments.due or size
                empty_database()
                started = time.perf_counter()
                create_partnerships(size, due=due)
                print(f"N={size} ({due} due): data created in {time.perf_counter() - started:.1f} s", file=sys.stderr)
                first = timed_sweep(profile=arguments.profile and size == sizes[-1])
                again = timed_sweep()
                third, rounds = steady_sweeps()
                expected = due * ROWS_PER_PARTNERSHIP
                assert first[2] == expected, f"the first sweep wrote {first[2]} rows, expected {expected}"
                assert again[2] == 0, f"the repeated sweep wrote {again[2]} rows"
                assert third[2] == 0, f"the steady-state sweep wrote {third[2]} rows"
                assert Reminder.objects.count() == expected
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"N={size}: peak memory of this process so far {peak:.0f} MB", file=sys.stderr)
                print(f"N={size}: steady state = the best of {rounds} sweep(s) after the repeat", file=sys.stderr)
                results.append((size, due, first, again, third))
            vendor = _vendor()

    print(f"\nreminders.sweep() on {vendor}, {ROWS_PER_PARTNERSHIP} recipients per due schedule\n")
    header = (
        f"{'schedules':>10} {'due':>8} {'rows written':>13} {'1st sweep':>10} {'queries':>8}"
        f" {'repeat':>9} {'queries':>8} {'steady':>9} {'queries':>8} {'µs/due':>8}"
    )
    print(header)
    print("-" * len(header))
    for size, due, (first_s, first_q, created), (again_s, again_q, _), (third_s, third_q, _) in results:
        print(
            f"{size:>10,} {due:>8,} {created:>13,} {first_s:>9.3f}s {first_q:>8} {again_s:>8.3f}s {again_q:>8}"
            f" {third_s:>8.3f}s {third_q:>8} {first_s / due * 1e6:>8.0f}"
        )
    if len(results) < 2:
        return
    small, _, small_first, small_again, small_third = results[0]
    large, _, large_first, large_again, large_third = results[-1]
    first_ratio = large_first[0] / small_first[0]
    again_ratio = large_again[0] / small_again[0]
    third_ratio = large_third[0] / small_third[0]
    # Every sweep after the first is a no-op: the fastest is the least disturbed by other processes.
    best_ratio = min(large_again[0], large_third[0]) / min(small_again[0], small_third[0])
    if arguments.due is None:
        print(
            f"\n{large:,} / {small:,} schedules = x{large / small:.0f}: first sweep x{first_ratio:.1f}, "
            f"repeat sweep x{again_ratio:.1f}, steady x{third_ratio:.1f} (linear would be x{large / small:.0f})"
        )
        return
    print(
        f"\n{large:,} / {small:,} schedules, {arguments.due:,} due in each: first sweep x{first_ratio:.2f}, "
        f"repeat sweep x{again_ratio:.2f}, steady x{third_ratio:.2f} (independent of the schedules not due: x1)"
    )
    verdict = "PASS" if best_ratio <= REPEAT_TARGET else "FAIL"
    print(f"{verdict}: repeat sweep (the best no-op sweep) x{best_ratio:.2f} (target: at most x{REPEAT_TARGET})")
    if verdict == "FAIL":
        sys.exit(1)


if __name__ == "__main__":
    main()
