import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The learning log's full-text search on PostgreSQL: a GIN index over the very
# expression that selectors.learning.search_vector() builds (title and tags
# weighted A, body B, the 'simple' configuration for Indonesian and English
# alike), so the planner answers a search from the index. SQLite has no such
# index; its search reads the columns (LIKE). The text is written out here,
# frozen as a migration must be: tests/engagements/learning/test_search.py
# checks on PostgreSQL that the search still uses it.
SEARCH_INDEX = "lesson_search"
CREATE_SEARCH_INDEX = f"""
    CREATE INDEX {SEARCH_INDEX} ON engagements_lesson USING gin ((
        setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(tags, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(body, '')), 'B')
    ))
"""


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SEARCH_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0010_risks"),
        ("partners", "0004_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalLesson",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lesson", "Lesson learned"),
                            ("innovation", "Innovation"),
                            ("exchange", "Knowledge exchanged"),
                            ("impact", "Impact story"),
                        ],
                        default="lesson",
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(verbose_name="what happened and what it teaches")),
                (
                    "tags",
                    models.CharField(
                        blank=True,
                        help_text="Separate tags with commas, for example: water, savings.",
                        max_length=500,
                        verbose_name="tags",
                    ),
                ),
                (
                    "shared_with_partners",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "The partner members of this partnership read it on their page. Otherwise facilitators only."
                        ),
                        verbose_name="shared with the partner members",
                    ),
                ),
                ("happened_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="happened on")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created at"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="engagements.partnership",
                        verbose_name="partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical lesson",
                "verbose_name_plural": "historical lessons",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Lesson",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lesson", "Lesson learned"),
                            ("innovation", "Innovation"),
                            ("exchange", "Knowledge exchanged"),
                            ("impact", "Impact story"),
                        ],
                        default="lesson",
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(verbose_name="what happened and what it teaches")),
                (
                    "tags",
                    models.CharField(
                        blank=True,
                        help_text="Separate tags with commas, for example: water, savings.",
                        max_length=500,
                        verbose_name="tags",
                    ),
                ),
                (
                    "shared_with_partners",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "The partner members of this partnership read it on their page. Otherwise facilitators only."
                        ),
                        verbose_name="shared with the partner members",
                    ),
                ),
                ("happened_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="happened on")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created at"
                    ),
                ),
                (
                    "activities",
                    models.ManyToManyField(
                        blank=True, related_name="lessons", to="engagements.activity", verbose_name="activities"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "goals",
                    models.ManyToManyField(
                        blank=True, related_name="lessons", to="engagements.sharedgoal", verbose_name="shared goals"
                    ),
                ),
                (
                    "organizations",
                    models.ManyToManyField(
                        blank=True,
                        related_name="lessons",
                        to="partners.organization",
                        verbose_name="organizations involved",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lessons",
                        to="engagements.partnership",
                        verbose_name="partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "lesson",
                "verbose_name_plural": "lessons",
                "ordering": ["-happened_on", "-pk"],
                "indexes": [models.Index(fields=["partnership", "-happened_on"], name="lesson_partnership_date")],
            },
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
