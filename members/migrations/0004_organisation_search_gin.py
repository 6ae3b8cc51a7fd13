"""A GIN index for the directory's full-text search, on PostgreSQL only.

The search_vector column exists everywhere (SQLite stores NULLs and searches with LIKE);
the index is PostgreSQL's, so it is created outside the model state.
"""

from django.db import migrations

INDEX = "members_org_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_organisation USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_organisation_search_logo_invitations")]

    operations = [migrations.RunPython(create_index, drop_index)]
