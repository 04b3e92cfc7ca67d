"""Access and input helpers that every applicant view starts with.

``_application`` returns the application if the user acts for its applicant and answers 404
for anyone else; ``_editable`` does the same and returns ``None`` once the application may no
longer be changed, which the step views answer with ``_locked``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused, NotPermitted
from grants.models import EDITABLE_STATES, Application
from grants.selectors.applications import application_get_for_applicant


def _data(request: AuthenticatedHttpRequest):
    """The submitted data, or None for a GET: an empty POST must still be validated."""
    return request.POST if request.method == "POST" else None


def _files(request: AuthenticatedHttpRequest):
    return request.FILES if request.method == "POST" else None


def _application(
    request: AuthenticatedHttpRequest, pk: int, *, related: tuple[str, ...] = ()
) -> Application:
    """The application if the user acts for its applicant; 404 for anyone else."""
    return application_get_for_applicant(request.user, pk, related=related)


def _editable(request: AuthenticatedHttpRequest, pk: int) -> Application | None:
    application = _application(request, pk)
    return application if application.state in EDITABLE_STATES else None


def _locked(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    messages.info(
        request,
        _(
            "Der Antrag ist eingereicht. Änderungen sind nur möglich, wenn die Förderstelle darum bittet."
        ),
    )
    return redirect("portal:detail", pk=application.pk)


def _refused(request: AuthenticatedHttpRequest, exc: ActionRefused) -> list[str]:
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(" ".join(exc.messages))
    return exc.messages
