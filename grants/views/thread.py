"""Posting to the message thread, the same for both sides: the applicant's view and the case
worker's view each check access their way and hand over here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused, NotPermitted
from grants.forms.correspondence import ThreadMessageForm
from grants.models import Application
from grants.services.correspondence import thread_message_create


def form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def refusal_messages(request: HttpRequest, refused: ActionRefused) -> None:
    if isinstance(refused, NotPermitted):
        raise PermissionDenied(" ".join(refused.messages))
    for message in refused.messages:
        messages.error(request, message)


def post_message(
    request: AuthenticatedHttpRequest, application: Application, back: str
) -> HttpResponse:
    form = ThreadMessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            thread_message_create(
                application=application,
                actor=request.user,
                body=form.cleaned_data["body"],
                uploads=form.uploads(),
            )
        except ActionRefused as refused:
            refusal_messages(request, refused)
        else:
            messages.success(request, _("Ihre Nachricht ist gesendet."))
    else:
        form_errors(request, form)
    return redirect(back)
