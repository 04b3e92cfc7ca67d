"""Autosave of the project step and the proof of use: the page's script posts the form a
moment after the person stops typing (and once more when the tab is closed), so a closed
laptop loses nothing. What does not validate yet is not stored; the answer says so, and the
page keeps warning before it is left."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.applicant import ProjectForm, ProofForm
from grants.views.applicant.access import _application, _editable
from grants.views.applicant.common import PROOF_STATES
from grants.views.applicant.form import save_project
from grants.views.applicant.proof import save_proof


def _saved() -> JsonResponse:
    at = timezone.localtime().strftime("%H:%M")
    return JsonResponse({"saved": True, "message": _("Gespeichert um %(time)s") % {"time": at}})


def _not_saved(message: str, status: int = 200) -> JsonResponse:
    return JsonResponse({"saved": False, "message": message}, status=status)


NOT_VALID = gettext_lazy(
    "Noch nicht automatisch gespeichert: Eine Eingabe passt noch nicht. Speichern Sie mit dem "
    "Knopf, dann sehen Sie, was fehlt."
)


@login_required
@require_POST
def project_autosave(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    application = _editable(request, pk)
    if application is None:
        return _not_saved(_("Der Antrag ist eingereicht und kann nicht mehr geändert werden."), 409)
    form = ProjectForm(request.POST, instance=application, programme=application.programme)
    if not form.is_valid():
        return _not_saved(str(NOT_VALID))
    try:
        save_project(application, request.user, form.cleaned_data)
    except ActionRefused as exc:
        return _not_saved(" ".join(exc.messages), 409)
    return _saved()


@login_required
@require_POST
def proof_autosave(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    application = _application(request, pk)
    if application.state not in PROOF_STATES:
        return _not_saved(_("Der Verwendungsnachweis kann nicht mehr geändert werden."), 409)
    form = ProofForm(request.POST, application=application)
    if not form.is_valid():
        return _not_saved(str(NOT_VALID))
    try:
        save_proof(application, request.user, form)
    except ActionRefused as exc:
        return _not_saved(" ".join(exc.messages), 409)
    return _saved()
