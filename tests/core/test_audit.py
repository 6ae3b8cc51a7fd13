"""core/models.py and core/audit.py: the audit log only grows, in the code and in the
database."""

import pytest
from django.db import DatabaseError, connection, transaction

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.models import AuditEntry, AuditLogIsAppendOnly
from members.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(
        actor=UserFactory(),
        action=AuditAction.ADMIN_RECORD_VIEWED,
        target=OrganisationFactory(name="Szpital Miejski"),
    )


def test_a_person_is_recorded_by_account_number_only():
    coordinator = UserFactory()
    person = UserFactory(email="anna.nowak@szpital.example", full_name="Anna Nowak")

    entry = audit_record(actor=coordinator, action=AuditAction.ADMIN_RECORD_VIEWED, target=person)

    assert entry.actor == coordinator
    assert (entry.target_type.model, entry.target_id) == ("user", str(person.pk))
    assert entry.target_repr == f"user #{person.pk}"
    assert "Nowak" not in str(entry) and "@" not in str(entry)


def test_a_model_class_stands_for_many_rows():
    entry = audit_record(
        actor=UserFactory(), action=AuditAction.ADMIN_EXPORT, target=Organisation, detail="csv"
    )
    assert (entry.target_type.model, entry.target_id) == ("organisation", "")
    assert entry.target_repr == "organisations"


def test_the_portal_itself_acts_without_an_actor():
    entry = audit_record(actor=None, action=AuditAction.RETENTION, target=User, detail="x")
    assert entry.actor is None


def test_an_entry_refuses_to_be_saved_again_or_deleted(entry):
    entry.detail = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


def test_the_queryset_refuses_update_delete_and_bulk_update(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    entry.detail = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["detail"])
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


def test_the_database_refuses_update_and_delete_whatever_the_code_does(entry):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    for sql in (
        "UPDATE core_auditentry SET detail = 'changed' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_an_account_in_the_log_cannot_be_deleted(entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.actor.delete()
