"""Partial indexes over the listed organisations (active and public), on PostgreSQL only.

Measured with bench/directory.py (5,000 organisations): the directory's first page sorted
every listed row by name (4.6 ms) and each facet count read the whole table, search vectors
included (3-4 ms each). With these, the first page is an index scan that stops after 24 rows
(0.06 ms) and the kind x region counts are an index-only scan (0.8 ms), which also hands the
centre count its organisation ids. Like 0004, they live outside the model state: the partial
predicate is the directory's, and SQLite (make run) has no use for them.
"""

from django.db import migrations

LISTED = "status = 'active' AND is_public"
INDEXES = {
    "members_org_listed_name_idx": "(name, id)",
    "members_org_listed_facets_idx": "(kind, region, id)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON members_organisation {columns} WHERE {LISTED}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_organisation_search_gin")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
