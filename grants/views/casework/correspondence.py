"""The case worker's side of the message thread: writing to the applicant. The thread, the
read receipts and the answered items of a request are shown in the file (file.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.types import AuthenticatedHttpRequest
from grants.views.casework.access import application_for_case_worker
from grants.views.thread import post_message


@login_required
@require_POST
def message_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    app = application_for_case_worker(request, pk)
    return post_message(request, app, reverse("casework:file", args=[app.pk]) + "#nachrichten")
