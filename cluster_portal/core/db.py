"""Reading the database's refusals (which constraint an IntegrityError names), and the cursor
of the hot reads written in SQL."""

from django.db import IntegrityError, connection
from django.db.backends.postgresql.base import ServerBindingCursor


def violates(error: IntegrityError, *constraints: str) -> bool:
    """Whether `error` is the database refusing a row because of one of `constraints` (names).

    Services catch the refusal of a concurrent duplicate and answer as they would have had
    they seen the twin first; any other integrity error is a bug and must stay one.
    """
    diagnostics = getattr(error.__cause__, "diag", None)  # psycopg names the constraint
    name = getattr(diagnostics, "constraint_name", None)
    if name:
        return name in constraints
    return any(name in str(error) for name in constraints)  # SQLite: in the message


class PreparingCursor(ServerBindingCursor):
    """Binds parameters on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor():
    """A cursor whose statements PostgreSQL plans once per connection, then keeps.

    For the few hot reads written in SQL whose planning costs as much as running them: the
    directory's search (1 to 1.5 ms of planning a search, measured with pgbench).
    Everywhere else Django's default stands, client-side binding without prepared
    statements, which keeps connection poolers working; a PgBouncer in transaction mode
    needs `max_prepared_statements` (1.21 or newer) for these. On other databases it is
    Django's own cursor.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # psycopg prepares nothing on a connection without a threshold, which is how Django
        # opens it. Django's own cursors bind on the client and never prepare, threshold or
        # not; this cursor asks for every statement to be prepared.
        connection.connection.prepare_threshold = 5
    with connection.wrap_database_errors:
        # Wrapped as Django wraps its own cursors: errors translated, queries counted in
        # debug and in tests (a prepared execution's text shows there as None: psycopg
        # keeps none, as with Django's own server-side binding).
        return connection._prepare_cursor(PreparingCursor(connection.connection))
