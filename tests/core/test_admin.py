"""core/admin.py: superusers read the audit log, filter it and export it; nobody changes it."""

import csv
import io

import pytest

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.models import AuditEntry
from members.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import coordinator_in_admin, with_second_factor

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/core/auditentry/"


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    with_second_factor(user)
    client.force_login(user)
    client.cookies["portal_language"] = "en"
    return user


@pytest.fixture
def entries():
    coordinator, other = UserFactory(), UserFactory()
    hospital = OrganisationFactory(name="Szpital Miejski")
    return [
        audit_record(actor=coordinator, action=AuditAction.ADMIN_RECORD_VIEWED, target=hospital),
        audit_record(
            actor=other, action=AuditAction.ADMIN_EXPORT, target=Organisation, detail="csv"
        ),
        audit_record(actor=None, action=AuditAction.RETENTION, target=Organisation, detail="x"),
    ]


def test_superuser_reads_and_filters_the_log(client, superuser, entries):
    viewed, exported, _retention = entries
    assert client.get(CHANGELIST).status_code == 200
    by_action = client.get(CHANGELIST, {"action__exact": "admin_export"})
    by_actor = client.get(CHANGELIST, {"actor__id__exact": viewed.actor_id})
    by_kind = client.get(CHANGELIST, {"target_type__id__exact": viewed.target_type_id})
    by_text = client.get(CHANGELIST, {"q": "Szpital Miejski"})
    by_date = client.get(CHANGELIST, {"created_at__year": str(entries[0].created_at.year)})

    assert [e.pk for e in by_action.context["cl"].result_list] == [exported.pk]
    assert [e.pk for e in by_actor.context["cl"].result_list] == [viewed.pk]
    assert {e.pk for e in by_kind.context["cl"].result_list} == {e.pk for e in entries}
    assert [e.pk for e in by_text.context["cl"].result_list] == [viewed.pk]
    assert by_date.context["cl"].result_count == 3


def test_superuser_exports_the_log_as_csv(client, superuser, entries):
    response = client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [entry.pk for entry in entries]},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When", "Who", "Action", "Kind of object", "Object id", "Object", "Detail"]
    assert [row[2] for row in rows[1:]] == ["admin_record_viewed", "admin_export", "retention"]
    assert rows[1][1] == f"user #{entries[0].actor_id}" and rows[3][1] == ""
    # The export is itself on record.
    assert AuditEntry.objects.filter(actor=superuser, action=AuditAction.ADMIN_EXPORT).exists()


def test_nobody_adds_changes_or_deletes_an_entry_not_even_the_superuser(client, superuser, entries):
    entry = entries[0]
    change_url = f"{CHANGELIST}{entry.pk}/change/"

    page = client.get(change_url)
    posted = client.post(change_url, {"detail": "changed"})
    delete = client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"})
    bulk_delete = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )

    assert page.status_code == 200
    assert b'name="detail"' not in page.content
    assert posted.status_code == 403
    assert delete.status_code == 403
    assert bulk_delete.status_code == 302  # no such action: back to the list, nothing done
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert AuditEntry.objects.count() == 3
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


def test_coordinators_do_not_see_the_log(client, entries):
    coordinator_in_admin(client)
    assert client.get(CHANGELIST).status_code == 403
    assert b"auditentry" not in client.get("/admin/").content
