"""How the directory finds a group: one weighted full-text document per organization.

On PostgreSQL ``Organization.search_vector`` is a stored generated column:
the database writes it from the row's own columns on every INSERT and
UPDATE, whoever writes the row (a service, the admin, an import's or a
benchmark's ``bulk_create``, a ``queryset.update()``), so it is never stale
and no save has to remember it; and it is declared in the model, where a
reader finds it, not hidden in a trigger. A GIN index on it (made by
migration 0005) answers the search, and the rank is read from the stored
vector instead of parsing every matching row's text again, as an expression
index would.

What a group is found by, and how much each part weighs in the rank:

- A: its name;
- B: its regency or city, its province's name and its focus areas (the last
  two are not columns of the row: ``services.organization_save`` keeps them
  in ``search_document``);
- C: its mission.

The 'simple' configuration: no stemming and no stop words, because the texts
are Indonesian, English and local languages at once. SQLite has no tsvector:
its column stays NULL and the selectors search the same columns with LIKE.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Lookup, QuerySet
from django.db.models.sql.compiler import SQLCompiler

SEARCH_CONFIG = "simple"
# (column, weight): the document's parts, in the order they are concatenated.
SEARCH_WEIGHTS = (("name", "A"), ("regency", "B"), ("search_document", "B"), ("mission", "C"))
# Migration 0005 builds the GIN index under this name; the EXPLAIN test looks for it.
SEARCH_INDEX = "partners_organization_search"


class TsVectorField(models.Field):  # a value only the database reads
    """A column of PostgreSQL's tsvector type (text, always NULL, elsewhere).

    Not ``django.contrib.postgres``'s SearchVectorField: that one asks for
    the contrib app in INSTALLED_APPS, which Rekan, on SQLite by default, has
    no other use for.
    """

    description = "Full-text search document"

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


@TsVectorField.register_lookup
class Matches(Lookup):
    """``search_vector__matches=<tsquery expression>``: the ``@@`` operator, which the GIN index answers."""

    lookup_name = "matches"

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ {rhs}", (*lhs_params, *rhs_params)


class WeightedDocument(Func):
    """``setweight(to_tsvector('simple', column), 'A') || ...`` over columns of the same row; NULL without tsvector.

    The columns and weights are constructor arguments, so that changing them
    in the model changes the migration state and ``makemigrations`` writes
    the new generation expression.
    """

    output_field = TsVectorField()

    def __init__(self, *weighted: tuple[str, str], config: str = SEARCH_CONFIG) -> None:
        if not re.fullmatch(r"[a-z_]+", config) or any(weight not in "ABCD" for _column, weight in weighted):
            raise ValueError("a text search configuration name and weights A to D")
        self.weights = tuple(weight for _column, weight in weighted)
        self.config = config
        super().__init__(*(F(column) for column, _weight in weighted))

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        if connection.vendor != "postgresql":
            return "NULL", []
        parts: list[str] = []
        params: list[Any] = []
        for expression, weight in zip(self.get_source_expressions(), self.weights, strict=True):
            sql, expression_params = compiler.compile(expression)
            # Literals, not parameters: a generation expression is DDL, and these are checked above.
            parts.append(f"setweight(to_tsvector('{self.config}'::regconfig, COALESCE({sql}, '')), '{weight}')")
            params.extend(expression_params)
        return "(" + " || ".join(parts) + ")", params


def ranked_matches(queryset: QuerySet[Any], terms: list[str]) -> QuerySet[Any]:
    """PostgreSQL: the rows whose stored ``search_vector`` has every term as a word's start, with their ``rank``.

    Any model with such a generated column (the directory's organizations,
    the learning log's lessons): the GIN index answers the match, and the
    rank reads the stored vector instead of parsing the text again.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config=SEARCH_CONFIG)
    return queryset.filter(search_vector__matches=query).annotate(rank=SearchRank(F("search_vector"), query))


def prefix_terms(text: str) -> list[str]:
    """The words typed, lower-cased, at most eight: each is matched as the start of a word ("samp" finds "sampah")."""
    return re.findall(r"\w+", text.lower())[:8]
