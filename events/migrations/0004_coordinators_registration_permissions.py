"""The cluster office's permissions on registrations (the group of core/roles.py): it views
them, registers people by hand and changes them through the admin's actions; rows are
history, never deleted."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

PERMISSIONS = {"registration": ("view", "add", "change")}


def grant(apps, schema_editor):
    grant_to_coordinators(apps, PERMISSIONS, app_label="events")


def revoke(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="events")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_registrations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
