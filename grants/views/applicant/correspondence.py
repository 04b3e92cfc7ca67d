"""The applicant's side of the message thread: writing to the funding office, and answering a
request for missing items item by item. The thread itself is shown on the application's page
(detail.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.correspondence import RequestItemAnswerForm
from grants.services.correspondence import request_item_answer
from grants.views.applicant.access import _application
from grants.views.thread import form_errors, post_message, refusal_messages


@login_required
@require_POST
def message_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return post_message(request, application, reverse("portal:detail", args=[pk]) + "#nachrichten")


@login_required
@require_POST
def request_item_answer_view(
    request: AuthenticatedHttpRequest, pk: int, item_pk: int
) -> HttpResponse:
    application = _application(request, pk)
    item = get_object_or_404(application.request_items, pk=item_pk)
    form = RequestItemAnswerForm(request.POST, request.FILES, item=item)
    if form.is_valid():
        try:
            request_item_answer(
                item=item,
                actor=request.user,
                text=form.cleaned_data["text"],
                uploads=form.uploads(),
            )
        except ActionRefused as refused:
            refusal_messages(request, refused)
        else:
            messages.success(
                request, _("Ihre Antwort zu „%(item)s“ ist gesendet.") % {"item": item.text}
            )
    else:
        form_errors(request, form)
    return redirect(reverse("portal:detail", args=[pk]) + "#nachforderung")
