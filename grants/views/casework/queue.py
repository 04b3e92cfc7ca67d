"""Start page and work queue of case work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.types import AuthenticatedHttpRequest
from grants.permissions import casework_programmes
from grants.selectors.queue import (
    DEADLINE_BY_STATE,
    DEADLINE_LABELS,
    counts_by_state,
    needs_me,
    queue,
)
from grants.views.casework.access import require_case_worker
from reporting.selectors import budget_lines

PER_PAGE = 50


@login_required
@require_GET
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    programmes = casework_programmes(request.user)
    ids = [p.pk for p in programmes]
    _filter, applications = queue(request.user, None)
    by_state = counts_by_state(applications)
    return render(
        request,
        "grants/casework/start.html",
        {
            "programmes": programmes,
            "by_state": [{"label": r["label"], "n": r["n"]} for r in by_state],
            "lines": budget_lines(ids, fiscal_year=timezone.localdate().year),
            "needs": needs_me(request.user),
            "my_cases": applications.filter(assigned_to=request.user).count(),
        },
    )


@login_required
@require_GET
def queue_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    filterset, applications = queue(request.user, request.GET)
    page = Paginator(applications, PER_PAGE).get_page(request.GET.get("seite"))
    params = request.GET.copy()
    params.pop("seite", None)
    return render(
        request,
        "grants/casework/queue.html",
        {
            "filter": filterset,
            "page": page,
            "counts": counts_by_state(applications),
            "params": params.urlencode(),
            "today": timezone.localdate(),
            "deadline_labels": DEADLINE_LABELS,
            "deadline_fields": DEADLINE_BY_STATE,
        },
    )
