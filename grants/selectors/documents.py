"""Which files a case holds and who may open them.

A file is opened through its application: staff with any role on the application's programme
(never for a draft), or the members of the applicant. The file itself is looked up within that
application (its attachments, its applicant's standard documents, the attachments of its
message thread), so an id of another case is a 404 like an application one may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.models import StandardDocument, User
from applicants.selectors import documents_newest_first
from core.files import shows_inline
from grants.models import (
    Application,
    Attachment,
    DocumentKind,
    Receipt,
    ThreadAttachment,
    ThreadMessage,
)
from grants.selectors.applications import (
    applications_for_applicant_user,
    applications_for_staff,
)


@dataclass(frozen=True)
class Document:
    kind: str
    pk: int
    application_id: int
    file: FieldFile
    name: str
    content_type: str
    label: str  # what the document is: its type, "Satzung", "Anhang einer Nachricht"
    uploaded_at: dt.date
    size: int

    @property
    def inline(self) -> bool:
        return shows_inline(self.content_type)

    @property
    def url(self) -> str:
        return reverse("portal:document", args=[self.application_id, self.kind, self.pk])

    @property
    def download_url(self) -> str:
        return self.url + "?download=1"


def application_for_document(user: User, pk: int) -> tuple[Application, bool]:
    """The application and whether ``user`` opens it as staff; 404 for anyone else."""
    application = applications_for_staff(user).filter(pk=pk).first()
    if application is not None:
        return application, True
    application = applications_for_applicant_user(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application, False


def _attachment(a: Attachment) -> Document:
    return Document(
        DocumentKind.ATTACHMENT,
        a.pk,
        a.application_id,
        a.file,
        a.original_name,
        a.content_type,
        str(a.document_type),
        a.uploaded_at,
        a.size,
    )


def _standard(d: StandardDocument, application_id: int) -> Document:
    return Document(
        DocumentKind.STANDARD_DOCUMENT,
        d.pk,
        application_id,
        d.file,
        d.original_name,
        d.content_type,
        d.get_kind_display(),
        d.uploaded_at,
        d.size,
    )


def _thread(a: ThreadAttachment) -> Document:
    return Document(
        DocumentKind.THREAD_ATTACHMENT,
        a.pk,
        a.message.application_id,
        a.file,
        a.original_name,
        a.content_type,
        str(DocumentKind.THREAD_ATTACHMENT.label),
        a.message.created_at,
        a.size,
    )


def _receipt(r: Receipt) -> Document:
    return Document(
        DocumentKind.RECEIPT,
        r.pk,
        r.application_id,
        r.file,
        r.original_name,
        r.content_type,
        str(_("Beleg %(number)s") % {"number": r.number}),
        r.date,
        r.size,
    )


def document_get(application: Application, kind: str, pk: int) -> Document:
    """Document ``pk`` of ``kind`` within ``application``; 404 if it is not one of its files."""
    if kind == DocumentKind.ATTACHMENT:
        attachment = application.attachments.select_related("document_type").filter(pk=pk).first()
        if attachment is not None:
            return _attachment(attachment)
    elif kind == DocumentKind.STANDARD_DOCUMENT:
        document = application.applicant.standard_documents.filter(pk=pk).first()
        if document is not None:
            return _standard(document, application.pk)
    elif kind == DocumentKind.THREAD_ATTACHMENT:
        sent = (
            ThreadAttachment.objects.filter(pk=pk, message__application=application)
            .select_related("message")
            .first()
        )
        if sent is not None:
            return _thread(sent)
    elif kind == DocumentKind.RECEIPT:
        receipt = application.receipts.exclude(file="").filter(pk=pk).first()
        if receipt is not None:
            return _receipt(receipt)
    raise Http404


def standard_documents_of(application: Application) -> list[Document]:
    return [_standard(d, application.pk) for d in documents_newest_first(application.applicant)]


def attachments_of(application: Application) -> list[Document]:
    return [_attachment(a) for a in application.attachments.select_related("document_type")]


def thread_attachments_of(thread: Iterable[ThreadMessage]) -> list[Document]:
    """The files of a thread as ``thread_of`` loaded it, in the order they were sent."""
    attachments = [a for message in thread for a in message.attachments.all()]
    return [_thread(a) for a in sorted(attachments, key=lambda a: a.pk)]


def receipt_files_of(receipts: Iterable[Receipt]) -> list[Document]:
    """The receipts (in their order) that came with a file."""
    return [_receipt(r) for r in receipts if r.file]
