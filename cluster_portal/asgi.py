import os

from django.core.asgi import get_asgi_application

from cluster_portal.core.checks import refuse_to_start_without_static_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings.production")

application = get_asgi_application()
# Production without collected static files would answer every page with a 500.
refuse_to_start_without_static_files()
