"""Drop the partial index 0005 made for the directory's facet counts, on PostgreSQL only.

The directory now counts its facets in each process, from a snapshot of who is listed read
once per version of the directory (cluster_portal/pages/directory_index.py): no query reads
(kind, region) of every listed organisation any more, and the index only cost each write.
The name index of 0005 stays: the snapshot is read in that order.
"""

from django.db import migrations

NAME = "members_org_listed_facets_idx"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON members_organisation (kind, region, id)"
            " WHERE status = 'active' AND is_public"
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0009_submission_key")]

    operations = [migrations.RunPython(drop_index, create_index)]
