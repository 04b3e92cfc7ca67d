"""The budget ledger: commitments on approval, releases and book-backs as counter-entries.

``Budget.committed`` only moves here, by conditional UPDATEs, so that two approvals racing for
the last euro cannot both win; the check constraint on ``Budget`` is the last line of defence.
Call these functions only inside the transaction of a service.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext as _

from core.formatting import eur
from grants.errors import RuleViolated
from grants.models import ZERO, Application, Budget, BudgetEntry, Decision
from grants.selectors.payouts import payouts_by_year


def budget_for(application: Application, fiscal_year: int) -> Budget:
    budget = Budget.objects.filter(
        programme_id=application.programme_id,
        fiscal_year=fiscal_year,
        funding_area_id=application.funding_area_id,
    ).first()
    if budget is None:
        raise RuleViolated(
            _("Für das Haushaltsjahr %(year)s ist im Programm kein Budget eingerichtet.")
            % {"year": fiscal_year}
        )
    return budget


def commit(*, application: Application, decision: Decision, actor) -> list[BudgetEntry]:
    entries = []
    for share in decision.year_amounts.all():
        budget = budget_for(application, share.fiscal_year)
        updated = Budget.objects.filter(
            pk=budget.pk, committed__lte=F("amount") - share.amount
        ).update(committed=F("committed") + share.amount)
        if not updated:
            budget.refresh_from_db(fields=["committed"])
            raise RuleViolated(
                _(
                    "Das Budget %(budget)s reicht nicht aus: verfügbar %(available)s, "
                    "benötigt %(needed)s."
                )
                % {
                    "budget": budget,
                    "available": eur(budget.available),
                    "needed": eur(share.amount),
                }
            )
        entries.append(
            BudgetEntry.objects.create(
                budget=budget,
                application=application,
                kind=BudgetEntry.Kind.COMMITMENT,
                amount=share.amount,
                actor=actor,
                note=_("Bewilligung %(file)s") % {"file": application.file_number},
            )
        )
    return entries


def committed_for(application: Application) -> Decimal:
    total = BudgetEntry.objects.filter(application=application).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


def reduce_commitment(
    *, application: Application, to: Decimal, kind: str, actor, note: str
) -> Decimal:
    """Lowers what ``application`` binds to ``to``, latest fiscal year first; returns the
    amount given back. Raising a commitment is never done here: that is a new approval."""
    excess = committed_for(application) - max(to, ZERO)
    released = ZERO
    if excess <= 0:
        return released
    per_budget = list(
        BudgetEntry.objects.filter(application=application)
        .values("budget_id", "budget__fiscal_year")
        .annotate(net=Sum("amount"))
        .order_by("-budget__fiscal_year")
    )
    booked = payouts_by_year(application)
    # First what no payout is booked on, latest year first; only then money that was paid
    # (a repayment): so a release never leaves a year with more paid than committed.
    for unpaid_only in (True, False):
        for row in per_budget:
            room = row["net"]
            if unpaid_only:
                room -= booked.get(row["budget__fiscal_year"], ZERO)
            portion = min(excess - released, room)
            if portion <= 0:
                continue
            Budget.objects.filter(pk=row["budget_id"]).update(committed=F("committed") - portion)
            BudgetEntry.objects.create(
                budget_id=row["budget_id"],
                application=application,
                kind=kind,
                amount=-portion,
                actor=actor,
                note=note,
            )
            row["net"] -= portion
            released += portion
            if released == excess:
                return released
    return released
