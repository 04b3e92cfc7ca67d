"""Shared reads, and the one place that says who may see which application.

Applicants see the applications of the organisations they are members of, drafts included.
Staff see the applications of the programmes they are assigned to, never drafts (a draft is the
applicant's own until submitted). Anything else is a 404, so that a URL does not even confirm
that an application exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from applicants.models import User
from grants.models import Application, ApplicationState, StaffRole


def programmes_for_staff(user: User, role: str | None = None) -> QuerySet:
    roles = StaffRole.objects.filter(user=user)
    if role is not None:
        roles = roles.filter(role=role)
    return roles.values("programme_id")


def applications_for_applicant_user(user: User) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(applicant__memberships__user=user)


def applications_for_staff(user: User, role: str | None = None) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(programme_id__in=programmes_for_staff(user, role)).exclude(
        state=ApplicationState.DRAFT
    )


def applications_visible_to(user: User) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(applicant__memberships__user=user)
        | (Q(programme_id__in=programmes_for_staff(user)) & ~Q(state=ApplicationState.DRAFT))
    ).distinct()


def application_get_for_applicant(user: User, pk: int) -> Application:
    application = applications_for_applicant_user(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def application_get_for_staff(user: User, pk: int, role: str | None = None) -> Application:
    application = applications_for_staff(user, role).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def can_view_application(user: User, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()
