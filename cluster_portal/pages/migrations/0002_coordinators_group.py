"""The "Coordinators" group: cluster office staff who run the admin.

Permissions are created here (they normally appear only after all migrations ran) so the
group is complete on the very first `migrate`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Coordinators"

# (app label, model, actions)
PERMISSIONS = [
    ("members", "organisation", ("view", "change")),
    ("members", "organisationmembership", ("view", "add", "change", "delete")),
    ("members", "user", ("view",)),
    ("competence_centres", "competencecentre", ("view", "change")),
    ("competence_centres", "centreparticipation", ("view", "change")),
    ("events", "event", ("view", "add", "change", "delete")),
    ("pages", "newspost", ("view", "add", "change", "delete")),
    ("pages", "sitesettings", ("view", "change")),
]


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, model, actions in PERMISSIONS
        for action in actions
    ]
    for app_label, codename in codenames:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("members", "0001_initial"),
        ("competence_centres", "0003_seed_seven_centres"),
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
