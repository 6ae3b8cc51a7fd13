"""The cluster office's permissions on the members app's models (the group of core/roles.py)."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

PERMISSIONS = {
    "organisation": ("view", "change"),
    "organisationmembership": ("view",),
    "user": ("view",),
}
# Written only through the services, never in the admin.
WRITTEN_THROUGH_SERVICES = {"organisationmembership": ("add", "change", "delete")}


def grant(apps, schema_editor):
    grant_to_coordinators(apps, PERMISSIONS, app_label="members")
    revoke_from_coordinators(apps, WRITTEN_THROUGH_SERVICES, app_label="members")


def revoke(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="members")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_logo_paths_without_slug"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
