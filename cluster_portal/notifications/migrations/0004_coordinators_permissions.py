"""The cluster office's permissions on the notifications app's models (the group of core/roles.py)."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

PERMISSIONS = {
    "notification": ("view", "change"),
    "notificationpreference": ("view",),
}


def grant(apps, schema_editor):
    grant_to_coordinators(apps, PERMISSIONS, app_label="notifications")


def revoke(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="notifications")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_credential_mails_sealed"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
