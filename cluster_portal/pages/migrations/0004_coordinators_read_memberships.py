"""Coordinators read memberships in the admin but no longer edit them there: roles change
through the colleague services (invitations, the last-administrator rule)."""

from django.db import migrations

CODENAMES = [
    "add_organisationmembership",
    "change_organisationmembership",
    "delete_organisationmembership",
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="members", codename__in=CODENAMES)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Coordinators").first()
    if group:
        group.permissions.remove(*_permissions(apps))


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Coordinators").first()
    if group:
        group.permissions.add(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_coordinators_see_notifications")]

    operations = [migrations.RunPython(revoke, grant)]
