"""The demo's proof of use: the plan's figures as spent, the largest cost line short by what the
story leaves unspent."""

from __future__ import annotations

from decimal import Decimal

from applicants.models import User
from grants.models import Application, FinancingKind
from grants.services import proof


def submit_proof(app: Application, owner: User, underspend: Decimal, report: str) -> None:
    lines = list(app.cost_lines.order_by("-amount", "position"))
    actual_costs = {line.pk: line.amount for line in lines}
    actual_costs[lines[0].pk] -= underspend
    actual_financing = {
        line.pk: line.amount
        for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
    }
    proof.application_submit_proof(
        application=app,
        actor=owner,
        report=report,
        actual_costs=actual_costs,
        actual_financing=actual_financing,
    )
