"""Benchmark: the payout order list export against bare openpyxl writing the same file.

    .venv/bin/python bench/export.py --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_bench .venv/bin/python bench/export.py

Creates N ordered payouts in a fresh database (a temporary SQLite file, or a new
``test_<name>`` database on the server that DATABASE_URL names, dropped afterwards), bypassing
the services with ``bulk_create`` because only the export is measured. Then it times
``reporting.services.payout_orders_export`` (claim, audit trail, query, xlsx, storage) and,
in the same run, a baseline that writes the same values with the same formats using bare
openpyxl write-only from Python lists. The last line is

    ratio=<export/baseline> rows_per_s=<n> peak_rss_mb=<n> queries=<n>

``peak_rss_mb`` is the peak resident memory of this process during the export (the kernel's
high-water mark is reset just before it, so seeding does not count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="number of payouts")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb(reset_worked: bool) -> float:
    if reset_worked:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(workdir / "private")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def fresh_database() -> str | None:
    """Migrates a new database; returns the server database's name to drop later, if any."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        return None
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def seed(rows: int, rng: random.Random):
    from django.utils import timezone

    from applicants.models import Applicant, ApplicantKind, User
    from grants.models import (
        Application,
        ApplicationState,
        Call,
        FundingBody,
        Payout,
        Programme,
        StaffRole,
    )

    now = timezone.now()
    today = timezone.localdate()
    body = FundingBody.objects.create(name="Landeshauptstadt Hannover")
    programme = Programme.objects.create(
        funding_body=body,
        code="WIR2",
        name="WIR 2.0-Förderprogramm",
        teilhaushalt="56",
        produkt="11143",
        sachkonto="43180000",
        kostenstelle="56100000",
        innenauftrag="561000000001",
        max_amount_per_application=Decimal("50000.00"),
    )
    call = Call.objects.create(
        programme=programme,
        title="Kleinprojekte",
        opens_at=now - dt.timedelta(days=100),
        deadline=now - dt.timedelta(days=50),
    )
    certifier, orderer, finance = (
        User.objects.create_user(email=f"{name}@example.org", first_name=name.title())
        for name in ("pruefung", "anordnung", "kasse")
    )
    StaffRole.objects.create(user=finance, programme=programme, role=StaffRole.Role.FINANCE)

    applicants = max(1, rows // 10)
    Applicant.objects.bulk_create(
        (
            Applicant(
                kind=ApplicantKind.ASSOCIATION,
                name=f"Verein Nachbarschaft {i} e. V." if i % 97 else '=HYPERLINK("x")',
                street=f"Lange Laube {i % 200 + 1}",
                postal_code="30159",
                city="Hannover",
                email=f"verein{i}@example.org",
                contact_name="Ayşe Yılmaz",
                contact_email=f"kontakt{i}@example.org",
                account_holder="",
                iban="DE89370400440532013000",
                bic="COBADEFFXXX",
                creditor_number=f"{700000 + i}",
            )
            for i in range(applicants)
        ),
        batch_size=5000,
    )
    applicant_ids = list(Applicant.objects.values_list("pk", flat=True))
    applications = max(1, rows // 4)
    for start in range(0, applications, 5000):
        Application.objects.bulk_create(
            Application(
                programme=programme,
                call=call,
                applicant_id=applicant_ids[i % len(applicant_ids)],
                created_by=finance,
                state=ApplicationState.RUNNING,
                file_number=f"WIR2-{today.year}-{i + 1:06d}",
                title=f"Sprachcafé im Stadtteil {i}",
                approved_amount=Decimal("40000.00"),
            )
            for i in range(start, min(start + 5000, applications))
        )
    app_rows = list(Application.objects.values_list("pk", "file_number", "programme_id"))
    for start in range(0, rows, 5000):
        batch = []
        for i in range(start, min(start + 5000, rows)):
            app_id, file_number, programme_id = app_rows[i % len(app_rows)]
            batch.append(
                Payout(
                    application_id=app_id,
                    programme_id=programme_id,
                    state=Payout.State.ORDERED,
                    kind=Payout.Kind.FINAL if i % 4 == 3 else Payout.Kind.INSTALMENT,
                    amount=Decimal(rng.randint(100, 1_000_000)) / 100,
                    fiscal_year=today.year,
                    due_date=today + dt.timedelta(days=i % 60),
                    payment_reference=f"{file_number} Abschlag Sprachcafé im Stadtteil",
                    kassenzeichen=f"5610{i:08d}",
                    requested_by=certifier,
                    certified_by=certifier,
                    certified_at=now,
                    ordered_by=orderer,
                    ordered_at=now,
                )
            )
        Payout.objects.bulk_create(batch)
    # What autovacuum does after a bulk load: without statistics the planner of a fresh
    # PostgreSQL database guesses a few rows per table and picks nested loops.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return finance


def baseline(rows: list[tuple], columns, protocol, target: Path) -> float:
    """Bare openpyxl write-only: the same values, formats, sheet setup and totals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from reporting.writers import DATE_FORMAT, DATETIME_FORMAT, EURO_FORMAT, Kind

    started = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Auszahlungsanordnung")
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    bold = Font(bold=True)

    def header(value):
        cell = WriteOnlyCell(ws, value)
        cell.font = bold
        return cell

    ws.append([header(c.header) for c in columns])
    kinds = [c.kind for c in columns]
    total = Decimal("0.00")
    for row in rows:
        out = []
        for kind, value in zip(kinds, row, strict=True):
            if value is None or value == "":
                out.append(None)
            elif kind is Kind.MONEY:
                cell = WriteOnlyCell(ws, value)
                cell.number_format = EURO_FORMAT
                out.append(cell)
            elif kind is Kind.DATE:
                cell = WriteOnlyCell(ws, value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            elif kind is Kind.USER_TEXT:
                cell = WriteOnlyCell(ws, value)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
        total += row[12]
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    totals = [None] * len(columns)
    totals[0] = header("Summe")
    totals[12] = header(total)
    totals[12].number_format = EURO_FORMAT
    ws.append(totals)
    sheet = wb.create_sheet("Protokoll")
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    for label, value in protocol:
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(sheet, value.replace(tzinfo=None))
            cell.number_format = DATETIME_FORMAT
            value = cell
        sheet.append([header(label), value])
    wb.save(target)
    return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="fp-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from reporting import reports, services

        dropped = fresh_database()
        try:
            started = time.perf_counter()
            finance = seed(args.rows, random.Random(args.seed))
            print(f"seeded {args.rows} payouts in {time.perf_counter() - started:.1f} s")

            reset = reset_peak_rss()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                batch = services.payout_orders_export(actor=finance, file_format="xlsx")
                export_s = time.perf_counter() - started
            rss = peak_rss_mb(reset)
            assert batch.row_count == args.rows, batch.row_count
            print(
                f"export: {export_s:.2f} s, {batch.file.size / 1e6:.1f} MB, "
                f"sum {batch.total_amount} EUR, {len(queries)} queries"
            )

            # The same values as Python lists, built outside the timing; strings interned so
            # the lists stay small.
            interned: dict = {}
            rows = [
                tuple(interned.setdefault(v, v) if isinstance(v, str) else v for v in row)
                for row in reports.payout_order_rows(batch)
            ]
            report = reports.payout_order_report(batch)
            baseline_s = baseline(
                rows, reports.payout_order_columns(), report.protocol, workdir / "baseline.xlsx"
            )
            print(f"baseline (bare openpyxl write-only): {baseline_s:.2f} s")
        finally:
            if dropped is not None:
                connection.creation.destroy_test_db(dropped, verbosity=0)
    print(
        f"ratio={export_s / baseline_s:.2f} rows_per_s={args.rows / export_s:.0f} "
        f"peak_rss_mb={rss:.0f} queries={len(queries)}"
    )


if __name__ == "__main__":
    main()
