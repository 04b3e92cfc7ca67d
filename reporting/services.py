"""Use cases of finance: export the payout order list, export it again, mark payouts paid.

The export works set-wise, because a list may hold 100,000 payouts: one conditional UPDATE
claims every ordered payout of the user's programmes (``state = 'ordered'`` is re-checked by
the database under the row lock, so two exports running at once never take the same payout),
and ``INSERT … SELECT`` statements write the batch items, the status changes and the domain
events. The number of queries does not depend on the number of payouts. The result is the
same as calling ``grants.services.payout_mark_exported`` for each payout, except that the
in-process subscribers of ``grants.events`` are not called: that service writes its events
with ``announce=False`` and nobody is told about an export.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import connection, models, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import ActionRefused, ChangedMeanwhile, NotPermitted, RuleViolated
from grants.models import (
    FINANCE,
    DomainEvent,
    Payout,
    Programme,
    StatusChange,
)
from grants.services.payouts import payout_mark_paid
from reporting import reports, selectors, writers
from reporting.models import ExportBatch, ExportBatchItem, ExportFormat, ReportRun
from reporting.tasks import run_report

logger = logging.getLogger(__name__)


def _insert_select(
    model: type[models.Model], columns: dict[str, Any], queryset: models.QuerySet
) -> int:
    """``INSERT INTO model (columns) SELECT <expressions> FROM queryset``; returns the count.

    Django has no INSERT … SELECT; the SELECT is compiled by the ORM (so filters, joins and
    value adaptation are the backend's own) and only the INSERT head is written here.
    """
    aliases = [f"c{i}" for i in range(len(columns))]
    select = queryset.order_by().values(
        **{alias: expression for alias, expression in zip(aliases, columns.values(), strict=True)}
    )
    if list(select.query.annotation_select) != aliases or select.query.select:
        raise AssertionError("INSERT … SELECT columns are not in the expected order")
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


def _finance_ids_or_refuse(actor: User, needed: set[int] | None = None) -> set[int]:
    allowed = selectors.finance_programme_ids(actor)
    if not allowed or (needed is not None and not needed <= allowed):
        raise NotPermitted(FINANCE.refusal)
    return allowed


def _filter_labels(programme: Programme | None, fiscal_year: int | None) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    filters[_("Programm")] = programme.code if programme else _("alle zuständigen Programme")
    if fiscal_year:
        filters[_("Haushaltsjahr")] = fiscal_year
    return filters


def _complete(batch: ExportBatch) -> ExportBatch:
    """Counts, sums and writes the file of a batch whose items are in place."""
    figures = ExportBatchItem.objects.filter(batch=batch).aggregate(
        n=Count("pk"), cents=selectors.money_sum("payout__amount")
    )
    batch.row_count, batch.total_amount = figures["n"], selectors.from_cents(figures["cents"])
    with tempfile.TemporaryFile() as tmp:
        result = writers.write(reports.payout_order_report(batch), batch.file_format, tmp)
        (written,) = result.tables[0].totals.values()  # the one total: Betrag
        # The file must say exactly what the database says, to the cent.
        if result.rows != batch.row_count or written != batch.total_amount:
            raise AssertionError(f"export file differs from database: {result} vs {figures}")
        tmp.seek(0)
        batch.file.save(batch.filename, File(tmp), save=False)
    batch.save(update_fields=["row_count", "total_amount", "file"])
    return batch


def _audit_data(batch: ExportBatch, **extra: Any) -> dict[str, Any]:
    return {"batch": Value(batch.reference), "batch_id": Value(batch.pk), **extra}


@transaction.atomic
def payout_orders_export(
    *,
    actor: User,
    programme: Programme | None = None,
    fiscal_year: int | None = None,
    file_format: str = ExportFormat.XLSX,
) -> ExportBatch:
    """Auszahlungsanordnung: every ordered payout of ``programme`` (or of all programmes the
    actor does finance for) goes into a new batch and is marked exported, all or nothing."""
    allowed = _finance_ids_or_refuse(actor, {programme.pk} if programme else None)
    ids = sorted({programme.pk} if programme else allowed)
    now = timezone.now()
    batch = ExportBatch.objects.create(
        kind=ExportBatch.Kind.FIRST,
        created_by=actor,
        created_at=now,
        programme=programme,
        filters=_filter_labels(programme, fiscal_year),
        file_format=file_format,
    )
    in_scope = Payout.objects.filter(programme_id__in=ids)
    if fiscal_year:
        in_scope = in_scope.filter(fiscal_year=fiscal_year)
    claimed = in_scope.filter(state=Payout.State.ORDERED).update(
        state=Payout.State.EXPORTED, exported_at=now
    )
    if not claimed:
        raise RuleViolated(_("Es liegen keine angeordneten Auszahlungen zum Export vor."))
    # ``exported_at = now`` marks what this transaction claimed (the scope need not be
    # repeated, which keeps the plan simple); the partial unique index on first exports would
    # refuse a payout that somehow got here twice.
    items = _insert_select(
        ExportBatchItem,
        {"batch": Value(batch.pk), "payout": F("pk"), "first_export": Value(True)},
        Payout.objects.filter(state=Payout.State.EXPORTED, exported_at=now),
    )
    if items != claimed:
        raise ChangedMeanwhile(
            _("Die Auszahlungen wurden während des Exports geändert. Bitte erneut versuchen.")
        )
    batch_items = ExportBatchItem.objects.filter(batch=batch)
    data = JSONObject(**_audit_data(batch))
    _insert_select(
        StatusChange,
        {
            "application": F("payout__application_id"),
            "payout": F("payout_id"),
            "lifecycle": Value(StatusChange.Lifecycle.PAYOUT.value),
            "transition": Value("mark_exported"),
            "source_state": Value(Payout.State.ORDERED.value),
            "target_state": Value(Payout.State.EXPORTED.value),
            "actor": Value(actor.pk),
            "created_at": Value(now, output_field=models.DateTimeField()),
            "reason": Value(""),
            "data": data,
        },
        batch_items,
    )
    _insert_select(
        DomainEvent,
        {
            "name": Value(f"{StatusChange.Lifecycle.PAYOUT.value}.mark_exported"),
            "application": F("application_id"),
            "status_change": F("pk"),
            "actor": F("actor_id"),
            "payload": JSONObject(
                object_id=F("payout_id"),
                source=Value(Payout.State.ORDERED.value),
                target=Value(Payout.State.EXPORTED.value),
                **_audit_data(batch),
            ),
            "announce": Value(False),
            "created_at": Value(now, output_field=models.DateTimeField()),
        },
        StatusChange.objects.filter(
            transition="mark_exported", created_at=now, payout__export_items__batch=batch
        ),
    )
    batch.programmes.set(
        Payout.objects.filter(export_items__batch=batch)
        .order_by()  # the default ordering would enter the DISTINCT
        .values_list("programme_id", flat=True)
        .distinct()
    )
    return _complete(batch)


@transaction.atomic
def payout_orders_reexport(
    *, actor: User, batch: ExportBatch, reason: str, file_format: str | None = None
) -> ExportBatch:
    """Hands the payouts of ``batch`` to the cash office once more (e.g. the file was lost),
    as a new batch that names the original and the reason; logged for every payout."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolated(_("Bitte begründen Sie, warum der Stapel erneut exportiert wird."))
    covered = set(batch.programmes.values_list("pk", flat=True))
    _finance_ids_or_refuse(actor, covered)
    now = timezone.now()
    again = ExportBatch.objects.create(
        kind=ExportBatch.Kind.REEXPORT,
        created_by=actor,
        created_at=now,
        programme=batch.programme,
        filters={**batch.filters, _("Ursprünglicher Stapel"): batch.reference},
        file_format=file_format or batch.file_format,
        original=batch,
        reason=reason,
    )
    again.programmes.set(covered)
    _insert_select(
        ExportBatchItem,
        {"batch": Value(again.pk), "payout": F("payout_id"), "first_export": Value(False)},
        ExportBatchItem.objects.filter(batch=batch),
    )
    _insert_select(
        StatusChange,
        {
            "application": F("payout__application_id"),
            "payout": F("payout_id"),
            "lifecycle": Value(StatusChange.Lifecycle.PAYOUT.value),
            "transition": Value("reexport"),
            "source_state": F("payout__state"),
            "target_state": F("payout__state"),
            "actor": Value(actor.pk),
            "created_at": Value(now, output_field=models.DateTimeField()),
            "reason": Value(reason),
            "data": JSONObject(**_audit_data(again, original_batch=Value(batch.reference))),
        },
        ExportBatchItem.objects.filter(batch=again),
    )
    return _complete(again)


@transaction.atomic
def batch_mark_paid(*, actor: User, batch: ExportBatch, paid_on: dt.date) -> int:
    """The cash office has paid the whole batch: each payout still waiting is marked paid
    through the grant service (with its checks, audit record and announcement)."""
    _finance_ids_or_refuse(actor, set(batch.programmes.values_list("pk", flat=True)))
    payouts = Payout.objects.filter(
        export_items__batch=batch, state=Payout.State.EXPORTED
    ).select_related("application")
    count = 0
    for payout in payouts:
        payout_mark_paid(payout=payout, actor=actor, paid_on=paid_on)
        count += 1
    return count


# --- long exports in the background -------------------------------------------------------


def background_threshold() -> int:
    """From this many rows on, an export runs as a background task with a progress page."""
    return getattr(settings, "REPORTING_BACKGROUND_ROWS", 5000)


@transaction.atomic
def report_run_request(
    *,
    actor: User,
    report: str,
    file_format: str,
    params: dict[str, Any],
    filter_labels: dict[str, Any],
    rows_total: int | None = None,
) -> ReportRun:
    """Queues a report (or the payout order export) for the task worker. The task row is
    written in this transaction: a rollback leaves neither run nor task behind."""
    _finance_ids_or_refuse(actor)
    if report not in reports.REPORTS:
        raise RuleViolated(_("Unbekannter Bericht."))
    run = ReportRun.objects.create(
        report=report,
        file_format=file_format,
        params=params,
        filter_labels=filter_labels,
        requested_by=actor,
        rows_total=rows_total,
    )
    run_report.enqueue(run_id=run.pk)
    return run


def report_run_execute(*, run_id: int) -> str:
    """Runs a queued report once: the conditional UPDATE lets only one worker claim it."""
    claimed = ReportRun.objects.filter(pk=run_id, state=ReportRun.State.QUEUED).update(
        state=ReportRun.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    run = ReportRun.objects.select_related("requested_by").get(pk=run_id)
    try:
        if run.report == "payout-orders":
            _execute_payout_orders(run)
        else:
            _execute_report(run)
    except ActionRefused as exc:
        run.state, run.error = ReportRun.State.FAILED, str(exc)
    except Exception:
        logger.exception("report run %s failed", run_id)
        run.state = ReportRun.State.FAILED
        run.error = _("Der Bericht konnte wegen eines technischen Fehlers nicht erstellt werden.")
    else:
        run.state = ReportRun.State.DONE
    run.finished_at = timezone.now()
    run.save(
        update_fields=["state", "error", "finished_at", "file", "batch", "rows_done", "rows_total"]
    )
    return run.state


def _execute_payout_orders(run: ReportRun) -> None:
    programme_id = run.params.get("programme_id")
    batch = payout_orders_export(
        actor=run.requested_by,
        programme=Programme.objects.get(pk=programme_id) if programme_id else None,
        fiscal_year=run.params.get("fiscal_year"),
        file_format=run.file_format,
    )
    run.batch = batch
    run.rows_total = run.rows_done = batch.row_count


def _execute_report(run: ReportRun) -> None:
    # Rights are checked again when the task runs: a role may have ended meanwhile.
    allowed = selectors.finance_programmes(run.requested_by)
    if not allowed.exists():
        raise NotPermitted(FINANCE.refusal)
    programme_id = run.params.get("programme_id")
    programmes = list(allowed.filter(pk=programme_id) if programme_id else allowed)
    if not programmes:
        raise NotPermitted(FINANCE.refusal)
    names = {f.name for f in dataclasses.fields(selectors.RegisterFilters)}
    register_filters = selectors.RegisterFilters(
        **{k: v for k, v in run.params.items() if k in names}
    )
    report = reports.build(
        run.report,
        programmes=programmes,
        all_programmes=not programme_id,
        actor=run.requested_by,
        year=run.params.get("year"),
        register_filters=register_filters if run.report == "register" else None,
    )

    def progress(done: int) -> None:
        ReportRun.objects.filter(pk=run.pk).update(rows_done=done)

    with tempfile.TemporaryFile() as tmp:
        result = writers.write(report, run.file_format, tmp, progress)
        tmp.seek(0)
        run.file.save(reports.filename(run.report, run.file_format), File(tmp), save=False)
    run.rows_done = result.rows
    run.rows_total = run.rows_total or result.rows
