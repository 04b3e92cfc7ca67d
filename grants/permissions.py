"""Who may take the case-work steps that are not lifecycle transitions (those carry their
``Permission`` from ``grants/rules.py`` on the model): the case-work area as a whole, meetings,
letter templates, assignment. One place to read them, each with the German refusal message.

A person's staff roles are read once per request (``StaffRolesMiddleware``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from applicants.models import User
from grants.errors import NotPermitted
from grants.models import CASE_WORKER as CASE_WORKER_PERMISSION
from grants.models import Programme, StaffRole, has_programme_role, staff_roles
from grants.selectors.programmes import programmes_for_staff

CASE_WORKER = StaffRole.Role.CASE_WORKER


class StaffRolesMiddleware:
    """Lets the request's user keep its staff roles once read (see ``staff_roles``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Still lazy: the user (and its roles) are loaded only if the view asks.
        request.user = SimpleLazyObject(lambda: _user_keeping_roles(request))
        return self.get_response(request)


def _user_keeping_roles(request: HttpRequest) -> User | AnonymousUser:
    user = get_user(request)
    user._keep_staff_roles = True
    return user


def is_case_worker(user: User) -> bool:
    """Case worker of any programme: may open the case-work area."""
    return any(role == CASE_WORKER for _programme, role in staff_roles(user))


def staff_start_page(user: User) -> str | None:
    """Where staff land after login: case work first (a person with both roles mostly decides),
    then finance; None for everyone without a staff role."""
    roles = {role for _programme, role in staff_roles(user)}
    if CASE_WORKER in roles:
        return reverse("casework:start")
    if StaffRole.Role.FINANCE in roles:
        return reverse("reporting:overview")
    return None


def casework_programmes(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=programmes_for_staff(user, CASE_WORKER)).order_by("code")


def is_case_worker_of(user: User, programme_id: int) -> bool:
    return has_programme_role(user, programme_id, CASE_WORKER)


def require_case_worker_of(programme_id: int, actor: User) -> None:
    """Meetings, letter templates, assignment, notes: the programme's case work only."""
    if not is_case_worker_of(actor, programme_id):
        raise NotPermitted(CASE_WORKER_PERMISSION.refusal)
