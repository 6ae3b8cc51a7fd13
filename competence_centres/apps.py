from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceCentresConfig(AppConfig):
    name = "competence_centres"
    verbose_name = _("Competence centres")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import CompetenceCentre
        from .selectors import centres_active_changed

        # Signals: the admin, data migrations and seed_demo change centres too.
        post_save.connect(centres_active_changed, sender=CompetenceCentre, weak=False)
        post_delete.connect(centres_active_changed, sender=CompetenceCentre, weak=False)
