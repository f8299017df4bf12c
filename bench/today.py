"""How many Today pages a second one process serves, against a trivial logged-in page, at 2,000 partnerships.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/today.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/today.py --partnerships 20 2000 --seconds 20

For each size N the script empties a throwaway database and gives ONE
facilitator N active partnerships, each with something of every kind Today
shows (``tests.engagements.today.scale``: a late check-in, an overdue and a
kept commitment, an overdue activity with its Accountable group, a new leader,
a fall in health, four things a partner member did, two follow-ups), so that
every section of Today is full and every count is in the thousands. Then,
logged in as that facilitator with Django's test client (the whole middleware
stack and template rendering, no network), it requests each page in turn for
``--seconds`` seconds, after a few untimed warm-up requests:

* **trivial**: ``accounts:no_role``, a logged-in page that reads nothing but
  the session and the user: what any page costs at the least;
* **Today**: ``engagements:today``, which also records the visit;
* **a list**: ``engagements:today_list`` for the flags, the heaviest list.

It prints requests per second, the median and 95th percentile time of one
request, the queries of one request (counted with ``connection.execute_wrapper``)
and each page's rate as a share of the trivial page's. Production settings
(DEBUG off). With a PostgreSQL DATABASE_URL the script creates a database of
its own (``rekan_bench_<random>``), migrates and ANALYZEs it, and drops it at
the end (``--keep`` keeps it); otherwise a SQLite file in a temporary folder.
See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 3
MIN_REQUESTS = 5


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, nargs="+", default=[2000], help="sizes (one facilitator's)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time each page this long at each size")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database (to inspect it)")
    arguments = parser.parse_args()
    if min(arguments.partnerships) < 1 or arguments.seconds <= 0:
        parser.error("sizes must be at least 1 and --seconds positive")
    return arguments


@dataclass(frozen=True)
class Timing:
    name: str
    path: str
    requests: int
    seconds: float
    median_ms: float
    p95_ms: float
    queries: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def make_facilitator() -> User:
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import FACILITATOR

    user = User.objects.create(username="fasilitator-bench", email="fasilitator-bench@example.org")
    user.groups.add(Group.objects.get_or_create(name=FACILITATOR)[0])
    return user


def plain_static_files() -> dict[str, dict[str, str]]:
    from django.conf import settings

    return settings.STORAGES | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before the planner sees the new rows


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    from django.db import connection

    counter = [0]

    def count(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def fetch(client: Client, path: str) -> None:
    # secure: production settings redirect plain HTTP to HTTPS.
    response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")


def time_page(client: Client, name: str, path: str, seconds: float) -> Timing:
    for _ in range(WARM_UP):
        fetch(client, path)
    with counting_queries() as queries:
        fetch(client, path)
    gc.collect()
    durations: list[float] = []
    started = time.perf_counter()
    while len(durations) < MIN_REQUESTS or time.perf_counter() - started < seconds:
        before = time.perf_counter()
        fetch(client, path)
        durations.append(time.perf_counter() - before)
    spent = time.perf_counter() - started
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(name, path, len(durations), spent, statistics.median(durations) * 1000, p95 * 1000, queries[0])


def measure(size: int, seconds: float) -> list[Timing]:
    from django.test import Client
    from django.urls import reverse

    from bench.sweep import empty_database
    from tests.engagements.today.scale import build_portfolio

    empty_database()
    started = time.perf_counter()
    facilitator = make_facilitator()
    build_portfolio(facilitator, size)
    analyze()
    print(f"N={size}: data created in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    client = Client()
    client.force_login(facilitator)
    pages = [
        ("trivial", reverse("accounts:no_role")),
        ("Today", reverse("engagements:today")),
        ("a list (flags)", reverse("engagements:today_list", args=["flags"])),
    ]
    timings = []
    for name, path in pages:
        timing = time_page(client, name, path, seconds)
        print(f"N={size}: {name} {timing.requests} requests in {timing.seconds:.1f} s", file=sys.stderr)
        timings.append(timing)
    return timings


def main() -> None:
    arguments = parse_arguments()
    sizes = sorted(set(arguments.partnerships))
    database_url = os.environ.get("DATABASE_URL") or "sqlite://"
    # The test client's host; production settings allow only the ones named.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    from bench.sweep import set_up_django, throwaway_database

    results: list[tuple[int, list[Timing]]] = []
    with tempfile.TemporaryDirectory(prefix="rekan-bench-var-") as var_dir:
        with throwaway_database(database_url, keep=arguments.keep) as bench_url:
            set_up_django(bench_url, var_dir)
            from django.db import connection
            from django.test.utils import override_settings

            # No collectstatic here: the static files are named as in development (the production
            # storage would look each one up in its manifest instead, an equally cheap dict lookup).
            with override_settings(STORAGES=plain_static_files()):
                for size in sizes:
                    results.append((size, measure(size, arguments.seconds)))
            vendor = connection.vendor

    print(f"\nOne process, Django's test client, {vendor}, one facilitator; {arguments.seconds:g} s a page\n")
    header = (
        f"{'partnerships':>12}  {'page':<16} {'requests':>9} {'per second':>11} {'median':>9} {'p95':>9}"
        f" {'queries':>8} {'vs trivial':>11}"
    )
    print(header)
    print("-" * len(header))
    for size, timings in results:
        trivial = timings[0].rate
        for timing in timings:
            share = timing.rate / trivial
            print(
                f"{size:>12,}  {timing.name:<16} {timing.requests:>9,} {timing.rate:>11.1f}"
                f" {timing.median_ms:>7.1f}ms {timing.p95_ms:>7.1f}ms {timing.queries:>8} {share:>10.1%}"
            )
    if len(results) > 1:
        first, last = results[0], results[-1]
        same = [a.queries == b.queries for a, b in zip(first[1], last[1], strict=True)]
        print(
            f"\nQueries of each page at {first[0]:,} and {last[0]:,} partnerships: "
            + ", ".join(f"{a.name} {a.queries}/{b.queries}" for a, b in zip(first[1], last[1], strict=True))
            + (" (the same)" if all(same) else " (NOT the same)")
        )


if __name__ == "__main__":
    main()
