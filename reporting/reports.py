"""The reports: their columns (German headers, as finance names them) and their rows.

Each function returns a :class:`~reporting.writers.Report` whose rows are generators over one
query (``values_list(...).iterator()``), so that files of any length stream with a fixed
number of queries. Which programmes a report covers is decided by the caller (views check the
user's finance role, the command names a programme or takes all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import ApplicantKind, User
from grants.models import ApplicationState, Area, Call, FieldOfAction, Payout, Programme
from reporting import selectors
from reporting.models import ExportBatch, ExportBatchItem
from reporting.writers import Column, Kind, Report, Table

CHUNK = 2000

REPORTS = {
    "payout-orders": gettext_lazy("Auszahlungsanordnung"),
    "budget": gettext_lazy("Budgetbericht"),
    "register": gettext_lazy("Antragsregister"),
    "statistics": gettext_lazy("Statistik"),
}


def person(first: str | None, last: str | None, email: str | None) -> str:
    name = f"{first or ''} {last or ''}".strip()
    return name or (email or "")


def _protocol(
    title: str, actor: User | None, at: dt.datetime, filters: dict[str, Any]
) -> list[tuple[str, Any]]:
    lines: list[tuple[str, Any]] = [
        (_("Bericht"), title),
        (_("Erstellt von"), str(actor) if actor else _("System (Befehl ohne Benutzer*in)")),
        (_("Erstellt am"), at),
    ]
    if not filters:
        lines.append((_("Filter"), _("keine")))
    for label, value in filters.items():
        lines.append((_("Filter: %(name)s") % {"name": label}, value))
    return lines


# --- payout order list ----------------------------------------------------------------------


def payout_order_columns() -> list[Column]:
    """The columns of domain.md §4, in the order the cash office books them."""
    return [
        Column(_("Haushaltsjahr"), Kind.INT, 12),
        Column(_("Teilhaushalt"), Kind.TEXT, 12),
        Column(_("Produkt"), Kind.TEXT, 12),
        Column(_("Sachkonto"), Kind.TEXT, 12),
        Column(_("Kostenstelle"), Kind.TEXT, 13),
        Column(_("Innenauftrag"), Kind.TEXT, 13),
        Column(_("Aktenzeichen"), Kind.TEXT, 17),
        Column(_("Zahlungsempfänger*in"), Kind.USER_TEXT, 32),
        Column(_("Anschrift"), Kind.USER_TEXT, 36),
        Column(_("Kreditorennummer"), Kind.TEXT, 16),
        Column(_("IBAN"), Kind.TEXT, 26),
        Column(_("BIC"), Kind.TEXT, 13),
        Column(_("Betrag"), Kind.MONEY, 15, total=True),
        Column(_("Fällig am"), Kind.DATE, 12),
        Column(_("Verwendungszweck"), Kind.USER_TEXT, 50),
        Column(_("Kassenzeichen"), Kind.TEXT, 16),
        Column(_("Zahlungsart"), Kind.TEXT, 17),
        Column(_("Sachlich und rechnerisch richtig von"), Kind.TEXT, 24),
        Column(_("Sachlich und rechnerisch richtig am"), Kind.DATE, 14),
        Column(_("Angeordnet von"), Kind.TEXT, 24),
        Column(_("Angeordnet am"), Kind.DATE, 14),
    ]


PAYOUT_ORDER_FIELDS = (
    "payout__fiscal_year",
    "payout__application__programme__teilhaushalt",
    "payout__application__programme__produkt",
    "payout__application__programme__sachkonto",
    "payout__application__programme__kostenstelle",
    "payout__application__programme__innenauftrag",
    "payout__application__file_number",
    # The account is the payout's own, the one certified and ordered (never the
    # organisation's current one, which may have changed since).
    "payout__payee_name",
    "payout__application__applicant__street",
    "payout__application__applicant__postal_code",
    "payout__application__applicant__city",
    "payout__application__applicant__creditor_number",
    "payout__payee_iban",
    "payout__payee_bic",
    "payout__amount",
    "payout__due_date",
    "payout__payment_reference",
    "payout__kassenzeichen",
    "payout__kind",
    "payout__certified_by__first_name",
    "payout__certified_by__last_name",
    "payout__certified_by__email",
    "payout__certified_at",
    "payout__ordered_by__first_name",
    "payout__ordered_by__last_name",
    "payout__ordered_by__email",
    "payout__ordered_at",
)


def payout_order_rows(batch: ExportBatch) -> Iterator[tuple]:
    kinds = {value: str(label) for value, label in Payout.Kind.choices}
    rows = (
        ExportBatchItem.objects.filter(batch=batch)
        .order_by(
            "payout__application__programme__code",
            "payout__fiscal_year",
            "payout__due_date",
            "payout__id",
        )
        .values_list(*PAYOUT_ORDER_FIELDS)
    )
    # Looked up once: timezone.localdate() asks a context-local for the zone on every call.
    zone = timezone.get_current_timezone()
    for (
        year,
        teilhaushalt,
        produkt,
        sachkonto,
        kostenstelle,
        innenauftrag,
        file_number,
        payee,
        street,
        postal_code,
        city,
        creditor,
        iban,
        bic,
        amount,
        due,
        reference,
        kassenzeichen,
        kind,
        c_first,
        c_last,
        c_email,
        c_at,
        o_first,
        o_last,
        o_email,
        o_at,
    ) in rows.iterator(chunk_size=CHUNK):
        yield (
            year,
            teilhaushalt,
            produkt,
            sachkonto,
            kostenstelle,
            innenauftrag,
            file_number,
            payee,
            f"{street}, {postal_code} {city}",
            creditor,
            iban,
            bic,
            amount,
            due,
            reference,
            kassenzeichen,
            kinds.get(kind, kind),
            person(c_first, c_last, c_email),
            c_at.astimezone(zone).date() if c_at else None,
            person(o_first, o_last, o_email),
            o_at.astimezone(zone).date() if o_at else None,
        )


def payout_order_report(batch: ExportBatch) -> Report:
    title = str(REPORTS["payout-orders"])
    protocol = _protocol(title, batch.created_by, batch.created_at, batch.filters)
    protocol.append((_("Stapel"), batch.reference))
    protocol.append((_("Art des Exports"), batch.get_kind_display()))
    if batch.original_id:
        protocol.append((_("Ursprünglicher Stapel"), batch.original.reference))
        protocol.append((_("Begründung"), batch.reason))
    return Report(
        title=title,
        tables=[
            Table(
                title=title,
                columns=payout_order_columns(),
                rows=payout_order_rows(batch),
                totals_label=_("Summe"),
            )
        ],
        protocol=protocol,
    )


# --- budget report --------------------------------------------------------------------------


def _budget_columns(first: str, with_amount: bool) -> list[Column]:
    columns = [
        Column(_("Haushaltsjahr"), Kind.INT, 12),
        Column(_("Programm"), Kind.TEXT, 10),
        Column(_("Programmname"), Kind.TEXT, 30),
        Column(first, Kind.TEXT, 30),
    ]
    if with_amount:
        columns.append(Column(_("Ansatz"), Kind.MONEY, 16, total=True))
    columns += [
        Column(_("Gebunden"), Kind.MONEY, 16, total=with_amount),
        Column(_("Ausgezahlt"), Kind.MONEY, 16, total=with_amount),
        Column(_("Erstattet"), Kind.MONEY, 16, total=with_amount),
    ]
    if with_amount:
        columns.append(Column(_("Verfügbar"), Kind.MONEY, 16, total=True))
    return columns


def _budget_rows(lines: Sequence[selectors.BudgetLine], with_amount: bool) -> Iterator[tuple]:
    for line in lines:
        # A programme without Förderbereiche has one budget per year: "gesamt".
        label = line.label or _("gesamt")
        row: list[Any] = [line.fiscal_year, line.programme_code, line.programme_name, label]
        if with_amount:
            row.append(line.amount)
        row += [line.committed, line.paid, line.repaid]
        if with_amount:
            row.append(line.available)
        yield tuple(row)


def budget_report(
    programmes: Sequence[Programme],
    *,
    fiscal_year: int | None,
    actor: User | None,
    filters: dict[str, Any],
    at: dt.datetime | None = None,
) -> Report:
    ids = [p.pk for p in programmes]
    title = str(REPORTS["budget"])
    lines = selectors.budget_lines(ids, fiscal_year=fiscal_year)
    return Report(
        title=title,
        tables=[
            Table(
                _("Budget nach Förderbereich"),
                _budget_columns(_("Förderbereich"), with_amount=True),
                _budget_rows(lines, with_amount=True),
                totals_label=_("Summe"),
            ),
            # Applications may belong to several fields of action or areas and count in each:
            # these tables have no totals row on purpose.
            Table(
                _("nach Handlungsfeld"),
                _budget_columns(_("Handlungsfeld"), with_amount=False),
                _budget_rows(
                    selectors.budget_breakdown(ids, "fields_of_action", fiscal_year=fiscal_year),
                    with_amount=False,
                ),
            ),
            Table(
                _("nach Gebiet"),
                _budget_columns(_("Gebiet"), with_amount=False),
                _budget_rows(
                    selectors.budget_breakdown(ids, "areas", fiscal_year=fiscal_year),
                    with_amount=False,
                ),
            ),
        ],
        protocol=[
            *_protocol(title, actor, at or timezone.now(), filters),
            (
                _("Hinweis"),
                _(
                    "Anträge mit mehreren Handlungsfeldern oder Gebieten zählen in jedem davon; "
                    "diese Tabellen werden daher nicht summiert."
                ),
            ),
        ],
    )


# --- application register -------------------------------------------------------------------


def register_columns() -> list[Column]:
    return [
        Column(_("Aktenzeichen"), Kind.TEXT, 17),
        Column(_("Programm"), Kind.TEXT, 10),
        Column(_("Förderaufruf"), Kind.TEXT, 24),
        Column(_("Förderbereich"), Kind.TEXT, 16),
        Column(_("Projekttitel"), Kind.USER_TEXT, 40),
        Column(_("Antragsteller*in"), Kind.USER_TEXT, 32),
        Column(_("Art der Antragsteller*in"), Kind.TEXT, 22),
        Column(_("Status"), Kind.TEXT, 24),
        Column(_("Eingereicht am"), Kind.DATE, 14),
        Column(_("Handlungsfelder"), Kind.TEXT, 28),
        Column(_("Gebiete"), Kind.TEXT, 22),
        Column(_("Zielgruppen"), Kind.TEXT, 22),
        Column(_("Projektbeginn"), Kind.DATE, 13),
        Column(_("Projektende"), Kind.DATE, 13),
        Column(_("Beantragt"), Kind.MONEY, 15, total=True),
        Column(_("Bewilligt"), Kind.MONEY, 15, total=True),
        Column(_("Ausgezahlt"), Kind.MONEY, 15, total=True),
        Column(_("Entschieden am"), Kind.DATE, 14),
    ]


def register_rows(programme_ids: Sequence[int], filters: selectors.RegisterFilters) -> Iterator:
    applications = selectors.register_queryset(programme_ids, filters)
    related = {
        name: selectors.m2m_names(applications, name)
        for name in ("fields_of_action", "areas", "target_groups")
    }
    states = {value: str(label) for value, label in ApplicationState.choices}
    kinds = {value: str(label) for value, label in ApplicantKind.choices}
    rows = selectors.application_figures(applications).order_by("submitted_at", "pk")
    for row in rows.iterator(chunk_size=CHUNK):
        pk = row["pk"]
        yield (
            row["file_number"],
            row["programme__code"],
            row["call__title"],
            row["funding_area__name"],
            row["title"],
            row["applicant__name"],
            kinds.get(row["applicant__kind"], row["applicant__kind"]),
            states.get(row["state"], row["state"]),
            row["submitted_at"],
            ", ".join(related["fields_of_action"].get(pk, [])),
            ", ".join(related["areas"].get(pk, [])),
            ", ".join(related["target_groups"].get(pk, [])),
            row["start_date"],
            row["end_date"],
            selectors.from_cents(row["requested_cents"]),
            row["approved_amount"],
            selectors.from_cents(row["paid_cents"]),
            row["decided_at"],
        )


def register_report(
    programmes: Sequence[Programme],
    *,
    filters: selectors.RegisterFilters,
    actor: User | None,
    filter_labels: dict[str, Any],
    at: dt.datetime | None = None,
) -> Report:
    title = str(REPORTS["register"])
    return Report(
        title=title,
        tables=[
            Table(
                title,
                register_columns(),
                register_rows([p.pk for p in programmes], filters),
                totals_label=_("Summe"),
            )
        ],
        protocol=_protocol(title, actor, at or timezone.now(), filter_labels),
    )


# --- statistics for council reports ---------------------------------------------------------

STATISTICS_TABLES = {
    "state": (gettext_lazy("nach Status"), gettext_lazy("Status")),
    "fields_of_action": (gettext_lazy("nach Handlungsfeld"), gettext_lazy("Handlungsfeld")),
    "areas": (gettext_lazy("nach Gebiet"), gettext_lazy("Gebiet")),
    "target_groups": (gettext_lazy("nach Zielgruppe"), gettext_lazy("Zielgruppe")),
    "applicant_kind": (
        gettext_lazy("nach Art der Antragsteller"),
        gettext_lazy("Art der Antragsteller*in"),
    ),
}


def statistics_report(
    programmes: Sequence[Programme],
    *,
    year: int | None,
    actor: User | None,
    filters: dict[str, Any],
    at: dt.datetime | None = None,
) -> Report:
    title = str(REPORTS["statistics"])
    figures = selectors.statistics([p.pk for p in programmes], year=year)
    tables = []
    for dimension, (table_title, header) in STATISTICS_TABLES.items():
        cells = figures.by[dimension]
        # Only the state and the applicant kind are exclusive, so only they add up.
        exclusive = dimension in ("state", "applicant_kind")
        tables.append(
            Table(
                str(table_title),
                [
                    Column(_("Jahr der Einreichung"), Kind.INT, 12),
                    Column(str(header), Kind.TEXT, 34),
                    Column(_("Anzahl Anträge"), Kind.INT, 14, total=exclusive),
                    Column(_("Beantragt"), Kind.MONEY, 16, total=exclusive),
                    Column(_("Bewilligt"), Kind.MONEY, 16, total=exclusive),
                    Column(_("Ausgezahlt"), Kind.MONEY, 16, total=exclusive),
                ],
                [
                    (y, label, c.count, c.requested, c.approved, c.paid)
                    for (y, label), c in sorted(
                        cells.items(), key=lambda item: (-(item[0][0] or 0), item[0][1])
                    )
                ],
                totals_label=_("Summe") if exclusive else None,
            )
        )
    return Report(
        title=title,
        tables=tables,
        protocol=[
            *_protocol(title, actor, at or timezone.now(), filters),
            (
                _("Hinweis"),
                _(
                    "Anträge mit mehreren Handlungsfeldern, Gebieten oder Zielgruppen zählen "
                    "in jeder davon; diese Tabellen werden nicht summiert."
                ),
            ),
        ],
    )


# --- one entry point for views, command and background task --------------------------------


def filter_labels(
    programmes: Sequence[Programme],
    *,
    all_programmes: bool,
    year: int | None,
    register_filters: selectors.RegisterFilters | None = None,
) -> dict[str, Any]:
    """The filters as a reader of the protocol sheet understands them."""
    labels: dict[str, Any] = {
        _("Programm"): _("alle zuständigen Programme")
        if all_programmes
        else ", ".join(p.code for p in programmes)
    }
    if year:
        labels[_("Jahr")] = year
    f = register_filters
    if f is not None:
        if f.call_id:
            labels[_("Förderaufruf")] = str(Call.objects.filter(pk=f.call_id).first() or f.call_id)
        if f.state:
            labels[_("Status")] = str(dict(ApplicationState.choices).get(f.state, f.state))
        if f.field_of_action_id:
            item = FieldOfAction.objects.filter(pk=f.field_of_action_id).first()
            labels[_("Handlungsfeld")] = str(item or f.field_of_action_id)
        if f.area_id:
            labels[_("Gebiet")] = str(Area.objects.filter(pk=f.area_id).first() or f.area_id)
    return labels


def build(
    name: str,
    *,
    programmes: Sequence[Programme],
    all_programmes: bool,
    actor: User | None,
    year: int | None = None,
    register_filters: selectors.RegisterFilters | None = None,
    at: dt.datetime | None = None,
) -> Report:
    """Budget report, register or statistics for ``programmes`` (already checked)."""
    if name == "register":
        register_filters = register_filters or selectors.RegisterFilters()
        register_filters.year = register_filters.year or year
        labels = filter_labels(
            programmes,
            all_programmes=all_programmes,
            year=register_filters.year,
            register_filters=register_filters,
        )
        return register_report(
            programmes, filters=register_filters, actor=actor, filter_labels=labels, at=at
        )
    labels = filter_labels(programmes, all_programmes=all_programmes, year=year)
    if name == "budget":
        return budget_report(programmes, fiscal_year=year, actor=actor, filters=labels, at=at)
    if name == "statistics":
        return statistics_report(programmes, year=year, actor=actor, filters=labels, at=at)
    raise ValueError(f"unknown report {name!r}")


def filename(name: str, file_format: str, at: dt.datetime | None = None) -> str:
    at = timezone.localtime(at or timezone.now())
    return f"{name}-{at:%Y-%m-%d-%H%M}.{file_format}"
