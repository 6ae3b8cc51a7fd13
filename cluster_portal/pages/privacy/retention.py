"""The nightly retention run: every kind of personal data past its period, at once."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.retention import notification_bodies_clear
from members.models import Invitation, Organisation, User
from members.services.retention import (
    applications_declined_anonymise,
    invitations_expired_delete,
    users_unverified_delete,
)

from ..models import DataExport


def data_exports_expired_delete(*, now) -> int:
    """Delete expired data exports with their files."""
    deleted = 0
    for export in DataExport.objects.filter(expires_at__lte=now).order_by("pk"):
        with transaction.atomic():
            if export.file:
                export.file.delete(save=False)
            export.delete()
        deleted += 1
    return deleted


def retention_run(*, now=None) -> dict[str, int]:
    """Remove what is past its period (PORTAL_RETENTION_*); returns what each step removed.
    Idempotent: a second run at the same moment removes nothing. Each kind that lost rows
    leaves one audit entry, by the portal itself."""
    now = now or timezone.now()
    days = timedelta(days=1)
    steps = [
        # (what, its model for the audit entry, how many went)
        (
            "unverified_accounts",
            User,
            users_unverified_delete(
                joined_before=now - settings.PORTAL_RETENTION_UNVERIFIED_DAYS * days
            ),
        ),
        (
            "notification_bodies",
            Notification,
            notification_bodies_clear(
                sent_before=now - settings.PORTAL_RETENTION_NOTIFICATION_BODY_DAYS * days
            ),
        ),
        ("invitations", Invitation, invitations_expired_delete(now=now)),
        ("data_exports", DataExport, data_exports_expired_delete(now=now)),
        (
            "declined_applications",
            Organisation,
            applications_declined_anonymise(
                decided_before=now - settings.PORTAL_RETENTION_DECLINED_APPLICATION_DAYS * days
            ),
        ),
        ("sessions", Session, Session.objects.filter(expire_date__lt=now).delete()[0]),
    ]
    for kind, model, count in steps:
        if count:
            audit_record(
                actor=None, action=AuditAction.RETENTION, target=model, detail=f"{kind}: {count}"
            )
    return {kind: count for kind, _model, count in steps}
