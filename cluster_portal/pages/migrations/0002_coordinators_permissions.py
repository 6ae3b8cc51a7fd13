"""The cluster office's permissions on the pages app's models (the group of core/roles.py)."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

PERMISSIONS = {
    "newspost": ("view", "add", "change", "delete"),
    "sitesettings": ("view", "change"),
}


def grant(apps, schema_editor):
    grant_to_coordinators(apps, PERMISSIONS, app_label="pages")


def revoke(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="pages")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
