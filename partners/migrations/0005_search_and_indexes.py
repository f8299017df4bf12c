"""The directory at a provincial programme's size: indexed full-text search, and the indexes its pages read.

Search (see partners.search): ``search_vector`` is a stored generated column
over the name (weight A), the regency, the province's name and the focus
areas (B, the last two from ``search_document``) and the mission (C), with a
GIN index on PostgreSQL. ``search_document`` used to hold the name, the
mission and the focus areas; it now holds only what the columns do not (the
province's name, then the focus areas), so it is rewritten here for every
organization. Its last line (the focus areas) is kept exactly as it was: the
change history compares that line between records, and a rewritten line
would read as a change nobody made.

The B-tree indexes, each for a query that the EXPLAIN ANALYZE of a page at
10,000 organizations (30,000 contacts, 50,000 interactions) showed reading
the whole table and sorting it; tests/partners/test_scale.py checks the
plans on PostgreSQL. The directory's indexes are partial (archived_at IS
NULL): the directory lists the groups that are not archived unless asked,
and the archive is small enough to sort.
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

import partners.search
from partners.regions import PROVINCES

# Frozen as a migration must be: tests/partners/test_scale.py checks on
# PostgreSQL that the directory's search is answered from this index.
SEARCH_INDEX = "partners_organization_search"


def create_search_index(apps, schema_editor):
    # A GIN index is PostgreSQL's; SQLite searches with LIKE and keeps the column NULL.
    # fastupdate off: organizations are written rarely (a person's edit, an
    # import of at most 2,000 rows) and searched often. With GIN's pending
    # list, rows written since the last vacuum are kept aside and read
    # linearly by every search, and after a bulk load the planner rightly
    # prefers a sequential scan until autovacuum runs (measured: a 10,000-row
    # load left every search on a sequential scan). Off, each write updates
    # the index itself: 10,000 inserts take 3.3 s instead of 0.7 s, and every
    # search reads the index from the first.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {SEARCH_INDEX} ON partners_organization USING gin (search_vector) WITH (fastupdate = off)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


def _rewrite_documents(apps, document):
    Organization = apps.get_model("partners", "Organization")
    batch = []
    for organization in Organization.objects.only("pk", "province", "name", "mission", "search_document").order_by(
        "pk"
    ).iterator(chunk_size=1000):
        organization.search_document = document(organization)
        batch.append(organization)
        if len(batch) == 1000:
            Organization.objects.bulk_update(batch, ["search_document"])
            batch = []
    Organization.objects.bulk_update(batch, ["search_document"])


def province_and_focus_areas(apps, schema_editor):
    provinces = dict(PROVINCES)
    _rewrite_documents(
        apps,
        lambda organization: "\n".join(
            [provinces.get(organization.province, ""), organization.search_document.rpartition("\n")[2]]
        ),
    )


def name_mission_and_focus_areas(apps, schema_editor):
    _rewrite_documents(
        apps,
        lambda organization: "\n".join(
            [organization.name, organization.mission, organization.search_document.rpartition("\n")[2]]
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(province_and_focus_areas, name_mission_and_focus_areas, elidable=True),
        migrations.AddField(
            model_name="organization",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=partners.search.WeightedDocument(
                    ("name", "A"), ("regency", "B"), ("search_document", "B"), ("mission", "C")
                ),
                output_field=partners.search.TsVectorField(),
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
        # The directory as it opens, and sorted by name (also the order of a
        # search with no "best match"): 25 rows read from the index instead of
        # a sort of every organization (11.5 ms -> 0.4 ms at 10,000); its count
        # is an index-only scan.
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)), fields=["name", "id"], name="org_directory_by_name"
            ),
        ),
        # "Recently updated", where an import sends the facilitator to see what came in.
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["-updated_at", "id"],
                name="org_directory_by_update",
            ),
        ),
        # "Founding year".
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["founded_year", "name", "id"],
                name="org_directory_by_founding",
            ),
        ),
        # The stage filter and the "Stage" sort in one index, in place of the
        # index on the stage alone (its leading column answers the filter).
        migrations.RemoveIndex(model_name="organization", name="partners_or_stage_bd443d_idx"),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["stage", "name", "id"], name="org_by_stage_and_name"),
        ),
        # The duplicate rule ("Add an organization" and every CSV import)
        # looks the regencies up case-insensitively, LOWER(regency) IN (...):
        # 23 ms of sequential scan -> 1 ms at 10,000.
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(django.db.models.functions.text.Lower("regency"), name="org_by_lower_regency"),
        ),
        # A group's interactions newest first: the timeline's rows (an
        # index-only scan, whatever the number of interactions), and "the
        # latest interaction of this group", which the partnership pages, the
        # health score, the risk flags and Today's follow-ups ask per member
        # group (ORDER BY occurred_on DESC LIMIT 1: one index probe instead of
        # reading and sorting all of the group's interactions).
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["organization", "-occurred_on", "-id"], name="interaction_latest_per_org"),
        ),
    ]
