"""Start page and work queue of case work: the list, "mir zuweisen" from a row, saved filters."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused, ChangedMeanwhile
from grants.forms.casework import SavedFilterForm
from grants.models import ApplicationState, StaffRole
from grants.permissions import casework_programmes
from grants.selectors.programmes import programmes_for_staff
from grants.selectors.queue import (
    COUNT_CAP,
    SORT_ORDERS,
    QueuePaginator,
    kept_counts_by_state,
    needs_me,
    overdue_count,
    queue,
    queue_counts,
    queue_query,
    saved_filters,
)
from grants.services.assessment import application_assign
from grants.services.queue import saved_filter_create, saved_filter_delete
from grants.views.casework.access import application_for_case_worker, require_case_worker
from reporting.selectors import budget_lines

PER_PAGE = 50


@login_required
@require_GET
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    programmes = casework_programmes(request.user)
    ids = [p.pk for p in programmes]
    _filter, applications = queue(request.user, None)
    by_state = kept_counts_by_state(programmes_for_staff(request.user, StaffRole.Role.CASE_WORKER))
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


def _sort_links(params: QueryDict, current: str) -> dict[str, dict]:
    """Per sortable column: the link that sorts by it (the other direction when it is the
    current sort) and its aria-sort value."""
    links = {}
    for _field, param, _label in SORT_ORDERS:
        query = params.copy()
        query.pop("seite", None)
        descending = current == param
        query["sort"] = f"-{param}" if descending else param
        state = {param: "ascending", f"-{param}": "descending"}.get(current, "none")
        links[param] = {"url": "?" + query.urlencode(), "aria": state}
    return links


# An id no application has, reversed in its place and then replaced by each row's id.
PK_MARK = 987654321


def _rows(page: Page, today: dt.date, user_id: int) -> list[dict]:
    """The page's rows with what the template would otherwise work out per row: the addresses
    of the file and of "mir zuweisen" (two reverses per page instead of two per row), the
    state's label, whether the deadline has passed, and who is responsible."""
    file_url = reverse("casework:file", args=[PK_MARK])
    assign_url = reverse("casework:assign_me", args=[PK_MARK])
    mark = str(PK_MARK)
    rows: list[dict] = list(page.object_list)
    for row in rows:
        pk = str(row["pk"])
        deadline = row["next_deadline"]
        row["file_url"] = file_url.replace(mark, pk)
        row["assign_url"] = assign_url.replace(mark, pk)
        row["state_label"] = ApplicationState(row["state"]).label
        row["overdue"] = deadline is not None and deadline < today
        row["mine"] = row["assignee_id"] == user_id
        # As User.get_full_name; empty when nobody is responsible (the template shows a dash).
        first, last = row["assignee_first_name"] or "", row["assignee_last_name"] or ""
        row["assignee"] = f"{first} {last}".strip()
    return rows


@login_required
@require_GET
def queue_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    filterset, applications = queue(request.user, request.GET)
    # The counts per state give the total as well: one query less than the paginator's own.
    # Beyond the cap, the pages go as far as the cap, and the page says to narrow the search.
    counts, matches = queue_counts(filterset, applications, request.user)
    if matches is not None:
        # At most the cap matched, and counting them read their ids: the page is sorted from
        # those (a sort of a thousand rows at most) instead of walking the sort's index past
        # every row that does not match, which a rare search term made long (118 ms of a
        # name search at 1,000,000 applications).
        applications = applications.filter(pk__in=matches)
    paginator = QueuePaginator(applications, PER_PAGE, capped=counts is None)
    paginator.count = COUNT_CAP if counts is None else sum(row["n"] for row in counts)
    page = paginator.get_page(request.GET.get("seite"))
    params = request.GET.copy()
    params.pop("seite", None)
    today = timezone.localdate()
    return render(
        request,
        "grants/casework/queue.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _rows(page, today, request.user.pk),
            "counts": counts,
            "capped": counts is None,
            "cap": COUNT_CAP,
            "params": params.urlencode(),
            "query": queue_query(request.GET),
            "sort_links": _sort_links(request.GET, request.GET.get("sort", "")),
            "overdue": overdue_count(request.user),
            "saved": saved_filters(request.user),
            "save_form": SavedFilterForm(),
        },
    )


def _back_to_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Only the queue's own parameters go back into the address (no open redirect).
    query = queue_query(QueryDict(request.POST.get("query", "")))
    return redirect(reverse("casework:queue") + (f"?{query}" if query else ""))


@login_required
@require_POST
def assign_to_me(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "mir zuweisen" from a row: refused when somebody else took the file since the list was
    read (the row says whom it showed as responsible)."""
    app = application_for_case_worker(request, pk)
    shown = request.POST.get("shown", "")
    if shown != str(app.assigned_to_id or ""):
        messages.error(
            request,
            _("%(file)s wurde inzwischen jemand anderem zugewiesen. Es wurde nichts geändert.")
            % {"file": app.file_number},
        )
        return _back_to_queue(request)
    try:
        application_assign(application=app, actor=request.user, assignee=request.user)
    except ChangedMeanwhile:
        messages.error(
            request,
            _("%(file)s wurde inzwischen jemand anderem zugewiesen. Es wurde nichts geändert.")
            % {"file": app.file_number},
        )
    except ActionRefused as refused:
        messages.error(request, " ".join(str(m) for m in refused.messages))
    else:
        messages.success(request, _("%(file)s ist Ihnen zugewiesen.") % {"file": app.file_number})
    return _back_to_queue(request)


@login_required
@require_POST
def saved_filter_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    form = SavedFilterForm(request.POST)
    query = queue_query(QueryDict(request.POST.get("query", "")))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_queue(request)
    try:
        saved_filter_create(user=request.user, name=form.cleaned_data["name"], query=query)
    except ActionRefused as refused:
        messages.error(request, " ".join(str(m) for m in refused.messages))
    else:
        messages.success(
            request,
            _("Der Filter „%(name)s“ ist gespeichert.") % {"name": form.cleaned_data["name"]},
        )
    return _back_to_queue(request)


@login_required
@require_POST
def saved_filter_remove(request: AuthenticatedHttpRequest, filter_id: int) -> HttpResponse:
    require_case_worker(request)
    saved_filter_delete(user=request.user, filter_id=filter_id)
    messages.success(request, _("Der gespeicherte Filter ist gelöscht."))
    return redirect("casework:queue")
