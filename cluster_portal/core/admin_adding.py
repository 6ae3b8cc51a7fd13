"""Adding in the admin, safe against the same "Save" sent twice at once."""

from django.db import connection, transaction


class OneAddAtATimeMixin:
    """Serialise the admin's additions of one model, so that a double-clicked "Save" adds once.

    Both requests would otherwise pass the form's uniqueness checks (a slug, a NIP) before
    either has saved, and the database would refuse the second with a server error. Under a
    transaction-scoped advisory lock per model, the second request validates after the first
    committed: its form says "already exists", as it would a minute later. Coordinators add
    rarely, so queueing their additions costs nothing.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or object_id is not None or connection.vendor != "postgresql":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    [f"admin-add:{self.model._meta.label_lower}"],
                )
            return super().changeform_view(request, object_id, form_url, extra_context)
