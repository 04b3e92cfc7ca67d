"""Who may open what in case work: ``require_case_worker`` (403 for anyone without a case-worker role),
``application_for_case_worker`` (404 for applications outside the user's programmes and for
drafts, 403 for programme staff who are not case workers) and ``meeting_for_case_worker``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from core.types import AuthenticatedHttpRequest
from grants.models import Application, Meeting
from grants.permissions import casework_programmes, is_case_worker, is_case_worker_of
from grants.selectors.applications import application_get_for_staff


def require_case_worker(request: AuthenticatedHttpRequest) -> None:
    if not is_case_worker(request.user):
        raise PermissionDenied(_("Dieser Bereich ist der Sachbearbeitung vorbehalten."))


def application_for_case_worker(request: AuthenticatedHttpRequest, pk: int) -> Application:
    application = application_get_for_staff(request.user, pk)
    if not is_case_worker_of(request.user, application.programme_id):
        raise PermissionDenied(_("Nur die Sachbearbeitung des Programms darf Anträge bearbeiten."))
    return application


def meeting_for_case_worker(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    require_case_worker(request)
    meeting = (
        Meeting.objects.filter(pk=pk, committee__programme__in=casework_programmes(request.user))
        .select_related("committee__programme")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting
