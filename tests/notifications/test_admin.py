"""cluster_portal/notifications/admin.py: what coordinators do with the outbox."""

import pytest

from cluster_portal.notifications.enums import NotificationStatus
from cluster_portal.notifications.models import Notification
from tests.helpers import admin_action, announced_member, coordinator_in_admin

pytestmark = pytest.mark.django_db


def test_coordinator_retries_failed_notifications_from_the_admin(client):
    announced_member()
    Notification.objects.update(
        status=NotificationStatus.FAILED, attempts=6, last_error="SMTPDataError: 554"
    )
    coordinator_in_admin(client)

    changelist = client.get("/admin/notifications/notification/?status__exact=failed")
    assert changelist.status_code == 200
    assert "czlonek@szpital.example" in changelist.content.decode()
    response = admin_action(
        client, "/admin/notifications/notification/", "retry_failed", Notification.objects.get()
    )
    assert "1 failed notification queued again." in response.content.decode()
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts, notification.last_error) == (
        NotificationStatus.PENDING,
        0,
        "",
    )
