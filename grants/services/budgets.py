"""The budget ledger: commitments on approval, releases and book-backs as counter-entries.

``Budget.committed`` only moves here, by conditional UPDATEs, so that two approvals racing for
the last euro cannot both win; the check constraint on ``Budget`` is the last line of defence.
Call these functions only inside the transaction of a service.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from core.formatting import eur
from grants.errors import RuleViolated
from grants.models import CENT, ZERO, Application, Budget, BudgetEntry, Decision, PaidTotal, Payout
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


def paid_total_add(*, payout: Payout) -> None:
    """Adds a payout that has just been paid to its programme's, year's and Förderbereich's
    paid total (the finance overview reads these few rows instead of every paid payout). Call
    it in the transaction that marks the payout paid."""
    application = payout.application
    # A race for the first row of a key ends in the unique constraint, and get_or_create then
    # reads the winner's row; the increment itself is one UPDATE, serialised on that row.
    total, _created = PaidTotal.objects.get_or_create(
        programme_id=application.programme_id,
        fiscal_year=payout.fiscal_year,
        funding_area_id=application.funding_area_id,
    )
    PaidTotal.objects.filter(pk=total.pk).update(amount=F("amount") + payout.amount)


def _paid_by_key() -> dict[tuple[int, int, int | None], Decimal]:
    rows = (
        Payout.objects.filter(state=Payout.State.PAID)
        .values_list("application__programme_id", "fiscal_year", "application__funding_area_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(p, y, a): total.quantize(CENT) for p, y, a, total in rows}


@transaction.atomic
def paid_totals_reconcile(*, repair: bool = True) -> list[tuple[int, int, int | None]]:
    """The keys (programme, fiscal year, Förderbereich) whose kept paid total differs from the
    sum of their paid payouts, repaired unless ``repair`` is false. Normally none; anything
    else names a way into "paid" that did not go through ``payout_mark_paid``."""
    expected = _paid_by_key()
    kept = {
        (t.programme_id, t.fiscal_year, t.funding_area_id): t
        for t in PaidTotal.objects.select_for_update()
    }
    drifted = sorted(
        (
            key
            for key in expected.keys() | kept.keys()
            if expected.get(key, ZERO) != (kept[key].amount if key in kept else ZERO)
        ),
        key=lambda k: (k[0], k[1], k[2] or 0),
    )
    if repair:
        for programme_id, fiscal_year, area_id in drifted:
            PaidTotal.objects.update_or_create(
                programme_id=programme_id,
                fiscal_year=fiscal_year,
                funding_area_id=area_id,
                defaults={"amount": expected.get((programme_id, fiscal_year, area_id), ZERO)},
            )
    return drifted
