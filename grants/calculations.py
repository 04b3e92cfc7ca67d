"""Money computations of the grant rules, free of the database so they can be checked by hand."""

from decimal import ROUND_HALF_UP, Decimal

from grants.models import CENT, ZERO, FinancingType


def justified_grant(
    *,
    financing_type: str,
    approved: Decimal,
    planned_costs: Decimal,
    actual_costs: Decimal,
    actual_other_financing: Decimal,
) -> Decimal:
    """The grant that the actual figures of a proof of use justify.

    - Fehlbedarf: the grant fills the gap, so every euro saved or earned reduces it.
    - Anteil: the grant stays the approved share of the costs.
    - Festbetrag: fixed, reduced only where the costs fall below it.
    Never more than approved.
    """
    if financing_type == FinancingType.DEFICIT:
        grant = actual_costs - actual_other_financing
    elif financing_type == FinancingType.PROPORTIONAL:
        grant = (actual_costs * approved / planned_costs) if planned_costs else ZERO
    elif financing_type == FinancingType.FIXED_AMOUNT:
        grant = actual_costs
    else:
        raise ValueError(f"unknown financing type {financing_type!r}")
    return min(approved, max(ZERO, grant)).quantize(CENT, rounding=ROUND_HALF_UP)
