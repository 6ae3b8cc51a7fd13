from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "cluster_portal.pages"
    label = "pages"
    verbose_name = _("Site pages and news")

    def ready(self):
        from cluster_portal.core.page_cache import page_cache_invalidate
        from competence_centres.models import CentreParticipation, CompetenceCentre
        from members.models import Organisation

        from .selectors import DIRECTORY_CACHE

        def invalidate_directory(**kwargs):
            page_cache_invalidate(DIRECTORY_CACHE)

        # Signals, not service calls: the admin, data migrations and seed_demo write these
        # rows too, and a stale directory must never outlive any of those writes.
        for sender in (Organisation, CentreParticipation, CompetenceCentre):
            post_save.connect(invalidate_directory, sender=sender, weak=False)
            post_delete.connect(invalidate_directory, sender=sender, weak=False)
