"""Database triggers that make a table append-only, on PostgreSQL and SQLite.

The trust log must not be rewritten by anyone, the application included: the
database refuses UPDATE, DELETE and (PostgreSQL) TRUNCATE of its rows. The
migration that creates the table installs the triggers; tests that empty the
database between runs lift them for that moment only (tests/conftest.py).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY_TABLES = ("engagements_trustentry",)
MESSAGE = "the trust log is append-only: add a correction instead"


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$""",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse()",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for action in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def _drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_refuse()",
        ]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{action}" for action in ("update", "delete")]


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            for statement in _statements(connection.vendor, table):
                cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            for statement in _drop_statements(connection.vendor, table):
                cursor.execute(statement)
