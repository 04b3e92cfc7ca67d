"""Pages before an application: programmes and calls, Leichte Sprache, and the dashboard
with the next step for each of the user's applications.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from applicants import selectors as applicant_selectors
from applicants.models import ApplicantKind
from core.types import AuthenticatedHttpRequest
from grants.models import Call, Programme
from grants.selectors.applications import (
    applications_for_applicant_user,
    with_paid_or_pending_total,
)
from grants.selectors.programmes import calls_open, kinds_not_eligible
from grants.views.applicant.common import next_step

# --- public pages ---------------------------------------------------------------------------


def _eligible_names(programme: Programme) -> list[str]:
    labels = dict(ApplicantKind.choices)
    return [str(labels[kind]) for kind in programme.eligible_applicant_kinds if kind in labels]


def programmes(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    calls = Call.objects.select_related("programme", "funding_area").filter(
        programme__is_active=True
    )
    active = list(
        Programme.objects.filter(is_active=True)
        .select_related("funding_body")
        .prefetch_related(
            "fields_of_action",
            "financing_type_rules",
            Prefetch(
                "calls",
                queryset=calls.filter(opens_at__lte=now, deadline__gte=now).order_by("deadline"),
                to_attr="open_calls",
            ),
            Prefetch(
                "calls",
                queryset=calls.filter(opens_at__gt=now).order_by("opens_at"),
                to_attr="upcoming_calls",
            ),
        )
    )
    kinds: set[str] = set()
    if request.user.is_authenticated:
        kinds = {a.kind for a in applicant_selectors.applicants_for_user(request.user)}
    for programme in active:
        programme.eligible_names = _eligible_names(programme)
        # Calls the applicant's profiles cannot apply to are marked, not hidden.
        programme.not_for_profile = kinds_not_eligible(programme, kinds)
    return render(request, "grants/applicant/programmes.html", {"programmes": active})


def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "grants/applicant/easy_language.html")


# --- dashboard ------------------------------------------------------------------------------

DASHBOARD_FIELDS = (
    "title",
    "file_number",
    "state",
    "approved_amount",
    "response_due_date",
    "appeal_deadline",
    "proof_due_date",
    "programme__name",
    "call__deadline",
    "applicant__name",
)


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = list(
        with_paid_or_pending_total(applications_for_applicant_user(request.user))
        .select_related("programme", "call", "applicant")
        # What a row and its next step show (common.next_step): the rest of these wide rows
        # only cost time to read; a field missing here would cost a query per row.
        .only(*DASHBOARD_FIELDS)
        .order_by("-created_at")
    )
    rows = [(application, next_step(application)) for application in applications]
    applicants = list(
        applicant_selectors.with_documents(applicant_selectors.applicants_for_user(request.user))
    )
    expiring = [
        (applicant, document)
        for applicant in applicants
        for document in applicant_selectors.expiring_documents(applicant)
    ]
    open_calls = calls_open()[:5]
    return render(
        request,
        "grants/applicant/dashboard.html",
        {
            "rows": rows,
            "applicants": applicants,
            "expiring": expiring,
            "open_calls": open_calls,
        },
    )
