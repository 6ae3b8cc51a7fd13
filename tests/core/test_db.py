"""cluster_portal/core/db.py: the prepared cursor of the hot reads written in SQL."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from cluster_portal.core.db import prepared_cursor
from members.models import Organisation
from tests.factories import OrganisationFactory
from tests.helpers import require

pytestmark = pytest.mark.django_db

COUNT_OF_KIND = f'SELECT COUNT(*) FROM "{Organisation._meta.db_table}" WHERE kind = %s'  # noqa: S608


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_postgresql_plans_a_statement_once_and_keeps_it_for_the_connection():
    require(connection.vendor == "postgresql", "prepared statements are PostgreSQL's")
    OrganisationFactory(kind="university")

    counts = []
    for kind in ("university", "enterprise", "university"):
        with prepared_cursor() as cursor:
            cursor.execute(COUNT_OF_KIND, [kind])
            counts.append(cursor.fetchone()[0])

    assert counts == [1, 0, 1]
    kept = [s for s in prepared_statements() if s.startswith("SELECT COUNT(*)")]
    assert kept == [COUNT_OF_KIND.replace("%s", "$1")]  # one statement, whatever the value


def test_its_queries_are_counted_and_its_errors_are_djangos():
    # The query-count tests of the directory rely on it.
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute(COUNT_OF_KIND, ["ngo"])
        assert cursor.fetchone() == (0,)
    assert len(queries.captured_queries) == 1

    first, second = OrganisationFactory(), OrganisationFactory()
    table = Organisation._meta.db_table
    with pytest.raises(IntegrityError), prepared_cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET slug = %s WHERE id = %s', [first.slug, second.pk])  # noqa: S608
