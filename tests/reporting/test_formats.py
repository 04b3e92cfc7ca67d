"""The files as finance opens them: read back with python-calamine (an independent reader)
and openpyxl (for the number formats and the sheet setup)."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from applicants.models import Applicant
from grants.models import Application
from reporting import reports, services, writers
from reporting.selectors import RegisterFilters
from reporting.writers import Column, Kind, Report, Table
from tests.reporting.conftest import ordered_payout, running_application

FORMULA = '=HYPERLINK("https://example.org/boese","Klick mich")'

HEADERS = [
    "Haushaltsjahr",
    "Teilhaushalt",
    "Produkt",
    "Sachkonto",
    "Kostenstelle",
    "Innenauftrag",
    "Aktenzeichen",
    "Zahlungsempfänger*in",
    "Anschrift",
    "Kreditorennummer",
    "IBAN",
    "BIC",
    "Betrag",
    "Fällig am",
    "Verwendungszweck",
    "Kassenzeichen",
    "Zahlungsart",
    "Sachlich und rechnerisch richtig von",
    "Sachlich und rechnerisch richtig am",
    "Angeordnet von",
    "Angeordnet am",
]


def _exported(world, file_format="xlsx"):
    app = running_application(world)
    Applicant.objects.filter(pk=app.applicant_id).update(
        name=FORMULA, account_holder=FORMULA, creditor_number="4711"
    )
    ordered_payout(app, world, Decimal("1234.56"))
    ordered_payout(app, world, Decimal("0.44"), kind="final")
    return app, services.payout_orders_export(actor=world.finance, file_format=file_format)


def test_xlsx_reads_back_with_headers_types_and_totals(world):
    app, batch = _exported(world)
    book = CalamineWorkbook.from_filelike(io.BytesIO(batch.file.read()))
    assert book.sheet_names == ["Auszahlungsanordnung", "Protokoll"]
    rows = book.get_sheet_by_name("Auszahlungsanordnung").to_python()

    assert rows[0] == HEADERS
    first, second, totals = rows[1], rows[2], rows[3]
    today = timezone.localdate()
    assert first[0] == today.year
    assert first[3] == "43180000"  # Sachkonto stays text: leading digits matter
    assert first[6] == app.file_number
    assert first[7] == FORMULA  # text, not a formula: a formula would read back empty
    assert first[9] == "4711"
    assert isinstance(first[12], float) and first[12] == 1234.56
    assert first[13] == today
    assert first[16] == "Abschlagszahlung"
    assert second[16] == "Schlusszahlung"
    assert first[18] == today and first[20] == today
    assert totals[0] == "Summe"
    assert totals[12] == 1235.0

    protocol = dict(row[:2] for row in book.get_sheet_by_name("Protokoll").to_python()[1:])
    assert protocol["Bericht"] == "Auszahlungsanordnung"
    assert world.finance.email in protocol["Erstellt von"]
    assert isinstance(protocol["Erstellt am"], dt.datetime)
    assert protocol["Filter: Programm"] == "alle zuständigen Programme"
    assert protocol["Stapel"] == batch.reference
    assert protocol["Anzahl Zeilen"] == 2
    assert protocol["Summe Betrag"] == 1235.0


def test_xlsx_has_euro_and_date_formats_frozen_header_filter_and_widths(world):
    _app, batch = _exported(world)
    book = load_workbook(io.BytesIO(batch.file.read()))
    sheet = book["Auszahlungsanordnung"]

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:U3"
    assert sheet.column_dimensions["H"].width == 32
    assert sheet["M2"].number_format == '#,##0.00 "€"'
    assert sheet["M2"].data_type == "n"
    assert sheet["N2"].number_format == "DD.MM.YYYY"
    assert sheet["N2"].is_date
    assert sheet["H2"].data_type == "s"
    assert sheet["H2"].value == FORMULA
    # The totals row holds values: importers that do not calculate see the sum.
    assert sheet["M4"].data_type == "n"
    assert Decimal(str(sheet["M4"].value)) == Decimal("1235.00")
    assert sheet["M4"].number_format == '#,##0.00 "€"'
    assert sheet["A1"].font.b


def test_csv_is_semicolon_utf8_bom_with_decimal_comma(world):
    _app, batch = _exported(world, file_format="csv")
    raw = batch.file.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    assert rows[1][12] == "1234,56"
    assert rows[2][12] == "0,44"
    assert rows[1][13] == timezone.localdate().strftime("%d.%m.%Y")
    assert rows[1][7] == "'" + FORMULA  # a spreadsheet opening the CSV shows it as text
    assert rows[1][3] == "43180000"
    assert rows[3][0] == "Summe" and rows[3][12] == "1235,00"
    assert batch.filename.endswith(".csv")


def test_register_keeps_a_formula_title_as_text(world):
    app = running_application(world)
    Application.objects.filter(pk=app.pk).update(title=FORMULA)
    report = reports.register_report(
        [world.programme], filters=RegisterFilters(), actor=world.finance, filter_labels={}
    )
    target = io.BytesIO()
    writers.write_xlsx(report, target)
    sheet = load_workbook(io.BytesIO(target.getvalue()))["Antragsregister"]
    assert sheet["E2"].value == FORMULA
    assert sheet["E2"].data_type == "s"


def _write(report: Report, file_format: str) -> bytes:
    target = io.BytesIO()
    writers.write(report, file_format, target)
    return target.getvalue()


def test_writer_cleans_characters_xml_cannot_carry_and_guards_all_text():
    report = Report(
        "Test",
        [
            Table(
                "Test",
                [
                    Column("Text", Kind.TEXT),
                    Column("Eingabe", Kind.USER_TEXT),
                    Column("Betrag", Kind.MONEY, total=True),
                ],
                [("=1+1", "Zeile\x0beins\x00", Decimal("-1.10")), (None, "", None)],
                totals_label="Summe",
            )
        ],
    )
    sheet = load_workbook(io.BytesIO(_write(report, "xlsx")))["Test"]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert sheet["B2"].value == "Zeileeins"
    assert sheet["C4"].value == -1.1
    rows = _write(report, "csv").decode("utf-8-sig").split("\r\n")
    assert rows == ["Text;Eingabe;Betrag", "=1+1;Zeileeins;-1,10", ";;", "Summe;;-1,10", ""]


def test_several_tables_become_sheets_or_csv_blocks():
    columns = [Column("Jahr", Kind.INT), Column("Anzahl", Kind.INT, total=True)]
    report = Report(
        "Statistik",
        [
            Table("nach Status", columns, [(2026, 2)], "Summe"),
            Table("nach Gebiet", columns, [(2026, 3)]),
        ],
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(_write(report, "xlsx")))
    assert book.sheet_names == ["nach Status", "nach Gebiet", "Protokoll"]
    assert book.get_sheet_by_name("nach Status").to_python() == [
        ["Jahr", "Anzahl"],
        [2026, 2],
        ["Summe", 2],
    ]
    text = _write(report, "csv").decode("utf-8-sig")
    assert text == "Jahr;Anzahl\r\n2026;2\r\nSumme;2\r\n\r\nJahr;Anzahl\r\n2026;3\r\n"
