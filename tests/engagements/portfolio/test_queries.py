"""The portfolio, its CSV and the summary cost a fixed number of queries: the same at 10 and at 2,000 partnerships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.engagements.portfolio.builders import many_partnerships

# The list: the count, the page, its member groups and its flags (six); the
# flag filter and sort: every kept row, their flags, the page's groups.
PATHS = {
    "/partnerships/": 9,
    "/partnerships/?sort=-health": 9,
    "/partnerships/?sort=last_contact&status=active&page=2": 9,
    "/partnerships/?overdue=1&sort=-open_commitments": 9,
    "/partnerships/?mine=1&sort=-health": 9,
    "/partnerships/?sort=-flags&page=3": 8,
    "/partnerships/?flags=1&sort=health": 8,
    "/partnerships/?flags=1&mine=1&status=active": 8,
    "/partnerships.csv": 8,
    "/partnerships.csv?flags=1&overdue=1&sort=-flags": 8,
}

SIGNED_IN = 3


def queries_of(client, path: str) -> int:
    # The session's last-seen time is saved once a minute: a cheap page first, so that it is not saved here.
    client.get("/accounts/preferences/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
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
