"""Staff of the programme open every document of a case from the file; everyone else gets a
404; each opening by staff is on the file's history."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.models import StandardDocument
from grants.models import (
    ApplicationState,
    Attachment,
    DocumentKind,
    DocumentOpening,
    DocumentType,
    Receipt,
)
from tests.casework_pages import file_url
from tests.factories import advance, draft

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

STAFF = ["case_worker", "second_case_worker", "finance"]
MEMBERS = ["owner", "colleague"]
OTHERS = ["foreign_case_worker", "outsider"]


def _attachment(app, world, stage, name="kostenplan.pdf", content=PDF, content_type=None):
    document_type, _ = DocumentType.objects.get_or_create(
        programme=world.programme,
        code=f"t-{stage}",
        defaults={"name": f"Unterlage {stage}", "stage": stage},
    )
    return Attachment.objects.create(
        application=app,
        document_type=document_type,
        file=ContentFile(content, name="x"),
        original_name=name,
        content_type=content_type or "application/pdf",
        size=len(content),
        uploaded_by=world.owner,
    )


def _standard_document(world, name="satzung.pdf"):
    return StandardDocument.objects.create(
        applicant=world.applicant,
        kind=StandardDocument.Kind.STATUTES,
        file=ContentFile(PDF, name="x"),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world.owner,
    )


def _url(app, kind, pk, download=False):
    return f"/antraege/{app.pk}/dokumente/{kind}/{pk}/" + ("?download=1" if download else "")


@pytest.fixture
def submitted(world):
    return advance(draft(world), world, S.SUBMITTED)


@pytest.fixture
def documents(world, submitted):
    """One document of each kind: application attachment, proof-of-use document, standard
    document, the file of a receipt of the Belegliste (message attachments:
    tests/correspondence/test_thread.py)."""
    return {
        "application": (
            DocumentKind.ATTACHMENT,
            _attachment(submitted, world, DocumentType.Stage.APPLICATION),
        ),
        "proof": (
            DocumentKind.ATTACHMENT,
            _attachment(submitted, world, DocumentType.Stage.PROOF_OF_USE, name="belegliste.pdf"),
        ),
        "standard": (DocumentKind.STANDARD_DOCUMENT, _standard_document(world)),
        "receipt": (DocumentKind.RECEIPT, _receipt_file(submitted)),
    }


def _receipt_file(app):
    return Receipt.objects.create(
        application=app,
        cost_line=app.cost_lines.first(),
        number=1,
        date=timezone.localdate(),
        payee="Druckerei",
        description="Flyer",
        amount=Decimal("120.00"),
        file=ContentFile(PDF, name="x"),
        original_name="rechnung-druckerei.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )


@pytest.mark.parametrize("which", ["application", "proof", "standard", "receipt"])
@pytest.mark.parametrize("persona", STAFF)
def test_programme_staff_open_each_document_kind_inline_and_it_is_recorded(
    client, world, submitted, documents, persona, which
):
    kind, document = documents[which]
    user = getattr(world, persona)
    client.force_login(user)
    response = client.get(_url(submitted, kind, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert document.original_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "sandbox"
    opening = DocumentOpening.objects.get()
    assert (opening.application, opening.actor, opening.kind, opening.document_id) == (
        submitted,
        user,
        kind,
        document.pk,
    )
    assert opening.file_name == document.original_name
    assert opening.inline is True


@pytest.mark.parametrize("which", ["application", "proof", "standard", "receipt"])
@pytest.mark.parametrize("persona", OTHERS)
def test_anyone_else_gets_404_and_nothing_is_recorded(
    client, world, submitted, documents, persona, which
):
    kind, document = documents[which]
    client.force_login(getattr(world, persona))
    assert client.get(_url(submitted, kind, document.pk)).status_code == 404
    assert not DocumentOpening.objects.exists()


@pytest.mark.parametrize("which", ["application", "proof", "standard", "receipt"])
@pytest.mark.parametrize("persona", MEMBERS)
def test_members_open_their_own_documents_without_a_record(
    client, world, submitted, documents, persona, which
):
    kind, document = documents[which]
    client.force_login(getattr(world, persona))
    assert client.get(_url(submitted, kind, document.pk)).status_code == 200
    assert not DocumentOpening.objects.exists()


def test_anonymous_is_sent_to_login(client, submitted, documents):
    kind, document = documents["application"]
    response = client.get(_url(submitted, kind, document.pk))
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_staff_never_see_documents_of_a_draft(client, world):
    app = draft(world)
    attachment = _attachment(app, world, DocumentType.Stage.APPLICATION)
    client.force_login(world.case_worker)
    assert client.get(_url(app, DocumentKind.ATTACHMENT, attachment.pk)).status_code == 404


def test_a_document_of_another_case_is_404_through_this_case(client, world, submitted):
    other = advance(draft(world), world, S.SUBMITTED)
    attachment = _attachment(other, world, DocumentType.Stage.APPLICATION)
    client.force_login(world.case_worker)
    assert client.get(_url(submitted, DocumentKind.ATTACHMENT, attachment.pk)).status_code == 404
    assert client.get(_url(submitted, "unbekannt", attachment.pk)).status_code == 404
    assert client.get(_url(other, DocumentKind.ATTACHMENT, attachment.pk)).status_code == 200


def test_a_standard_document_of_another_applicant_is_404(client, world, submitted):
    from tests.factories import ApplicantFactory

    foreign = StandardDocument.objects.create(
        applicant=ApplicantFactory(),
        kind=StandardDocument.Kind.STATUTES,
        file=ContentFile(PDF, name="x"),
        original_name="fremd.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world.outsider,
    )
    client.force_login(world.case_worker)
    url = _url(submitted, DocumentKind.STANDARD_DOCUMENT, foreign.pk)
    assert client.get(url).status_code == 404


def test_download_is_offered_for_pdfs_and_office_files_are_always_downloads(
    client, world, submitted
):
    pdf = _attachment(submitted, world, DocumentType.Stage.APPLICATION)
    docx = _attachment(
        submitted,
        world,
        DocumentType.Stage.APPLICATION,
        name="bericht.docx",
        content=b"PK\x03\x04",
        content_type=DOCX,
    )
    image = _attachment(
        submitted,
        world,
        DocumentType.Stage.APPLICATION,
        name="foto.png",
        content=PNG,
        content_type="image/png",
    )
    client.force_login(world.case_worker)
    downloaded = client.get(_url(submitted, DocumentKind.ATTACHMENT, pdf.pk, download=True))
    assert downloaded["Content-Disposition"].startswith("attachment")
    office = client.get(_url(submitted, DocumentKind.ATTACHMENT, docx.pk))
    assert office["Content-Disposition"].startswith("attachment")
    assert office["Content-Type"] == DOCX
    shown = client.get(_url(submitted, DocumentKind.ATTACHMENT, image.pk))
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["Content-Type"] == "image/png"
    assert [o.inline for o in DocumentOpening.objects.order_by("id")] == [False, False, True]


def test_the_applicants_attachment_address_opens_for_staff_too(client, world, submitted):
    # The address from the issue: /antraege/<id>/anlagen/<id>/ answered 404 to staff.
    attachment = _attachment(submitted, world, DocumentType.Stage.APPLICATION)
    client.force_login(world.case_worker)
    response = client.get(f"/antraege/{submitted.pk}/anlagen/{attachment.pk}/")
    assert response.status_code == 200
    assert DocumentOpening.objects.get().document_id == attachment.pk
    client.force_login(world.foreign_case_worker)
    assert client.get(f"/antraege/{submitted.pk}/anlagen/{attachment.pk}/").status_code == 404


def test_the_file_lists_documents_as_links_and_its_history_shows_each_opening(
    client, world, submitted, documents
):
    client.force_login(world.case_worker)
    page = client.get(file_url(submitted)).content.decode()
    for kind, document in documents.values():
        assert f'href="{_url(submitted, kind, document.pk)}"' in page
    _kind, statutes = documents["standard"]
    client.get(_url(submitted, DocumentKind.STANDARD_DOCUMENT, statutes.pk))
    page = client.get(file_url(submitted)).content.decode()
    assert "Dokument geöffnet: satzung.pdf" in page
    assert world.case_worker.get_full_name() in page


def test_each_opening_is_logged(client, world, submitted, documents, caplog):
    kind, document = documents["application"]
    client.force_login(world.finance)
    with caplog.at_level(logging.INFO, logger="grants.services.documents"):
        client.get(_url(submitted, kind, document.pk))
    record = next(r for r in caplog.records if r.getMessage() == "document opened")
    assert record.actor_id == world.finance.pk
    assert record.document_id == document.pk
    assert record.application_id == submitted.pk


def test_the_record_of_an_opening_cannot_be_changed(client, world, submitted, documents):
    from django.core.exceptions import ValidationError

    kind, document = documents["application"]
    client.force_login(world.case_worker)
    client.get(_url(submitted, kind, document.pk))
    opening = DocumentOpening.objects.get()
    opening.file_name = "anders.pdf"
    with pytest.raises(ValidationError):
        opening.save()
    with pytest.raises(ValidationError):
        opening.delete()


def test_a_receipt_without_a_file_has_no_document(client, world, submitted):
    receipt = _receipt_file(submitted)
    Receipt.objects.filter(pk=receipt.pk).update(file="")
    client.force_login(world.case_worker)
    assert client.get(_url(submitted, DocumentKind.RECEIPT, receipt.pk)).status_code == 404
