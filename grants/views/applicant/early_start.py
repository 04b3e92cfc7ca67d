"""Vorzeitiger Maßnahmebeginn: after submitting and before the decision the applicant asks to
start early; the case worker's answer is shown on the application's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.early_start import EarlyStartForm
from grants.models import EARLY_START_STATES, Application, EarlyStart
from grants.services.early_start import early_start_request
from grants.views.applicant.access import _application, _data, _refused


def can_request_early_start(application: Application) -> bool:
    # Over the early starts as loaded: the application's page shows them and prefetches them.
    return application.state in EARLY_START_STATES and not any(
        early_start.state in (EarlyStart.State.REQUESTED, EarlyStart.State.CONSENTED)
        for early_start in application.early_starts.all()
    )


@login_required
@require_http_methods(["GET", "POST"])
def early_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = EarlyStartForm(_data(request))
    refusal: list[str] = []
    if not can_request_early_start(application):
        refusal = [
            _(
                "Einen vorzeitigen Beginn können Sie nur beantragen, solange über Ihren Antrag "
                "noch nicht entschieden ist und kein solcher Antrag offen oder bewilligt ist."
            )
        ]
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            early_start_request(
                application=application,
                actor=request.user,
                requested_start=form.cleaned_data["requested_start"],
                reason=form.cleaned_data["reason"],
            )
        except ActionRefused as exc:
            for message in _refused(request, exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Ihr Antrag auf vorzeitigen Beginn ist eingegangen."))
            return redirect("portal:detail", pk=pk)
    return render(
        request,
        "grants/applicant/early_start.html",
        {
            "application": application,
            "form": form,
            "refusal": refusal,
            "early_starts": list(application.early_starts.all()),
        },
        status=422 if form.errors else 200,
    )
