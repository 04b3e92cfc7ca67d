"""Compares every budget's committed figure with the sum of its ledger and alerts on a
difference.

    python manage.py reconcile_budgets      # daily from cron or a systemd timer

``Budget.committed`` moves only together with a ledger entry (grants/budget.py), but the app
role may UPDATE budget rows, so a direct write (a bug, a console session, an attacker with the
app's credentials) would go unnoticed until the yearly closing. This job notices it: each
difference is logged at ERROR (the monitoring's alert) and the command exits non-zero.

It also checks the paid totals the finance overview reads (``PaidTotal``, kept by
``payout_mark_paid``) against the paid payouts, and repairs any that drifted (a derived
figure: the payouts are the record), alerting the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from grants.models import MONEY, Budget, BudgetEntry
from grants.services.budgets import paid_totals_reconcile

logger = logging.getLogger("grants.reconciliation")


@dataclass(frozen=True)
class Difference:
    budget: Budget
    committed: Decimal
    ledger: Decimal


def budget_differences() -> list[Difference]:
    ledger = (
        BudgetEntry.objects.filter(budget=OuterRef("pk"))
        .values("budget")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(**MONEY)
    budgets = Budget.objects.select_related("programme").annotate(
        ledger=Coalesce(
            Subquery(ledger, output_field=money), Value(Decimal("0.00")), output_field=money
        )
    )
    return [
        Difference(budget=budget, committed=budget.committed, ledger=budget.ledger)
        for budget in budgets.order_by("pk")
        if budget.committed != budget.ledger
    ]


class Command(BaseCommand):
    help = "Alert when a budget's committed figure differs from its ledger."

    def handle(self, *args, **options) -> None:
        differences = budget_differences()
        for difference in differences:
            logger.error(
                "Budget %s (id %s): committed %s, ledger %s, difference %s",
                difference.budget,
                difference.budget.pk,
                difference.committed,
                difference.ledger,
                difference.committed - difference.ledger,
            )
        drifted = paid_totals_reconcile(repair=True)
        for programme_id, fiscal_year, area_id in drifted:
            logger.error(
                "Paid total of programme %s, year %s, area %s differed from its payouts: repaired",
                programme_id,
                fiscal_year,
                area_id,
            )
        if differences or drifted:
            raise CommandError(
                f"{len(differences)} budget(s) differ from their ledger, "
                f"{len(drifted)} paid total(s) were repaired"
            )
        self.stdout.write(f"{Budget.objects.count()} budgets match their ledger")
