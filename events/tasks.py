from celery import shared_task

from .services import event_reminders_send


@shared_task(name="events.send_reminders")
def send_event_reminders_task() -> int:
    """The day-before reminders (Celery beat, every quarter of an hour). Idempotent: each
    reminder's dedupe key keeps it single however often this runs."""
    return event_reminders_send()
