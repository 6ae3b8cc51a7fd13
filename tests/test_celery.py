import uuid

import pytest

from cluster_portal.tasks import health_check_task

pytestmark = pytest.mark.celery_worker


@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_a_real_worker_on_redis(celery_worker_on_redis, settings):
    token = uuid.uuid4().hex
    result = health_check_task.delay(token=token)
    answer = result.get(timeout=20)
    assert answer["token"] == token
    assert answer["database"] is True
    expected_vendor = (
        "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    )
    assert answer["vendor"] == expected_vendor
    # The answer travelled through the Redis broker and back, not an in-process shortcut.
    assert result.backend.__class__.__name__ == "RedisBackend"
