"""The cluster's default review criteria (for calls without their own and proposals made
outside a call), and what the cluster office may do with proposals in the admin."""

from django.db import migrations

from cluster_portal.core.roles import grant_to_coordinators, revoke_from_coordinators

DEFAULT_CRITERIA = [
    # (order, name_pl, name_en, weight)
    (1, "Innowacyjność", "Innovation", 3),
    (2, "Jakość partnerstwa", "Quality of the partnership", 2),
    (3, "Oczekiwany wpływ", "Expected impact", 3),
    (4, "Wykonalność i budżet", "Feasibility and budget", 2),
]

PERMISSIONS = {
    "fundingcall": ("view", "add", "change", "delete"),
    "reviewcriterion": ("view", "add", "change", "delete"),
    "projectproposal": ("view", "change"),
    "proposalpartner": ("view",),
    "proposaldocument": ("view",),
    "review": ("view", "change"),
    "proposalevent": ("view",),
}


def create_defaults(apps, schema_editor):
    criterion = apps.get_model("projects", "ReviewCriterion")
    for order, name_pl, name_en, weight in DEFAULT_CRITERIA:
        criterion.objects.get_or_create(
            call=None, name_en=name_en, defaults={"name_pl": name_pl, "order": order, "weight": weight}
        )
    grant_to_coordinators(apps, PERMISSIONS, app_label="projects")


def remove_defaults(apps, schema_editor):
    revoke_from_coordinators(apps, PERMISSIONS, app_label="projects")
    apps.get_model("projects", "ReviewCriterion").objects.filter(
        call=None, name_en__in=[name_en for _o, _pl, name_en, _w in DEFAULT_CRITERIA]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
