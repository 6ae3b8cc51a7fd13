from celery import shared_task
from django.conf import settings

from .delivery import notification_deliver, notification_sweep_pending

RETRY_MAX_SECONDS = 30 * 60  # stays well under the Redis visibility timeout (1 h)


@shared_task(
    bind=True,
    name="notifications.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
)
def deliver_notifications_task(self, *, ids: list[int]) -> dict:
    """Deliver a chunk of notifications; idempotent, so redelivery after a crash is safe."""
    report = notification_deliver(ids=ids)
    if report.to_retry:
        base = settings.NOTIFICATION_RETRY_BASE_SECONDS
        countdown = min(RETRY_MAX_SECONDS, base * 2**self.request.retries)
        # Only the messages that failed go round again; the sweep is the net if retries run out.
        raise self.retry(kwargs={"ids": report.to_retry}, countdown=countdown)
    return {"sent": len(report.sent), "skipped": len(report.skipped), "failed": len(report.failed)}


@shared_task(name="notifications.sweep_pending")
def sweep_pending_notifications_task() -> int:
    return notification_sweep_pending()
