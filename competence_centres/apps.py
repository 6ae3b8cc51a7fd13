from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceCentresConfig(AppConfig):
    name = "competence_centres"
    verbose_name = _("Competence centres")
