from celery import shared_task
from django.db import connection


@shared_task(name="cluster_portal.health_check")
def health_check_task(*, token: str) -> dict:
    """Answer from inside a worker, touching the database, so that a round trip proves
    broker, worker and database are all wired together."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return {"token": token, "database": value == 1, "vendor": connection.vendor}
