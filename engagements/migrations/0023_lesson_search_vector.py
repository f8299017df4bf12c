"""The learning log's search reads a stored document instead of parsing every match twice.

Migration 0011 made a GIN index over an expression (title and tags weighted
A, body B). The index found the lessons, but PostgreSQL then rebuilt that
expression for every matching row, once to re-check the match and once more
for the rank: at the bench's LARGE size (4,030 lessons) a word found in
1,007 of them took 37 ms, where the index scan itself took 0.14 ms. Now
``Lesson.search_vector`` is a stored generated column with the same
weights, as the directory's (partners.search), and the GIN index is on the
column: the re-check and the rank read it. The index keeps its name, which
tests/engagements/learning/test_search.py looks for in the EXPLAIN.
SQLite keeps the column NULL and searches with LIKE.
"""

import partners.search
from django.db import migrations, models

SEARCH_INDEX = "lesson_search"
# As 0011 made it, for going back.
EXPRESSION_INDEX = f"""
    CREATE INDEX {SEARCH_INDEX} ON engagements_lesson USING gin ((
        setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(tags, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(body, '')), 'B')
    ))
"""


def index_the_column(apps, schema_editor):
    # fastupdate off, as the directory's (partners 0005): lessons are written
    # one at a time and searched often, and GIN's pending list would make
    # every search read the rows written since the last vacuum linearly.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {SEARCH_INDEX} ON engagements_lesson USING gin (search_vector) WITH (fastupdate = off)"
        )


def index_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        schema_editor.execute(EXPRESSION_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0022_invitation_whatsapp_api"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=partners.search.WeightedDocument(("title", "A"), ("tags", "A"), ("body", "B")),
                output_field=partners.search.TsVectorField(),
            ),
        ),
        migrations.RunPython(index_the_column, index_the_expression),
    ]
