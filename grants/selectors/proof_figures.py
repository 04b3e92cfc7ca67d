"""The figures of a proof of use as ANBest-P reads them, line by line: what each cost line may
count (the 20 % rule), what income outside the plan does, and what each line does to the grant.

Pure functions on plain values, so that every case can be worked by hand in a test; the
selector ``proof_figures_for`` feeds them from an application. ``docs/proof-of-use.md`` states
the rules per financing type with worked examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from grants.models.base import CENT, ZERO
from grants.models.programmes import FinancingType

# ANBest-P Nr. 1.2: a single line of the cost plan may be exceeded by up to 20 % as far as
# other lines save as much. Not for Festbetrag, where the lines bind nothing.
LINE_TOLERANCE = Decimal("0.20")


@dataclass(frozen=True)
class CostInput:
    key: int
    label: str
    planned: Decimal
    recognised: Decimal  # what the applicant proved, less any cut of the case worker


@dataclass(frozen=True)
class IncomeInput:
    label: str
    planned: Decimal  # 0 for money outside the plan (a donation, a second grant)
    actual: Decimal


@dataclass(frozen=True)
class CostFigures:
    key: int
    label: str
    planned: Decimal
    recognised: Decimal
    ceiling: Decimal | None  # planned + 20 %; None where the rule does not apply
    allowed: Decimal
    effect: Decimal  # change of the grant's base this line causes


@dataclass(frozen=True)
class IncomeFigures:
    label: str
    planned: Decimal
    actual: Decimal
    effect: Decimal

    @property
    def unplanned(self) -> bool:
        return self.planned == 0


@dataclass(frozen=True)
class ProofFigures:
    financing_type: str
    approved: Decimal
    base: Decimal  # the grant the plan itself gives, before any line moves
    costs: list[CostFigures]
    income: list[IncomeFigures]
    limit: Decimal  # difference from base + effects to the justified grant (caps, floor)
    justified: Decimal
    rate: Decimal | None = None  # Anteil: approved / planned costs
    notes: list[str] = field(default_factory=list)

    @property
    def planned_costs(self) -> Decimal:
        return sum((c.planned for c in self.costs), ZERO)

    @property
    def recognised_costs(self) -> Decimal:
        return sum((c.recognised for c in self.costs), ZERO)

    @property
    def allowed_costs(self) -> Decimal:
        return sum((c.allowed for c in self.costs), ZERO)

    @property
    def cost_effect(self) -> Decimal:
        return sum((c.effect for c in self.costs), ZERO)

    @property
    def income_effect(self) -> Decimal:
        return sum((i.effect for i in self.income), ZERO)


def _cent(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(CENT, rounding=rounding)


def allowed_per_line(lines: Sequence[CostInput]) -> list[tuple[Decimal, Decimal]]:
    """``(ceiling, allowed)`` per line under the 20 % rule.

    A line counts up to its plan plus 20 % (rounded down to the cent); what it counts above its
    plan must be covered by what the other lines saved. Where the overruns exceed the savings,
    the savings are shared among the overrunning lines in proportion to their overrun (cents
    rounded down, the remaining cents to the largest remainders, earlier lines first on a tie),
    so the allowed total never exceeds the planned total.
    """
    ceilings = [_cent(line.planned * (1 + LINE_TOLERANCE), ROUND_DOWN) for line in lines]
    within = [min(line.recognised, c) for line, c in zip(lines, ceilings, strict=True)]
    overs = [max(ZERO, w - line.planned) for line, w in zip(lines, within, strict=True)]
    savings = sum((max(ZERO, line.planned - line.recognised) for line in lines), ZERO)
    total_over = sum(overs, ZERO)
    if total_over <= savings:
        return list(zip(ceilings, within, strict=True))
    shares = [o * savings / total_over for o in overs]
    granted = [_cent(s, ROUND_DOWN) for s in shares]
    left = int((savings - sum(granted, ZERO)) / CENT)
    order = sorted(range(len(lines)), key=lambda i: (-(shares[i] - granted[i]), i))
    for i in order[:left]:
        granted[i] += CENT
    allowed = [
        line.planned + g if o > 0 else w
        for line, w, o, g in zip(lines, within, overs, granted, strict=True)
    ]
    return list(zip(ceilings, allowed, strict=True))


def proof_figures(
    *,
    financing_type: str,
    approved: Decimal,
    costs: Sequence[CostInput],
    income: Sequence[IncomeInput],
) -> ProofFigures:
    """The grant a proof of use justifies, with the effect of every line on it.

    - Festbetrag: the lines bind nothing; the grant stays fixed unless the recognised costs
      fall below it. Income outside the plan does not reduce it.
    - Anteilsfinanzierung: the grant stays the approved share (``approved / planned costs``) of
      the allowed costs; more money from others (above plan or outside it) is shared in the
      same proportion, so the grant falls by the share of it.
    - Fehlbedarfsfinanzierung: the grant fills the gap between allowed costs and all other
      money actually received; every euro saved or received in addition reduces it.

    The rows (base, line effects, income effects, limit) add up to the justified grant to the
    cent; the grant is never more than approved and never negative.
    """
    planned_costs = sum((c.planned for c in costs), ZERO)
    if financing_type == FinancingType.FIXED_AMOUNT:
        cost_rows = [
            CostFigures(c.key, c.label, c.planned, c.recognised, None, c.recognised, ZERO)
            for c in costs
        ]
        income_rows = [IncomeFigures(i.label, i.planned, i.actual, ZERO) for i in income]
        justified = _cent(min(approved, max(ZERO, sum((c.recognised for c in costs), ZERO))))
        return ProofFigures(
            financing_type,
            approved,
            approved,
            cost_rows,
            income_rows,
            justified - approved,
            justified,
        )
    limits = allowed_per_line(costs)
    if financing_type == FinancingType.PROPORTIONAL:
        rate = approved / planned_costs if planned_costs else ZERO
        cost_rows = [
            CostFigures(
                c.key,
                c.label,
                c.planned,
                c.recognised,
                ceiling,
                allowed,
                _cent(rate * (allowed - c.planned)),
            )
            for c, (ceiling, allowed) in zip(costs, limits, strict=True)
        ]
        income_rows = [
            IncomeFigures(
                i.label, i.planned, i.actual, -_cent(rate * max(ZERO, i.actual - i.planned))
            )
            for i in income
        ]
        base = approved
        raw = (
            base
            + sum((r.effect for r in cost_rows), ZERO)
            + sum((r.effect for r in income_rows), ZERO)
        )
        justified = min(approved, max(ZERO, raw))
        return ProofFigures(
            financing_type,
            approved,
            base,
            cost_rows,
            income_rows,
            justified - raw,
            justified,
            rate=rate,
        )
    if financing_type == FinancingType.DEFICIT:
        cost_rows = [
            CostFigures(
                c.key, c.label, c.planned, c.recognised, ceiling, allowed, allowed - c.planned
            )
            for c, (ceiling, allowed) in zip(costs, limits, strict=True)
        ]
        income_rows = [
            IncomeFigures(i.label, i.planned, i.actual, i.planned - i.actual) for i in income
        ]
        base = planned_costs - sum((i.planned for i in income), ZERO)
        raw = (
            base
            + sum((r.effect for r in cost_rows), ZERO)
            + sum((r.effect for r in income_rows), ZERO)
        )
        justified = min(approved, max(ZERO, raw))
        return ProofFigures(
            financing_type, approved, base, cost_rows, income_rows, justified - raw, justified
        )
    raise ValueError(f"unknown financing type {financing_type!r}")
