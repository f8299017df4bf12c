"""On PostgreSQL, Today reads the facilitator's share of a large programme through indexes.

A programme of 1,500 partnerships (60 of them the facilitator's) and 10,000
groups in the directory (most of them in no partnership), loaded with
bulk_create and ANALYZEd as autovacuum would (no planner switch turned
off). EXPLAIN of every query Today runs shows no sequential scan of a table
that grows with the programme: each section starts from the facilitator's
partnerships (or from a partial index of the open rows) and stops at its
LIMIT or its count.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.engagements.today.scale import build_portfolio
from tests.factories import make_facilitator
from tests.partners.scale import seed_directory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://...: EXPLAIN plans are PostgreSQL's"
    ),
]

# The tables that grow with the programme faster than its partnerships (several rows per partnership or
# per group). Those with one row per partnership (the partnership, its schedule, its standing: 2,000 narrow
# rows in a provincial programme) may be read whole when the planner finds it cheaper than an index.
GROWING = [
    "engagements_activity",
    "engagements_activityrole",
    "engagements_checkin",
    "engagements_commitment",
    "engagements_healthcheckanswer",
    "engagements_historicalactivity",
    "engagements_partnershipmember",
    "engagements_progressupdate",
    "engagements_risk",
    "engagements_standingflag",
    "partners_interaction",
    "partners_leadershipterm",
    "partners_organization",
]


def analyze_everything() -> None:
    tables = [
        model._meta.db_table
        for label in ("partners", "engagements", "accounts")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def large_tables(names: list[str]) -> set[str]:
    """Those of ``names`` that grow faster than the partnerships, as ANALYZE counted them.

    At least 1,000 rows (an empty table may be read whole) and more than one
    and a half per partnership: a table that holds about one row per
    partnership here (the standing flags of this build: one each) is as
    small as the partnership table, which the planner may read whole too.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples >= 1000 AND reltuples > 1.5 * "
            "(SELECT reltuples FROM pg_class WHERE relname = 'engagements_partnership')",
            [names],
        )
        return {name for (name,) in cursor.fetchall()}


def plans_of_today(user) -> list[tuple[str, str]]:
    client = client_for(user)
    client.get(reverse("engagements:today"))  # the first visit writes its row and refreshes stale standings
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("engagements:today")).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip("(").startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def test_today_reads_no_growing_table_whole_in_a_large_programme(facilitator) -> None:
    colleague = make_facilitator(username="rekan-kerja")
    build_portfolio(colleague, 1440)
    build_portfolio(facilitator, 60, start=1440)
    seed_directory(7000, start=100_000, analyze=False)
    analyze_everything()

    large = large_tables(GROWING)
    assert {"engagements_commitment", "engagements_activity", "partners_interaction"} <= large

    plans = plans_of_today(facilitator)

    assert len(plans) > 10  # every section asked
    for sql, plan in plans:
        scanned = [table for table in large if re.search(rf"Seq Scan on {table}\b", plan)]
        assert not scanned, f"{scanned} read whole by:\n{sql}\n{plan}"
