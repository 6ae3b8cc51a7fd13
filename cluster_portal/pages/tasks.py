import logging

from celery import shared_task

from .privacy.retention import retention_run

logger = logging.getLogger(__name__)


@shared_task(name="pages.build_data_export", acks_late=True)
def build_data_export_task(*, export_id: int) -> bool:
    """Build a requested data export (idempotent: a built one is left alone)."""
    # Imported here: export.py enqueues this task, so it imports this module.
    from .privacy.export import data_export_build

    return data_export_build(export_id=export_id) is not None


@shared_task(name="pages.retention")
def retention_task() -> dict:
    """Beat, nightly: personal data past its period goes; returns and logs what was removed."""
    report = retention_run()
    logger.info("retention: %s", ", ".join(f"{kind} {count}" for kind, count in report.items()))
    return report
