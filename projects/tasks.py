from celery import shared_task

from .services import call_send_deadline_reminders


@shared_task(name="projects.call_deadline_reminders")
def call_deadline_reminders_task() -> int:
    """Beat, hourly: the 14- and 3-day deadline reminders, each sent once (dedupe keys)."""
    return call_send_deadline_reminders()
