from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cluster_portal.core"
    label = "core"
    verbose_name = _("Shared ground")

    def ready(self):
        from . import checks  # noqa: F401  (registers the portal's system checks)
