"""pages/privacy/retention.py with members/services/retention.py and
notifications/retention.py: exactly what is past its period goes, and a second run removes
nothing."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone

from cluster_portal.core.enums import AuditAction
from cluster_portal.core.models import AuditEntry
from cluster_portal.notifications.models import Notification
from cluster_portal.pages.models import DataExport
from cluster_portal.pages.privacy.retention import retention_run
from members.enums import OrganisationStatus
from members.models import Invitation, Organisation, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)


def mail(recipient, *, status, sent_days_ago):
    sent_at = NOW - sent_days_ago * DAY
    notification = Notification.objects.create(
        recipient=recipient,
        to_email=recipient.email,
        language="en",
        kind="events.confirmed",
        category="events",
        subject=f"Sent {sent_days_ago} days ago",
        body_text="Dear Anna, your seat is confirmed.",
        body_html="<p>Dear Anna</p>",
        dedupe_key=str(uuid.uuid4()),
        batch=uuid.uuid4(),
        status=status,
        sent_at=sent_at if status == "sent" else None,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=sent_at)
    return notification


def test_retention_removes_exactly_what_is_past_its_period_then_nothing():
    # Accounts: unconfirmed old (goes), unconfirmed young, confirmed old, staff unconfirmed old.
    old_unconfirmed = UserFactory(verified=False, date_joined=NOW - 31 * DAY)
    young_unconfirmed = UserFactory(verified=False, date_joined=NOW - 29 * DAY)
    confirmed = UserFactory(date_joined=NOW - 400 * DAY)
    staff = UserFactory(verified=False, is_staff=True, date_joined=NOW - 400 * DAY)
    # Made in the admin, without an address to confirm, and used since: not an abandoned sign-up.
    used = UserFactory(verified=False, date_joined=NOW - 400 * DAY, last_login=NOW - DAY)
    # Mail bodies: sent 91 days ago (cleared), 89 days ago (kept), pending old (kept).
    old_mail = mail(confirmed, status="sent", sent_days_ago=91)
    young_mail = mail(confirmed, status="sent", sent_days_ago=89)
    pending = mail(confirmed, status="pending", sent_days_ago=120)
    # Invitations: expired unaccepted (goes), open, accepted long ago.
    hospital = OrganisationFactory()
    expired = Invitation.objects.create(
        organisation=hospital, email="a@x.example", role="member", expires_at=NOW - DAY
    )
    open_invitation = Invitation.objects.create(
        organisation=hospital, email="b@x.example", role="member", expires_at=NOW + DAY
    )
    accepted = Invitation.objects.create(
        organisation=hospital,
        email="c@x.example",
        role="member",
        expires_at=NOW - 100 * DAY,
        accepted_at=NOW - 110 * DAY,
    )
    # Data exports: expired (goes, with its file), valid.
    old_export = DataExport.objects.create(user=confirmed, expires_at=NOW - DAY)
    old_export.file.save("x.zip", ContentFile(b"zip"), save=True)
    old_file = old_export.file.name
    valid_export = DataExport.objects.create(user=confirmed, expires_at=NOW + DAY)
    # Declined applications: a year and a day ago (anonymised), 300 days ago (kept).
    declined_old = OrganisationFactory(
        name="Gabinet Jana Nowaka",
        status=OrganisationStatus.REJECTED,
        decided_at=NOW - 366 * DAY,
        contact_email="jan@gabinet.example",
        joined_on=None,
    )
    declined_young = OrganisationFactory(
        status=OrganisationStatus.REJECTED, decided_at=NOW - 300 * DAY, joined_on=None
    )
    # Sessions: expired (goes), live.
    for expiry in (NOW - DAY, NOW + DAY):
        store = SessionStore()
        store.create()
        Session.objects.filter(session_key=store.session_key).update(expire_date=expiry)

    first = retention_run(now=NOW)
    second = retention_run(now=NOW)

    assert first == {
        "unverified_accounts": 1,
        "notification_bodies": 1,
        "invitations": 1,
        "data_exports": 1,
        "declined_applications": 1,
        "sessions": 1,
    }
    assert set(second.values()) == {0}
    assert set(User.objects.values_list("pk", flat=True)) == {
        young_unconfirmed.pk,
        confirmed.pk,
        staff.pk,
        used.pk,
    }
    assert old_unconfirmed.pk not in set(User.objects.values_list("pk", flat=True))
    old_mail.refresh_from_db()
    assert (old_mail.body_text, old_mail.body_html) == ("", "")
    assert (old_mail.subject, old_mail.kind, old_mail.status) == (
        "Sent 91 days ago",
        "events.confirmed",
        "sent",
    )
    assert Notification.objects.get(pk=young_mail.pk).body_text
    assert Notification.objects.get(pk=pending.pk).body_text
    assert set(Invitation.objects.values_list("pk", flat=True)) == {
        open_invitation.pk,
        accepted.pk,
    }
    assert not Invitation.objects.filter(pk=expired.pk).exists()
    assert list(DataExport.objects.values_list("pk", flat=True)) == [valid_export.pk]
    assert not DataExport.file.field.storage.exists(old_file)
    declined_old.refresh_from_db()
    assert declined_old.name == f"Declined application #{declined_old.pk}"
    assert (declined_old.nip, declined_old.contact_email) == ("", "")
    assert Organisation.objects.get(pk=declined_young.pk).nip
    assert Session.objects.count() == 1
    # One audit entry per kind that lost rows, by the portal itself; none from the 2nd run.
    assert AuditEntry.objects.filter(action=AuditAction.RETENTION, actor=None).count() == 6


def test_beat_runs_the_retention_task_nightly(settings):
    from cluster_portal.pages.tasks import retention_task

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == retention_task.name == "pages.retention"
    assert set(retention_task()) == {
        "unverified_accounts",
        "notification_bodies",
        "invitations",
        "data_exports",
        "declined_applications",
        "sessions",
    }
