"""Shared reads, and the one place that says who may see which application.

Applicants see the applications of the organisations they are members of, drafts included.
Staff see the applications of the programmes they are assigned to, never drafts (a draft is the
applicant's own until submitted). Anything else is a 404, so that a URL does not even confirm
that an application exists.
"""

from __future__ import annotations

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from applicants.models import User
from applicants.selectors import expired_standard_documents
from core import formatting
from grants.models import Application, ApplicationState, Payout, PlanSummary
from grants.selectors.programmes import programmes_for_staff


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


# The payouts each total adds up; the same as Application.paid_amount and paid_or_pending_amount.
_PAID = Q(state=Payout.State.PAID)
_PAID_OR_PENDING = ~Q(state=Payout.State.CANCELLED)


def with_paid_or_pending_total(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Money paid or on its way, read in the applications' own query: what
    ``Application.paid_or_pending_amount`` then answers without asking again (a list of
    applications would otherwise ask once per row)."""
    total = (
        Payout.objects.filter(_PAID_OR_PENDING, application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return applications.annotate(paid_or_pending_total=Subquery(total, output_field=DecimalField()))


def payout_totals_read(application: Application) -> None:
    """Money paid, and paid or on its way, for an application already loaded, in one query:
    what ``Application.paid_amount`` and ``paid_or_pending_amount`` then answer, for a page
    that needs them only in some states (an annotation would cost every page of the others)."""
    application.__dict__.update(
        Payout.objects.filter(application=application).aggregate(
            paid_total=Sum("amount", filter=_PAID),
            paid_or_pending_total=Sum("amount", filter=_PAID_OR_PENDING),
        )
    )


def application_get_for_applicant(
    user: User, pk: int, *, related: tuple[str, ...] = ()
) -> Application:
    """``related``: what a page shows of the application's relations, read in the same query."""
    applications = applications_for_applicant_user(user).filter(pk=pk)
    if related:
        applications = applications.select_related(*related)
    application = applications.first()
    if application is None:
        raise Http404
    return application


def application_get_for_staff(user: User, pk: int, role: str | None = None) -> Application:
    # What every case-work page of an application names: with it, in the same read; by its
    # key, unordered (ordering a select this wide costs Django more than the query).
    applications = applications_for_staff(user, role).select_related(
        "programme", "call__programme", "applicant", "assigned_to"
    )
    try:
        return applications.get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def can_view_application(user: User, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


def application_rule_flags(application: Application, plan: PlanSummary) -> list[str]:
    """What a case worker must look at against the programme's rules, in plain German: the
    same rules the lifecycle's conditions enforce, shown before a step is tried."""
    programme = application.programme
    flags = []
    if not plan.own_share_reaches(programme.min_own_share_percent):
        flags.append(
            _("Eigenanteil %(share)s %% liegt unter dem Mindestanteil von %(min)s %%.")
            % {"share": plan.own_share_percent, "min": programme.min_own_share_percent}
            + (" " + _("Begründung liegt vor.") if application.own_share_justification else "")
        )
    if plan.requested_amount > application.call.cap:
        flags.append(_("Die beantragte Zuwendung übersteigt den Höchstbetrag des Aufrufs."))
    started, submitted = application.start_date, application.submitted_at
    if started and submitted and started < submitted.date():
        if application.early_start_requested:
            flags.append(_("Projektbeginn vor Antragstellung – vorzeitiger Beginn beantragt."))
        else:
            flags.append(_("Projektbeginn vor Antragstellung."))
    if not plan.balanced:
        flags.append(_("Der Finanzierungsplan ist nicht ausgeglichen."))
    missing = application.missing_document_types()
    if missing:
        flags.append(
            _("Es fehlen Pflichtunterlagen: %(docs)s")
            % {"docs": ", ".join(d.name for d in missing)}
        )
    expired = expired_standard_documents(application.applicant)
    if expired:
        flags.append(
            _("Abgelaufene Unterlagen der Antragsteller*in: %(docs)s")
            % {
                "docs": ", ".join(
                    f"{doc.get_kind_display()} ({formatting.day(doc.valid_until)})"
                    for doc in expired
                )
            }
        )
    return flags


def application_answers(application: Application) -> dict:
    """Every answer of an application by section, as the check page, the read-only view and
    the PDF of record show it (one partial: grants/applicant/_answers.html)."""
    return {
        "application": application,
        "target_groups": list(application.target_groups.all()),
        "fields_of_action": list(application.fields_of_action.all()),
        "areas": list(application.areas.all()),
        "cost_lines": list(application.cost_lines.select_related("category")),
        "financing_lines": list(application.financing_lines.select_related("category")),
        "plan": application.plan,
        "attachments": list(application.attachments.select_related("document_type")),
    }
