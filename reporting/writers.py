"""One way to write every report: tables of typed columns, streamed to xlsx or CSV.

A :class:`Report` is a list of :class:`Table` s whose rows are iterators (usually straight from
``QuerySet.iterator()``), so a file of 100,000 rows never sits in memory. Both writers know the
column kinds, keep running totals as ``Decimal`` and return them, so totals are values, never
formulas (finance importers read files without calculating; see ../shared/tech-notes.md).

Excel: write-only openpyxl; frozen header and column widths are set before the first row
(later they are silently dropped), autofilter over header and data, totals row below it, and a
sheet "Protokoll" with who exported what, when, and with which filters. Text typed by applicants
is always a string cell, so ``=HYPERLINK(...)`` stays text.

CSV: semicolon, UTF-8 with BOM (Excel then guesses the encoding right), decimal comma, dates as
DD.MM.YYYY. Several tables follow each other, separated by an empty line. Applicant text that
starts like a formula is prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

EURO_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# Characters XML 1.0 cannot carry; openpyxl would refuse the whole file for one of them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    TEXT = "text"  # our own values: codes, labels, names of staff
    USER_TEXT = "user_text"  # typed by applicants: never a formula, whatever it starts with
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    INT = "int"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float = 14
    total: bool = False


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    totals_label: str | None = None  # None: no totals row (e.g. overlapping categories)


@dataclass
class Report:
    title: str
    tables: list[Table]
    # (label, value) lines of the sheet "Protokoll": who, when, which filters.
    protocol: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class TableResult:
    title: str
    rows: int
    totals: dict[str, Decimal | int]


@dataclass
class WriteResult:
    tables: list[TableResult]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


Progress = Callable[[int], None]
PROGRESS_EVERY = 1000


def _counted(
    rows: Iterable[Sequence[Any]], progress: Progress | None, done: list[int]
) -> Iterable[Sequence[Any]]:
    """The rows, reporting every PROGRESS_EVERY rows how many were written (if asked)."""
    return rows if progress is None else _counting(rows, progress, done)


def _counting(rows: Iterable[Sequence[Any]], progress: Progress, done: list[int]):
    for row in rows:
        yield row
        done[0] += 1
        if done[0] % PROGRESS_EVERY == 0:
            progress(done[0])


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return _local(value).date() if isinstance(value, dt.datetime) else value


def _clean_text(value: Any) -> str:
    return _ILLEGAL_XML.sub("", str(value))


def _kind_of(value: Any) -> Kind:
    if isinstance(value, Decimal):
        return Kind.MONEY
    if isinstance(value, dt.datetime):
        return Kind.DATETIME
    if isinstance(value, dt.date):
        return Kind.DATE
    if isinstance(value, int):
        return Kind.INT
    return Kind.TEXT


class _Totals:
    def __init__(self, columns: Sequence[Column]) -> None:
        self.indexes = [i for i, c in enumerate(columns) if c.total]
        self.sums: dict[int, Decimal | int] = {
            i: 0 if columns[i].kind is Kind.INT else Decimal("0.00") for i in self.indexes
        }

    def add(self, row: Sequence[Any]) -> None:
        for i in self.indexes:
            value = row[i]
            if value is not None:
                self.sums[i] += value

    def result(self, columns: Sequence[Column]) -> dict[str, Decimal | int]:
        return {columns[i].header: total for i, total in self.sums.items()}


# --- Excel ----------------------------------------------------------------------------------


class _XlsxCells:
    """Turns plain values into what ``WriteOnlyWorksheet.append`` needs, per column kind."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.bold = Font(bold=True)

    def converter(self, kind: Kind) -> Callable[[Any], Any]:
        ws = self.ws

        if kind is Kind.MONEY:

            def money(value: Any) -> Any:
                if value is None:
                    return None
                cell = WriteOnlyCell(ws, value)
                cell.number_format = EURO_FORMAT
                return cell

            return money
        if kind is Kind.DATE:

            def date(value: Any) -> Any:
                if value is None:
                    return None
                cell = WriteOnlyCell(ws, _as_date(value))
                cell.number_format = DATE_FORMAT
                return cell

            return date
        if kind is Kind.DATETIME:

            def datetime(value: Any) -> Any:
                if value is None:
                    return None
                cell = WriteOnlyCell(ws, _local(value))
                cell.number_format = DATETIME_FORMAT
                return cell

            return datetime
        if kind is Kind.USER_TEXT:

            def user_text(value: Any) -> Any:
                if value is None or value == "":
                    return None
                cell = WriteOnlyCell(ws, _clean_text(value))
                cell.data_type = "s"  # openpyxl would turn a leading "=" into a formula
                return cell

            return user_text
        if kind is Kind.TEXT:

            def text(value: Any) -> Any:
                if value is None or value == "":
                    return None
                value = _clean_text(value)
                if value.startswith("="):
                    cell = WriteOnlyCell(ws, value)
                    cell.data_type = "s"
                    return cell
                return value

            return text
        return lambda value: value

    def bold_cell(self, value: Any, number_format: str | None = None) -> Any:
        cell = WriteOnlyCell(self.ws, value)
        if isinstance(value, str):
            cell.data_type = "s"
        cell.font = self.bold
        if number_format:
            cell.number_format = number_format
        return cell


def _sheet_title(title: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Tabelle"
    candidate, n = title, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = title[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def write_xlsx(report: Report, target: IO[bytes], progress: Progress | None = None) -> WriteResult:
    workbook = Workbook(write_only=True)
    done = [0]
    results: list[TableResult] = []
    titles: set[str] = set()
    for table in report.tables:
        ws = workbook.create_sheet(_sheet_title(table.title, titles))
        cells = _XlsxCells(ws)
        columns = table.columns
        # In write-only mode these must be set before the first append, or they are lost.
        ws.freeze_panes = "A2"
        for index, column in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.append([cells.bold_cell(c.header) for c in columns])

        convert = [cells.converter(c.kind) for c in columns]
        totals = _Totals(columns)
        count = 0
        for row in _counted(table.rows, progress, done):
            ws.append([f(v) for f, v in zip(convert, row, strict=True)])
            totals.add(row)
            count += 1
        last_column = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A1:{last_column}{count + 1}"
        if table.totals_label is not None:
            line: list[Any] = [None] * len(columns)
            line[0] = cells.bold_cell(table.totals_label)
            for i, total in totals.sums.items():
                money = columns[i].kind is Kind.MONEY
                line[i] = cells.bold_cell(total, EURO_FORMAT if money else None)
            ws.append(line)
        results.append(TableResult(table.title, count, totals.result(columns)))

    result = WriteResult(results)
    _write_protocol_sheet(workbook, report, result, titles)
    workbook.save(target)
    return result


def protocol_lines(report: Report, result: WriteResult) -> list[tuple[str, Any]]:
    lines = list(report.protocol)
    for table in result.tables:
        prefix = f"{table.title}: " if len(result.tables) > 1 else ""
        lines.append((prefix + _("Anzahl Zeilen"), table.rows))
        for header, total in table.totals.items():
            lines.append((prefix + _("Summe %(column)s") % {"column": header}, total))
    return lines


def _write_protocol_sheet(
    workbook: Workbook, report: Report, result: WriteResult, titles: set[str]
) -> None:
    ws = workbook.create_sheet(_sheet_title(_("Protokoll"), titles))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    cells = _XlsxCells(ws)
    ws.append([cells.bold_cell(_("Angabe")), cells.bold_cell(_("Wert"))])
    for label, value in protocol_lines(report, result):
        # Filter values may echo what someone typed: write everything as text or typed value.
        kind = _kind_of(value)
        ws.append(
            [
                cells.bold_cell(label),
                cells.converter(kind if kind != Kind.TEXT else Kind.USER_TEXT)(value),
            ]
        )


# --- CSV ------------------------------------------------------------------------------------


def _csv_converter(kind: Kind) -> Callable[[Any], str]:
    if kind is Kind.MONEY:
        return lambda v: "" if v is None else f"{v:.2f}".replace(".", ",")
    if kind is Kind.DATE:
        return lambda v: "" if v is None else f"{_as_date(v):%d.%m.%Y}"
    if kind is Kind.DATETIME:
        return lambda v: "" if v is None else f"{_local(v):%d.%m.%Y %H:%M}"
    if kind is Kind.USER_TEXT:

        def user_text(value: Any) -> str:
            if value is None:
                return ""
            value = _clean_text(value)
            return "'" + value if value.startswith(_CSV_FORMULA_START) else value

        return user_text
    if kind is Kind.TEXT:
        return lambda v: "" if v is None else _clean_text(v)
    return lambda v: "" if v is None else str(v)


def write_csv(report: Report, target: IO[bytes], progress: Progress | None = None) -> WriteResult:
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    results: list[TableResult] = []
    done = [0]
    for position, table in enumerate(report.tables):
        if position:
            writer.writerow([])
        columns = table.columns
        writer.writerow([c.header for c in columns])
        convert = [_csv_converter(c.kind) for c in columns]
        totals = _Totals(columns)
        count = 0
        for row in _counted(table.rows, progress, done):
            writer.writerow([f(v) for f, v in zip(convert, row, strict=True)])
            totals.add(row)
            count += 1
        if table.totals_label is not None:
            line = [""] * len(columns)
            line[0] = table.totals_label
            for i, total in totals.sums.items():
                line[i] = convert[i](total)
            writer.writerow(line)
        results.append(TableResult(table.title, count, totals.result(columns)))
    text.flush()
    text.detach()  # leave ``target`` open for the caller
    return WriteResult(results)


WRITERS: dict[str, Callable[..., WriteResult]] = {
    "xlsx": write_xlsx,
    "csv": write_csv,
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def write(
    report: Report, file_format: str, target: IO[bytes], progress: Progress | None = None
) -> WriteResult:
    return WRITERS[file_format](report, target, progress)
