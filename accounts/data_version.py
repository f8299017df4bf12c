"""A token that changes whenever the database does, so that a cache keyed on it is never behind the data.

Every SQL statement that goes through Django passes an execute wrapper
installed on each connection. A statement that may have changed a row
(INSERT, UPDATE, DELETE, DDL, a CTE that writes) and did change at least
one gives the database a new random token in the shared cache, at once and
again when its transaction commits: the first for readers on the same
connection (a test's own transaction), the second for everyone else, who
cannot see the rows before the commit. A reader reads the token before it
reads any data, so what it stores under a token is never older than the
token. Because the wrapper sees the SQL itself, ``QuerySet.update()``,
``bulk_create`` and raw statements count as much as ``save()``; no signal
and no list of models to keep up to date.

Statements that change nothing (an ``ON CONFLICT DO NOTHING`` sweep that
found no new reminders, an ``UPDATE`` of no row; ``RETURNING`` statements
always count) leave the token alone, and
so do writes to tables no cached page reads (``UNWATCHED_TABLES``).

The token lives in the cache because every process (web workers, Celery)
must see the same one: without a cache shared between processes the page
cache stays off (``settings.PAGE_CACHE_SECONDS``).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# Tables whose writes no cached page shows. Sessions are stamped every minute
# by SessionTimeoutMiddleware, Axes writes at each log-in attempt, and Today's
# visit record is read only by Today, whose cache key carries the "since your
# last visit" it yields.
UNWATCHED_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "axes_accesslog",
        "engagements_todayvisit",
    }
)

# Counting a share page's views (engagements.services.sharing) writes only these two columns: the share
# links panel may show a count up to PAGE_CACHE_SECONDS old, and the share page stays kept for the next
# visitor instead of being built again for each.
_UNWATCHED_STATEMENTS = re.compile(
    r'\s*UPDATE "engagements_sharelink" SET "view_count" = \("engagements_sharelink"\."view_count" \+ %s\), '
    r'"last_viewed_at" = %s WHERE "engagements_sharelink"\."id" = %s\s*$'
)
# Statements that read, or set up the session or the transaction, and change no row.
_READ_ONLY_VERBS = frozenset(
    {"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "RESET", "SHOW", "EXPLAIN", "PRAGMA"}
    | {"DECLARE", "FETCH", "MOVE", "CLOSE"}
)
_FIRST_WORD = re.compile(r"[\s(]*(\w+)")  # a UNION of parenthesised SELECTs starts with "("
_WRITTEN_TABLE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)
_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)

# SQLite counts the rows of a statement with RETURNING only once they are fetched, after the wrapper has
# returned (Django fetches generated columns so on every save): such a statement counts as a change.
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)

_bumping = threading.local()


def key(using: str = "default") -> str:
    """The cache key of one database's token (several databases, test databases included, share one Redis)."""
    settings_dict = connections[using].settings_dict
    return f"data-version:{settings_dict.get('HOST') or ''}:{settings_dict.get('PORT') or ''}:{settings_dict['NAME']}"


def current(using: str = "default") -> str:
    """The database's token now; a first reader sets one (``add``, so that it never hides a writer's)."""
    token = cache.get(key(using))
    if token is None:
        cache.add(key(using), secrets.token_hex(8), timeout=None)
        token = cache.get(key(using))
    return str(token)


def bump(using: str = "default") -> None:
    """Give the database a new token. A cache that does not answer is logged, not raised: the write stands."""
    if getattr(_bumping, "active", False):
        return  # a cache kept in the database writes to it: that write is not news
    _bumping.active = True
    try:
        cache.set(key(using), secrets.token_hex(8), timeout=None)
    except Exception:
        logger.warning(
            "The data version could not be moved on; cached pages may lag for their lifetime.", exc_info=True
        )
    finally:
        _bumping.active = False


def is_watched_write(sql: str) -> bool:
    """Whether ``sql`` may change what a cached page shows (conservative: unknown statements count)."""
    first = _FIRST_WORD.match(sql)
    verb = first.group(1).upper() if first else ""
    if verb in _READ_ONLY_VERBS:
        return False
    if verb == "WITH":
        return bool(_WRITE_IN_CTE.search(sql))
    if _UNWATCHED_STATEMENTS.match(sql):
        return False
    written = _WRITTEN_TABLE.match(sql)
    return not (written and written.group(1).lower() in UNWATCHED_TABLES)


def track_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute wrapper: run the statement, then move the token on if it changed something watched."""
    result = execute(sql, params, many, context)
    if is_watched_write(sql) and (context["cursor"].rowcount != 0 or _RETURNING.search(sql)):
        connection = context["connection"]
        bump(connection.alias)
        if connection.in_atomic_block and not any(
            getattr(entry[1], "data_version_alias", None) == connection.alias for entry in connection.run_on_commit
        ):
            transaction.on_commit(_bump_on_commit(connection.alias), using=connection.alias)
    return result


def _bump_on_commit(alias: str) -> Callable[[], None]:
    def bump_after_commit() -> None:
        bump(alias)

    bump_after_commit.data_version_alias = alias  # type: ignore[attr-defined]
    return bump_after_commit


def install(connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """A ``connection_created`` receiver. First in the list, so that ``execute_wrapper()`` blocks pop their own."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, track_writes)
