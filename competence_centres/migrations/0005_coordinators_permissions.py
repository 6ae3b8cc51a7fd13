"""The cluster office's permissions on the competence_centres app's models (the group of core/roles.py)."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

PERMISSIONS = {
    "competencecentre": ("view", "change"),
    "centreparticipation": ("view", "change"),
}


def grant(apps, schema_editor):
    grant_to_coordinators(apps, PERMISSIONS, app_label="competence_centres")


def revoke(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="competence_centres")


class Migration(migrations.Migration):
    dependencies = [
        ("competence_centres", "0004_participation_left_by_at"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
