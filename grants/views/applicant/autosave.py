"""Autosave of the draft's steps (project, classification, cost and financing plan) and of the
proof of use: the page's script posts the form a
moment after the person stops typing (and once more when the tab is closed), so a closed
laptop loses nothing. What does not validate yet is not stored; the answer says so, and the
page keeps warning before it is left."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applicants.models import User
from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.applicant import ClassificationForm, ProjectForm, ProofForm, plan_formsets
from grants.models import Application
from grants.views.applicant.access import _application, _editable
from grants.views.applicant.common import PROOF_STATES
from grants.views.applicant.form import save_classification, save_plan, save_project
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


NOT_VALID_ROW = gettext_lazy(
    "Noch nicht automatisch gespeichert: Eine Zeile passt noch nicht. Speichern Sie mit dem "
    "Knopf, dann sehen Sie, was fehlt."
)


def _draft_autosave(
    request: AuthenticatedHttpRequest, pk: int, save: Callable[[Application], str | None]
) -> JsonResponse:
    """Runs ``save`` on the draft: it stores what validates and returns None, or says why it
    stored nothing."""
    application = _editable(request, pk)
    if application is None:
        return _not_saved(_("Der Antrag ist eingereicht und kann nicht mehr geändert werden."), 409)
    try:
        problem = save(application)
    except ActionRefused as exc:
        return _not_saved(" ".join(exc.messages), 409)
    return _not_saved(problem) if problem else _saved()


def _from_form(
    request: AuthenticatedHttpRequest,
    make_form: Callable[[Application], forms.BaseForm],
    save: Callable[[Application, User, dict], None],
) -> Callable[[Application], str | None]:
    """A step's form as the step's own view reads it; saved only when it validates."""

    def run(application: Application) -> str | None:
        form = make_form(application)
        if not form.is_valid():
            return str(NOT_VALID)
        save(application, request.user, form.cleaned_data)
        return None

    return run


@login_required
@require_POST
def project_autosave(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    def form(application: Application) -> forms.BaseForm:
        return ProjectForm(request.POST, instance=application, programme=application.programme)

    return _draft_autosave(request, pk, _from_form(request, form, save_project))


@login_required
@require_POST
def classification_autosave(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    def form(application: Application) -> forms.BaseForm:
        return ClassificationForm(request.POST, programme=application.programme)

    return _draft_autosave(request, pk, _from_form(request, form, save_classification))


@login_required
@require_POST
def plan_autosave(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    # A row that does not validate yet stores nothing: the plan as last saved stays whole,
    # never without a row that is half typed over.
    def save(application: Application) -> str | None:
        costs, financing = plan_formsets(application, request.POST)
        if not (costs.is_valid() and financing.is_valid()):
            return str(NOT_VALID_ROW)
        save_plan(application, request.user, costs, financing)
        return None

    return _draft_autosave(request, pk, save)


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
