"""The application as submitted, in the case file: every answer, the plan, the attachments,
and the PDF of each submission (the version of record)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_GET

from core.types import AuthenticatedHttpRequest
from grants.views.applicant.answers import answers_page, submission_response
from grants.views.casework.access import application_for_case_worker


@login_required
@require_GET
def answers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = application_for_case_worker(request, pk)
    return answers_page(request, application, "grants/casework/answers.html")


@login_required
@require_GET
def submission_download(request: AuthenticatedHttpRequest, pk: int, number: int) -> FileResponse:
    return submission_response(application_for_case_worker(request, pk), number)
