"""Reading the database's refusals: which constraint an IntegrityError names."""

from django.db import IntegrityError


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
