"""The one view that opens a file of a case, for every kind of document (attachments of the
application and of the proof of use, the applicant's standard documents, attachments of the
message thread), for the programme's staff and the applicant's members alike.

PDFs and images are shown in the browser, ``?download=1`` downloads them; other types are
always downloads (core/files.py). Each opening by staff is recorded on the file's history.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from core.files import file_response
from core.types import AuthenticatedHttpRequest
from grants.selectors.documents import application_for_document, document_get
from grants.services.documents import document_opening_create


@login_required
@require_GET
def document_open(
    request: AuthenticatedHttpRequest, pk: int, kind: str, document_pk: int
) -> FileResponse:
    application, as_staff = application_for_document(request.user, pk)
    document = document_get(application, kind, document_pk)
    inline = document.inline and "download" not in request.GET
    if as_staff:
        document_opening_create(
            application=application, actor=request.user, document=document, inline=inline
        )
    return file_response(
        document.file, filename=document.name, content_type=document.content_type, inline=inline
    )
