"""The case worker's side of the message thread: writing to the applicant. The thread, the
read receipts and the answered items of a request are shown in the file (file.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused, NotPermitted
from grants.forms.correspondence import ThreadMessageForm
from grants.services.correspondence import thread_message_create
from grants.views.casework.access import application_for_case_worker


@login_required
@require_POST
def message_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    app = application_for_case_worker(request, pk)
    form = ThreadMessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            thread_message_create(
                application=app,
                actor=request.user,
                body=form.cleaned_data["body"],
                uploads=form.uploads(),
            )
        except NotPermitted as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        except ActionRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Die Nachricht ist gesendet."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect(reverse("casework:file", args=[app.pk]) + "#nachrichten")
