"""Fills the database with demo data: both programmes with their figures, calls, budgets,
staff and applicant logins, and applications in every state of the procedure, all walked
through the services the screens call (see ``grants/demo/seeding.py`` for how the past is
replayed).

    python manage.py seed_demo

Safe to run again: what exists is left alone. Refuses to run in production, because every
demo login has the same published password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.formatting import eur
from grants import demo
from grants.models import ApplicationState, Payout, RepaymentClaim


class Command(BaseCommand):
    help = "Legt Demo-Daten an (Programme, Aufrufe, Budgets, Konten, Anträge in jedem Status)."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "seed_demo legt Konten mit bekanntem Passwort an und läuft nicht in Produktion."
            )
        result = demo.seed()
        figures = demo.summary()
        write = self.stdout.write

        write(
            self.style.SUCCESS(
                f"Demo-Daten: {result.created} Anträge angelegt, {result.skipped} schon vorhanden."
            )
        )
        if result.rows_created:
            created = ", ".join(f"{name} {n}" for name, n in sorted(result.rows_created.items()))
            write(f"Neu angelegte Stammdaten: {created}")

        write("\nAnträge nach Status:")
        for state in ApplicationState:
            write(f"  {state.label:<40} {figures['applications'][state.value]:>4}")
        write("Auszahlungen nach Status:")
        for state in Payout.State:
            write(f"  {state.label:<40} {figures['payouts'][state.value]:>4}")
        write("Rückforderungen nach Status:")
        for state in RepaymentClaim.State:
            write(f"  {state.label:<40} {figures['claims'][state.value]:>4}")

        write("\nBudgets (Ansatz / gebunden):")
        for budget in figures["budgets"]:
            area = f" {budget.funding_area.name}" if budget.funding_area_id else ""
            example = " (Beispielwert)" if budget.is_example else ""
            write(
                f"  {budget.programme.code} {budget.fiscal_year}{area}: "
                f"{eur(budget.amount)} / {eur(budget.committed)}{example}"
            )

        write(f"\nAnmeldung, Passwort für alle Konten: {demo.DEMO_PASSWORD}")
        for email, role in demo.demo_logins():
            write(f"  {email:<45} {role}")
