"""cluster_portal/celery.py and tasks.py: a task makes the round trip through Redis and a
real worker, which reaches the database."""

import uuid

import pytest
from django.db import connection

from cluster_portal.tasks import health_check_task

pytestmark = pytest.mark.celery_worker


@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_a_real_worker_on_redis(celery_worker_on_redis):
    token = uuid.uuid4().hex
    result = health_check_task.delay(token=token)
    answer = result.get(timeout=20)
    assert answer == {"token": token, "database": True, "vendor": connection.vendor}
    # The answer travelled through the Redis broker and back, not an in-process shortcut.
    assert result.backend.__class__.__name__ == "RedisBackend"
