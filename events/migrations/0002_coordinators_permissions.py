"""The cluster office's permissions on the events app's models (the group of core/roles.py)."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

PERMISSIONS = {"event": ("view", "add", "change", "delete")}


def grant(apps, schema_editor):
    grant_to_coordinators(apps, PERMISSIONS, app_label="events")


def revoke(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="events")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
