"""Files of an application: the attachments step (upload), deleting and downloading an
attachment, and downloading a letter.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.security import safe_next
from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.applicant import AttachmentForm
from grants.models import Attachment, DocumentType
from grants.services.applications import attachment_add, attachment_remove
from grants.views.applicant.access import _application, _data, _editable, _files, _locked, _refused
from grants.views.applicant.form import _step_context


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    document_types = application.programme.document_types.filter(
        stage=DocumentType.Stage.APPLICATION
    )
    form = AttachmentForm(_data(request), _files(request), document_types=document_types)
    refusal = None
    if request.method == "POST":
        if form.is_valid():
            try:
                attachment_add(
                    application=application,
                    actor=request.user,
                    document_type=form.cleaned_data["document_type"],
                    upload=form.cleaned_data["file"],
                )
            except ActionRefused as exc:
                refusal = _refused(request, exc)
            else:
                messages.success(
                    request,
                    _("„%(name)s“ ist hochgeladen.") % {"name": form.cleaned_data["file"].name},
                )
                if request.POST.get("action") == "next":
                    return redirect("portal:check", pk=pk)
                return redirect("portal:attachments", pk=pk)
        elif request.POST.get("action") == "next" and not request.FILES:
            # "Weiter" without choosing a file is not an error: nothing to upload.
            return redirect("portal:check", pk=pk)
    present = application.attachments.select_related("document_type").filter(
        document_type__stage=DocumentType.Stage.APPLICATION
    )
    return render(
        request,
        "grants/applicant/step_attachments.html",
        _step_context(
            application,
            "attachments",
            form=form,
            refusal=refusal,
            present=present,
            document_types=document_types,
            missing_types=application.missing_document_types(),
        ),
    )


@login_required
@require_POST
def attachment_delete(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        attachment_remove(attachment=attachment, actor=request.user)
    except ActionRefused as exc:
        for message in _refused(request, exc):
            messages.error(request, message)
    else:
        messages.success(
            request, _("„%(name)s“ ist gelöscht.") % {"name": attachment.original_name}
        )
    return redirect(safe_next(request, reverse("portal:attachments", args=[pk])))


@login_required
def attachment_download(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> FileResponse:
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def letter_download(request: AuthenticatedHttpRequest, pk: int, letter_pk: int) -> FileResponse:
    application = _application(request, pk)
    letter = get_object_or_404(application.letters, pk=letter_pk)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=letter.filename,
        content_type="application/pdf",
    )
