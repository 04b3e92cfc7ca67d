"""What the applicant submitted, read-only: every answer, the plan and the attachments, and
the PDF of each submission (the version of record)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.types import AuthenticatedHttpRequest
from grants.models import Application, Submission
from grants.selectors.applications import application_answers
from grants.services.application_submissions import submission_pdf
from grants.views.applicant.access import _application


def submission_response(application: Application, number: int) -> FileResponse:
    """The PDF of one submission, shown in the browser (applicant and case file alike)."""
    submission = get_object_or_404(Submission, application=application, number=number)
    return FileResponse(
        io.BytesIO(submission_pdf(submission)),
        as_attachment=False,
        filename=submission.filename,
        content_type="application/pdf",
    )


def answers_page(
    request: AuthenticatedHttpRequest, application: Application, template: str
) -> HttpResponse:
    """Every answer and the submissions' PDFs, read-only (applicant and case file alike)."""
    return render(
        request,
        template,
        {
            "application": application,
            "answers": application_answers(application),
            "submissions": list(application.submissions.all()),
        },
    )


@login_required
@require_GET
def answers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return answers_page(request, _application(request, pk), "grants/applicant/answers.html")


@login_required
@require_GET
def submission_download(request: AuthenticatedHttpRequest, pk: int, number: int) -> FileResponse:
    return submission_response(_application(request, pk), number)
