import os

from celery import Celery

# Like wsgi.py and asgi.py: a worker or beat started without DJANGO_SETTINGS_MODULE is
# production, which refuses to start without its secrets (manage.py defaults to local).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings.production")

app = Celery("cluster_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
