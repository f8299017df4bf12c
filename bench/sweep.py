"""How the reminder sweep scales with the number of due check-in schedules.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/sweep.py --schedules 1000 100000

For each size N the script empties a throwaway database, bulk-creates N live
partnerships whose check-in is due (each with a facilitator, shared by about
20 partnerships, and two member organizations with one consenting and one
non-consenting contact each), then times ``engagements.services.reminders.sweep()``
twice: the first sweep writes 3 x N outbox rows, the second (what every
following minute costs) finds the same rows and writes none. It counts the
queries of each sweep and prints a table and the time ratio between sizes.

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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FACILITATOR_SHARE = 20  # partnerships per facilitator
ORGANIZATIONS_PER_PARTNERSHIP = 2
ROWS_PER_PARTNERSHIP = 1 + ORGANIZATIONS_PER_PARTNERSHIP  # the facilitator and one consenting contact per group
BATCH = 5000


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--schedules", type=int, nargs="+", default=[1000, 20000], help="sizes to measure (due schedules)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database (to inspect it)")
    parser.add_argument("--profile", action="store_true", help="print where the largest size's first sweep spends time")
    return parser.parse_args()


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
    admin = {
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
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)


def create_due_partnerships(count: int) -> None:
    """``count`` active partnerships whose check-in is due tomorrow, across the three time zones."""
    from accounts.models import User
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
    facilitators = User.objects.bulk_create(
        [
            User(username=f"fasilitator{n}", email=f"fasilitator{n}@example.org")
            for n in range(max(1, count // FACILITATOR_SHARE))
        ],
        batch_size=BATCH,
    )
    partnerships = Partnership.objects.bulk_create(
        [Partnership(title=f"Kemitraan {n}", status=PartnershipStatus.ACTIVE) for n in range(count)], batch_size=BATCH
    )
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Kelompok {n}") for n in range(count * ORGANIZATIONS_PER_PARTNERSHIP)], batch_size=BATCH
    )
    contacts = []
    for n, organization in enumerate(organizations):
        contacts.append(
            Contact(
                organization=organization, name=f"Ketua {n}", email=f"ketua{n}@example.org", consent_to_contact=True
            )
        )
        contacts.append(Contact(organization=organization, name=f"Anggota {n}", email=f"anggota{n}@example.org"))
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    members = [
        PartnershipMember(
            partnership=partnership,
            organization=organizations[n * ORGANIZATIONS_PER_PARTNERSHIP + k],
            role=MemberRole.LEAD if k == 0 else MemberRole.MEMBER,
        )
        for n, partnership in enumerate(partnerships)
        for k in range(ORGANIZATIONS_PER_PARTNERSHIP)
    ]
    PartnershipMember.objects.bulk_create(members, batch_size=BATCH)
    through = Partnership.facilitators.through
    through.objects.bulk_create(
        [
            through(partnership=partnership, user=facilitators[n // FACILITATOR_SHARE % len(facilitators)])
            for n, partnership in enumerate(partnerships)
        ],
        batch_size=BATCH,
    )
    check_ins = []
    for n, partnership in enumerate(partnerships):
        zone = zones[n % len(zones)]
        due = todays[zone] + datetime.timedelta(days=1)
        check_ins.append(
            CheckInSchedule(
                partnership=partnership,
                time_zone=zone,
                planned_on=due,
                due_on=due,
                remind_from=due - datetime.timedelta(days=2),
                late_from=due + datetime.timedelta(days=4),
                dormant_from=due + datetime.timedelta(days=14),
            )
        )
    CheckInSchedule.objects.bulk_create(check_ins, batch_size=BATCH)
    if _vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before the planner sees the new rows


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
                empty_database()
                started = time.perf_counter()
                create_due_partnerships(size)
                print(f"N={size}: data created in {time.perf_counter() - started:.1f} s", file=sys.stderr)
                first = timed_sweep(profile=arguments.profile and size == sizes[-1])
                again = timed_sweep()
                expected = size * ROWS_PER_PARTNERSHIP
                assert first[2] == expected, f"the first sweep wrote {first[2]} rows, expected {expected}"
                assert again[2] == 0, f"the repeated sweep wrote {again[2]} rows"
                assert Reminder.objects.count() == expected
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"N={size}: peak memory of this process so far {peak:.0f} MB", file=sys.stderr)
                results.append((size, first, again))
            vendor = _vendor()

    print(f"\nreminders.sweep() on {vendor}, {ROWS_PER_PARTNERSHIP} recipients per due schedule\n")
    header = f"{'schedules':>10} {'rows written':>13} {'1st sweep':>10} {'queries':>8} {'repeat':>9} {'queries':>8} {'µs/schedule':>12}"  # noqa: E501
    print(header)
    print("-" * len(header))
    for size, (first_s, first_q, created), (again_s, again_q, _) in results:
        print(
            f"{size:>10,} {created:>13,} {first_s:>9.2f}s {first_q:>8} {again_s:>8.2f}s {again_q:>8}"
            f" {first_s / size * 1e6:>12.0f}"
        )
    if len(results) > 1:
        (small, (small_s, *_), (small_again, *_)), (large, (large_s, *_), (large_again, *_)) = results[0], results[-1]
        print(
            f"\n{large:,} / {small:,} schedules = x{large / small:.0f}: first sweep x{large_s / small_s:.1f}, "
            f"repeat sweep x{large_again / small_again:.1f} (linear would be x{large / small:.0f})"
        )


if __name__ == "__main__":
    main()
