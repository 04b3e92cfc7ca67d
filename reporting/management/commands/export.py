"""Reports from the command line, for scheduled runs and for finance's own scripts.

    python manage.py export payout-orders --user kasse@example.org --output aa.xlsx
    python manage.py export budget --programme WIR2 --year 2026 --format csv --output b.csv

``payout-orders`` is the real export: it marks the payouts exported and records a batch in the
name of the finance clerk given by ``--user`` (the audit trail needs a person). The other
reports only read; without ``--user`` they cover every programme, with it only the user's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applicants.models import User
from grants.errors import ActionRefused
from grants.models import Programme
from reporting import reports, selectors, services, writers
from reporting.models import ExportFormat


class Command(BaseCommand):
    help = "Schreibt einen Bericht (Auszahlungsanordnung, Budget, Antragsregister, Statistik)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report", choices=sorted(reports.REPORTS))
        parser.add_argument("--programme", help="Kürzel des Programms, z. B. WIR2")
        parser.add_argument("--year", type=int, help="Haushaltsjahr bzw. Jahr der Einreichung")
        parser.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.XLSX)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--user", help="E-Mail-Adresse der Finanzbuchhaltung")

    def handle(self, *args, **options) -> None:
        user = self._user(options["user"])
        programme = self._programme(options["programme"])
        output: Path = options["output"]
        if options["report"] == "payout-orders":
            if user is None:
                raise CommandError("payout-orders needs --user EMAIL of a finance clerk")
            try:
                batch = services.payout_orders_export(
                    actor=user,
                    programme=programme,
                    fiscal_year=options["year"],
                    file_format=options["format"],
                )
            except ActionRefused as exc:
                raise CommandError(str(exc)) from exc
            with batch.file.open("rb") as source, output.open("wb") as target:
                shutil.copyfileobj(source, target)
            self.stdout.write(
                f"{batch.reference}: {batch.row_count} Auszahlungen, {batch.total_amount} EUR"
                f" -> {output}"
            )
            return

        if user is not None:
            allowed = selectors.finance_programmes(user)
            if programme is not None and programme not in allowed:
                raise CommandError(f"{user.email} is not finance staff of {programme.code}")
            programmes = [programme] if programme else list(allowed)
            if not programmes:
                raise CommandError(f"{user.email} is not finance staff of any programme")
        else:
            programmes = [programme] if programme else list(Programme.objects.order_by("code"))
        report = reports.build(
            options["report"],
            programmes=programmes,
            all_programmes=programme is None,
            actor=user,
            year=options["year"],
        )
        with output.open("wb") as target:
            result = writers.write(report, options["format"], target)
        self.stdout.write(f"{report.title}: {result.rows} Zeilen -> {output}")

    def _user(self, email: str | None) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {email}")
        return user

    def _programme(self, code: str | None) -> Programme | None:
        if not code:
            return None
        programme = Programme.objects.filter(code=code.upper()).first()
        if programme is None:
            raise CommandError(f"no programme {code}")
        return programme
