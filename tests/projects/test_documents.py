"""Proposal documents: recognised by content, stored privately, served only to their people."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projects.models import ProposalDocument
from tests.factories import PartnerFactory, ProposalFactory
from tests.helpers import coordinator_in_admin, logged_in

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def office_zip(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def private_root(settings):
    # The storage is bound to the field when the model loads: it is the test settings' one.
    return Path(settings.PRIVATE_MEDIA_ROOT)


def upload_url(proposal) -> str:
    return f"/en/projects/proposals/{proposal.pk}/documents/"


def upload(client, proposal, name, content, kind="application"):
    return client.post(
        upload_url(proposal), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("wniosek.pdf", MINIMAL_PDF, "application/pdf"),
        (
            "budżet.xlsx",
            office_zip("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "opis.docx",
            office_zip("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "opis.odt",
            odf("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "plan.ods",
            odf("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("bez-rozszerzenia", MINIMAL_PDF, "application/pdf"),
    ],
)
def test_documents_are_recognised_by_their_content(
    proposal, lead_admin, private_root, name, content, stored_as
):
    response = upload(logged_in(lead_admin), proposal, name, content)

    assert response.status_code == 302
    document = ProposalDocument.objects.get()
    assert document.content_type == stored_as
    assert document.original_name.rsplit(".", 1)[0] == name.rsplit(".", 1)[0]
    stored = private_root / document.file.name
    assert stored.read_bytes() == content
    assert len(stored.stem) == 32  # a random name, not the one it came with


REFUSED = "Upload a PDF, DOCX, XLSX, ODT or ODS document: this file is none of them."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("wniosek.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, REFUSED),  # Windows
        ("wniosek.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, REFUSED),  # Linux
        ("wniosek.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", REFUSED),
        ("opis.docx", office_zip("readme.txt"), REFUSED),  # a ZIP, but no Word document
        ("zdjecie.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, REFUSED),
        ("pusty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_anything_else_is_refused_and_nothing_is_stored(
    proposal, lead_admin, private_root, name, content, message
):
    response = upload(logged_in(lead_admin), proposal, name, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProposalDocument.objects.exists()
    assert not any((private_root / "proposals" / str(proposal.pk)).glob("*"))


def test_a_file_over_twenty_megabytes_is_refused(proposal, lead_admin):
    big = MINIMAL_PDF + b"0" * (20 * 1024 * 1024)
    response = upload(logged_in(lead_admin), proposal, "duzy.pdf", big)
    assert response.status_code == 400
    assert "the limit is 20 MB" in response.content.decode()


def test_documents_are_for_the_people_of_the_proposal_only(
    client, proposal, lead_admin, lead_member, partner_org, partner_admin, outsider
):
    PartnerFactory(proposal=proposal, organisation=partner_org, status="confirmed")
    upload(logged_in(lead_admin), proposal, "wniosek.pdf", MINIMAL_PDF)
    document = ProposalDocument.objects.get()
    url = document.get_absolute_url()

    for person in (lead_admin, lead_member, partner_admin):
        response = logged_in(person).get(url)
        assert response.status_code == 200, person
        assert b"".join(response.streaming_content) == MINIMAL_PDF
        assert response["Content-Disposition"] == 'attachment; filename="wniosek.pdf"'
        assert response["Cache-Control"] == "private, no-store"

    assert logged_in(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to the login page
    # The document through another proposal's address, or a guessed id: 404 either way.
    other = ProposalFactory(lead=proposal.lead)
    assert (
        logged_in(lead_admin)
        .get(f"/en/projects/proposals/{other.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )
    assert (
        logged_in(lead_admin)
        .get(f"/en/projects/proposals/{proposal.pk}/documents/{document.pk + 99}/")
        .status_code
        == 404
    )
    # Nothing under MEDIA_URL serves it either.
    assert Client().get(f"/media/{document.file.name}").status_code == 404


def test_the_cluster_office_reads_documents_with_its_second_factor(proposal, lead_admin):
    upload(logged_in(lead_admin), proposal, "wniosek.pdf", MINIMAL_PDF)
    document = ProposalDocument.objects.get()
    office = Client()
    coordinator_in_admin(office)
    assert office.get(document.get_absolute_url()).status_code == 200


def test_a_partner_cannot_upload_or_remove(proposal, lead_admin, partner_org, partner_admin):
    PartnerFactory(proposal=proposal, organisation=partner_org, status="confirmed")
    upload(logged_in(lead_admin), proposal, "wniosek.pdf", MINIMAL_PDF)
    document = ProposalDocument.objects.get()

    assert upload(logged_in(partner_admin), proposal, "moj.pdf", MINIMAL_PDF).status_code == 403
    response = logged_in(partner_admin).post(
        f"/en/projects/proposals/{proposal.pk}/documents/{document.pk}/remove/", follow=True
    )
    assert response.status_code == 200
    assert "Only the administrators of Szpital Wojewódzki w Lublinie" in response.content.decode()
    assert ProposalDocument.objects.count() == 1


def test_removing_a_document_deletes_its_file_after_commit(
    proposal, lead_admin, private_root, django_capture_on_commit_callbacks
):
    upload(logged_in(lead_admin), proposal, "wniosek.pdf", MINIMAL_PDF)
    document = ProposalDocument.objects.get()
    stored = private_root / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(lead_admin).post(
            f"/en/projects/proposals/{proposal.pk}/documents/{document.pk}/remove/"
        )

    assert response.status_code == 302
    assert not ProposalDocument.objects.exists()
    assert not stored.exists()
