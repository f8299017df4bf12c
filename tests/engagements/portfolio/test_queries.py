"""The portfolio, its CSV and the summary cost a fixed number of queries: the same at 10 and at 2,000 partnerships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.engagements.portfolio.builders import many_partnerships

# Any list: the stale standings (none here), the count, the page and its member groups; the CSV: the stale
# standings, the rows (one cursor, server-side on PostgreSQL) and each chunk's member groups.
PATHS = {
    "/partnerships/": 4,
    "/partnerships/?sort=-health": 4,
    "/partnerships/?sort=last_contact&status=active&page=2": 4,
    "/partnerships/?overdue=1&sort=-open_commitments": 4,
    "/partnerships/?mine=1&sort=-health": 4,
    "/partnerships/?sort=-flags&page=3": 4,
    "/partnerships/?flags=1&sort=health": 4,
    "/partnerships/?flags=1&mine=1&status=active": 4,
}
# The CSV reads EXPORT_CHUNK rows a query: fixed at one size, one query more per chunk.
CSV_PATHS = ("/partnerships.csv", "/partnerships.csv?flags=1&overdue=1&sort=-flags")

SIGNED_IN = 3


def queries_of(client, path: str) -> int:
    # The session's last-seen time is saved once a minute: a cheap page first, so that it is not saved here.
    client.get("/accounts/preferences/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.django_db
def test_it_costs_the_same_queries_at_10_and_at_2000_partnerships(facilitator) -> None:
    client = client_for(facilitator)
    many_partnerships(10, facilitator=facilitator, label="Kecil")
    small = {path: queries_of(client, path) for path in PATHS}
    many_partnerships(1990, facilitator=facilitator, label="Besar")
    large = {path: queries_of(client, path) for path in PATHS}
    assert small == large
    # Every request also reads its session, its user and the user's roles.
    assert {path: count - SIGNED_IN for path, count in large.items()} == PATHS


@pytest.mark.django_db
def test_the_csv_reads_a_chunk_of_rows_a_query_whatever_their_number(facilitator, monkeypatch) -> None:
    from engagements.selectors import partnerships

    monkeypatch.setattr(partnerships, "EXPORT_CHUNK", 10)
    client = client_for(facilitator)
    many_partnerships(10, facilitator=facilitator, label="Kecil")
    one_chunk = {path: queries_of(client, path) for path in CSV_PATHS}
    many_partnerships(40, facilitator=facilitator, label="Besar")
    five_chunks = {path: queries_of(client, path) for path in CSV_PATHS}
    # The plain CSV lists all 50: four more chunks, each one query for its member groups (a server-side
    # cursor's FETCH is not a query Django counts).
    assert five_chunks[CSV_PATHS[0]] - one_chunk[CSV_PATHS[0]] == 4
