"""The finance area (/finanzen/): payout order lists, batches, reports, budget overview.

Access is decided in one place, :func:`_finance_programmes`: anonymous users are sent to the
login, everyone without a finance role for at least one programme gets 403, and every page
shows only the programmes the user does finance for.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused, NotPermitted
from grants.models import Payout, Programme
from grants.services import payouts as payout_services
from reporting import reports, selectors, services, writers
from reporting.forms import ExportForm, MarkPaidForm, ReexportForm, RegisterForm, ReportForm
from reporting.models import ExportBatch, ReportRun

ITEMS_PER_PAGE = 100
T = TypeVar("T")


def _finance_programmes(request: AuthenticatedHttpRequest) -> QuerySet[Programme]:
    programmes = selectors.finance_programmes(request.user)
    # Read once (not an EXISTS and then the rows): the pages list their ids again.
    if not programmes:
        raise PermissionDenied(_("Dieser Bereich ist der Finanzbuchhaltung vorbehalten."))
    return programmes


def _get_batch(request: AuthenticatedHttpRequest, batch_id: int) -> ExportBatch:
    _finance_programmes(request)
    batch = selectors.batch_get_for_user(request.user, batch_id)
    if batch is None:
        raise Http404
    return batch


@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = _finance_programmes(request)
    ids = [p.pk for p in programmes]
    lines = selectors.budget_lines(ids)
    return render(
        request,
        "reporting/overview.html",
        {
            "programmes": programmes,
            "totals": selectors.budget_totals(lines),
            "lines": lines,
            "by_state": selectors.applications_by_state(ids),
            "ordered_count": selectors.payouts_ordered(ids).count(),
            "recent_batches": selectors.batches_for(request.user)[:5],
        },
    )


@login_required
@require_GET
def payouts(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = _finance_programmes(request)
    return _payouts_page(request, programmes, ExportForm(programmes=programmes))


def _payouts_page(
    request: AuthenticatedHttpRequest, programmes: QuerySet[Programme], form: ExportForm
) -> HttpResponse:
    """The list of ordered payouts with the export form (as sent, with its errors, if any)."""
    ids = [p.pk for p in programmes]
    # Counted and summed without the rows' joins, on the (state, programme) index alone.
    figures = selectors.payouts_ordered(ids).aggregate(
        n=Count("*"), cents=selectors.money_sum("amount")
    )
    paginator = Paginator(selectors.payouts_ordered_list(ids), ITEMS_PER_PAGE)
    paginator.count = figures["n"]  # counted with the sum above: one query less
    page = paginator.get_page(request.GET.get("seite"))
    page.object_list = [
        {**row, "kind_label": Payout.Kind(row["kind"]).label} for row in page.object_list
    ]
    return render(
        request,
        "reporting/payouts.html",
        {
            "page": page,
            "count": figures["n"],
            "total": selectors.from_cents(figures["cents"]),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def payouts_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = _finance_programmes(request)
    form = ExportForm(request.POST, programmes=programmes)
    if not form.is_valid():
        return _payouts_page(request, programmes, form)
    programme = form.cleaned_data["programme"]
    fiscal_year = form.cleaned_data["fiscal_year"]
    scope = [programme.pk] if programme else [p.pk for p in programmes]
    count = selectors.payouts_ordered(scope, fiscal_year=fiscal_year).count()
    if count >= services.background_threshold():
        run = services.report_run_request(
            actor=request.user,
            report="payout-orders",
            file_format=form.cleaned_data["file_format"],
            params={
                "programme_id": programme.pk if programme else None,
                "fiscal_year": fiscal_year,
            },
            filter_labels=reports.filter_labels(
                [programme] if programme else list(programmes),
                all_programmes=programme is None,
                year=fiscal_year,
            ),
            rows_total=count,
        )
        return redirect("reporting:run", run_id=run.pk)
    try:
        batch = services.payout_orders_export(
            actor=request.user,
            programme=programme,
            fiscal_year=fiscal_year,
            file_format=form.cleaned_data["file_format"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("reporting:payouts")
    messages.success(
        request,
        ngettext(
            "Stapel %(ref)s mit %(n)s Auszahlung erstellt; sie ist als an die Kasse übergeben markiert.",
            "Stapel %(ref)s mit %(n)s Auszahlungen erstellt; sie sind als an die Kasse übergeben markiert.",
            batch.row_count,
        )
        % {"ref": batch.reference, "n": batch.row_count},
    )
    return redirect("reporting:batch", batch_id=batch.pk)


@login_required
@require_GET
def batches(request: AuthenticatedHttpRequest) -> HttpResponse:
    _finance_programmes(request)
    page = Paginator(selectors.batches_for(request.user), 50).get_page(request.GET.get("seite"))
    return render(request, "reporting/batches.html", {"page": page})


@login_required
@require_GET
def batch_detail(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = _get_batch(request, batch_id)
    return _batch_page(request, batch, _reexport_form(batch))


def _batch_page(
    request: AuthenticatedHttpRequest,
    batch: ExportBatch,
    reexport_form: ReexportForm,
    *,
    paid_form: MarkPaidForm | None = None,
    payout_form: tuple[int, MarkPaidForm] | None = None,
) -> HttpResponse:
    """The batch; a form that failed comes back as typed, with the summary on top (422)."""
    items = Payout.objects.filter(export_items__batch=batch).select_related(
        "application__applicant", "application__programme"
    )
    page = Paginator(items.order_by("due_date", "pk"), ITEMS_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    failed_id, payout_paid_form = payout_form or (None, None)
    for payout in page.object_list:
        payout.paid_form = (
            payout_paid_form
            if payout.pk == failed_id
            else MarkPaidForm(auto_id=_paid_form_id(payout.pk))
        )
    paid_form = paid_form or MarkPaidForm()
    return render(
        request,
        "reporting/batch_detail.html",
        {
            "batch": batch,
            "page": page,
            "waiting": items.filter(state=Payout.State.EXPORTED).count(),
            "reexport_form": reexport_form,
            "paid_form": paid_form,
            "payout_paid_form": payout_paid_form,
            "reexports": batch.reexports.select_related("created_by"),
        },
        status=422
        if any(f and f.errors for f in (reexport_form, paid_form, payout_paid_form))
        else 200,
    )


def _paid_form_id(payout_id: int) -> str:
    # One date box per row: ids unique on the page, so the summary can link to the right one.
    return f"ausgezahlt-{payout_id}-%s"


@login_required
@require_GET
def batch_download(request: AuthenticatedHttpRequest, batch_id: int) -> FileResponse:
    batch = _get_batch(request, batch_id)
    if not batch.file:
        raise Http404
    return FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch.filename,
        content_type=writers.CONTENT_TYPES[batch.file_format],
    )


@login_required
@require_POST
def batch_reexport(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = _get_batch(request, batch_id)
    form = ReexportForm(request.POST)
    if not form.is_valid():
        return _batch_page(request, batch, form)
    try:
        again = services.payout_orders_reexport(
            actor=request.user,
            batch=batch,
            reason=form.cleaned_data["reason"],
            file_format=form.cleaned_data["file_format"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("reporting:batch", batch_id=batch.pk)
    messages.success(
        request,
        _("Stapel %(ref)s wurde erneut exportiert als %(new)s.")
        % {"ref": batch.reference, "new": again.reference},
    )
    return redirect("reporting:batch", batch_id=again.pk)


def _mark_paid(form: MarkPaidForm, mark: Callable[[dt.date], T]) -> T | None:
    """Marks with the form's date; bad input or a refusal stays on the form for its summary."""
    if not form.is_valid():
        return None
    try:
        return mark(form.cleaned_data["paid_on"])
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except ActionRefused as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None


@login_required
@require_POST
def batch_mark_paid(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = _get_batch(request, batch_id)
    form = MarkPaidForm(request.POST)
    count = _mark_paid(
        form, lambda day: services.batch_mark_paid(actor=request.user, batch=batch, paid_on=day)
    )
    if count is None:
        return _batch_page(request, batch, _reexport_form(batch), paid_form=form)
    messages.success(
        request,
        ngettext(
            "%(n)s Auszahlung als ausgezahlt markiert.",
            "%(n)s Auszahlungen als ausgezahlt markiert.",
            count,
        )
        % {"n": count},
    )
    return redirect("reporting:batch", batch_id=batch.pk)


@login_required
@require_POST
def payout_mark_paid(request: AuthenticatedHttpRequest, payout_id: int) -> HttpResponse:
    programmes = _finance_programmes(request)
    payout = get_object_or_404(
        Payout.objects.select_related("application"),
        pk=payout_id,
        application__programme__in=programmes,
    )
    # The batch page the form was sent from; without one, the payout's latest batch.
    back = request.POST.get("batch", "")
    batch = selectors.batch_get_for_user(request.user, int(back)) if back.isdigit() else None
    batch = batch or selectors.batches_for(request.user).filter(items__payout=payout).last()
    form = MarkPaidForm(request.POST, auto_id=_paid_form_id(payout.pk))
    done = _mark_paid(
        form,
        lambda day: payout_services.payout_mark_paid(
            payout=payout, actor=request.user, paid_on=day
        ),
    )
    if done is None and batch is not None:
        return _batch_page(request, batch, _reexport_form(batch), payout_form=(payout.pk, form))
    if done is None:
        # Never exported, so on no batch page: the refusal is all there is to show.
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    else:
        messages.success(
            request,
            _("Auszahlung %(file)s über %(amount)s als ausgezahlt markiert.")
            % {"file": payout.application.file_number, "amount": payout.amount},
        )
    if batch is None:
        return redirect("reporting:batches")
    return redirect("reporting:batch", batch_id=batch.pk)


def _reexport_form(batch: ExportBatch) -> ReexportForm:
    return ReexportForm(initial={"file_format": batch.file_format})


@login_required
@require_GET
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = _finance_programmes(request)
    return render(
        request,
        "reporting/reports.html",
        {
            "budget_form": ReportForm(programmes=programmes, auto_id="budget_%s"),
            "register_form": RegisterForm(programmes=programmes, auto_id="register_%s"),
            "statistics_form": ReportForm(programmes=programmes, auto_id="statistics_%s"),
        },
    )


@login_required
@require_GET
def report_download(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    programmes = _finance_programmes(request)
    if name not in ("budget", "register", "statistics"):
        raise Http404
    form_class = RegisterForm if name == "register" else ReportForm
    form = form_class(request.GET, programmes=programmes)
    if not form.is_valid():
        messages.error(request, _("Bitte prüfen Sie die Filter."))
        return redirect("reporting:reports")
    chosen = form.cleaned_data["programme"]
    file_format = form.cleaned_data["format"]
    scope = [chosen] if chosen else list(programmes)
    year = form.cleaned_data["year"]
    register_filters = form.register_filters() if name == "register" else None
    if register_filters is not None:
        count = selectors.register_queryset([p.pk for p in scope], register_filters).count()
        if count >= services.background_threshold():
            run = services.report_run_request(
                actor=request.user,
                report=name,
                file_format=file_format,
                params={**register_filters.as_dict(), "year": year},
                filter_labels=reports.filter_labels(
                    scope,
                    all_programmes=chosen is None,
                    year=year,
                    register_filters=register_filters,
                ),
                rows_total=count,
            )
            return redirect("reporting:run", run_id=run.pk)
    now = timezone.now()
    report = reports.build(
        name,
        programmes=scope,
        all_programmes=chosen is None,
        actor=request.user,
        year=year,
        register_filters=register_filters,
        at=now,
    )
    # xlsx is a zip and cannot stream before it is complete; a temporary file keeps memory flat.
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    writers.write(report, file_format, target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=reports.filename(name, file_format, now),
        content_type=writers.CONTENT_TYPES[file_format],
    )


def _get_run(request: AuthenticatedHttpRequest, run_id: int) -> ReportRun:
    _finance_programmes(request)
    # A background report is the personal download of whoever asked for it.
    return get_object_or_404(ReportRun, pk=run_id, requested_by=request.user)


@login_required
@require_GET
def run_detail(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = _get_run(request, run_id)
    context = {"run": run, "title": reports.REPORTS.get(run.report, run.report)}
    if request.headers.get("HX-Request"):
        # 286 tells htmx to stop polling: the run will not change any more.
        status = 286 if run.finished else 200
        return render(request, "reporting/_run_status.html", context, status=status)
    return render(request, "reporting/run.html", context)


@login_required
@require_GET
def run_download(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = _get_run(request, run_id)
    if run.batch_id:
        return redirect("reporting:batch_download", batch_id=run.batch_id)
    if run.state != ReportRun.State.DONE or not run.file:
        raise Http404
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=reports.filename(run.report, run.file_format, run.created_at),
        content_type=writers.CONTENT_TYPES[run.file_format],
    )
