"""The proof of use as ANBest-P reads it, worked by hand (docs/proof-of-use.md).

One plan for every case: fees 4,000 €, rent 3,000 €, material 3,000 € = 10,000 € costs,
own funds 2,000 €, grant 8,000 € (Anteil: 80 %).
"""

from decimal import Decimal

import pytest

from grants.models import FinancingType
from grants.selectors.proof_figures import CostInput, IncomeInput, allowed_per_line, proof_figures

D = Decimal
FIXED, SHARE, GAP = (
    FinancingType.FIXED_AMOUNT,
    FinancingType.PROPORTIONAL,
    FinancingType.DEFICIT,
)
OWN = IncomeInput("Eigenmittel", D("2000.00"), D("2000.00"))
DONATION = IncomeInput("Spende (nicht im Plan)", D("0.00"), D("600.00"))


def costs(fees, rent, material):
    return [
        CostInput(1, "Honorare", D("4000.00"), D(fees)),
        CostInput(2, "Miete", D("3000.00"), D(rent)),
        CostInput(3, "Material", D("3000.00"), D(material)),
    ]


def figures(kind, cost_rows, income=(OWN,)):
    return proof_figures(
        financing_type=kind, approved=D("8000.00"), costs=cost_rows, income=list(income)
    )


# Fees 4,900 (+22.5 %), rent 2,500 (−500), material 2,800 (−200):
#   fees count at most 4,000 × 1.2 = 4,800 → 800 over plan; savings 500 + 200 = 700
#   → fees allowed 4,000 + 700 = 4,700; allowed total 4,700 + 2,500 + 2,800 = 10,000.
OVER = ("4900.00", "2500.00", "2800.00")
# Fees 4,600 (+15 %), rent 2,500 (−500), material 2,800 (−200): 600 over, 700 saved → all
# counts: 9,900.
COVERED = ("4600.00", "2500.00", "2800.00")


def test_a_line_counts_up_to_plus_20_percent_and_only_as_far_as_others_save():
    result = figures(GAP, costs(*OVER))
    assert [(c.ceiling, c.allowed) for c in result.costs] == [
        (D("4800.00"), D("4700.00")),
        (D("3600.00"), D("2500.00")),
        (D("3600.00"), D("2800.00")),
    ]
    assert result.allowed_costs == D("10000.00")


def test_deficit_financing_line_by_line():
    # Effects on the gap: +700, −500, −200; own funds as planned: 0 → 8,000 − 0 = 8,000.
    result = figures(GAP, costs(*OVER))
    assert [c.effect for c in result.costs] == [D("700.00"), D("-500.00"), D("-200.00")]
    assert result.justified == D("8000.00")
    # Overrun covered: 9,900 − 2,000 = 7,900; effects +600, −500, −200 = −100.
    result = figures(GAP, costs(*COVERED))
    assert [c.effect for c in result.costs] == [D("600.00"), D("-500.00"), D("-200.00")]
    assert result.justified == D("7900.00")
    assert result.base + result.cost_effect + result.income_effect + result.limit == D("7900.00")


def test_proportional_financing_line_by_line():
    # 80 % of each line's change: +560, −400, −160 → 8,000.
    result = figures(SHARE, costs(*OVER))
    assert [c.effect for c in result.costs] == [D("560.00"), D("-400.00"), D("-160.00")]
    assert result.justified == D("8000.00")
    # Covered: +480, −400, −160 = −80 → 7,920 (= 80 % of 9,900).
    result = figures(SHARE, costs(*COVERED))
    assert result.justified == D("7920.00")


def test_fixed_amount_knows_no_line_rule():
    # Festbetrag: lines bind nothing, every line counts as proved (10,200 ≥ 8,000) → 8,000.
    result = figures(FIXED, costs(*OVER))
    assert [c.allowed for c in result.costs] == [D("4900.00"), D("2500.00"), D("2800.00")]
    assert [c.ceiling for c in result.costs] == [None, None, None]
    assert result.justified == D("8000.00")
    # Costs below the fixed amount: 3,000 + 2,500 + 1,500 = 7,000 → 7,000.
    result = figures(FIXED, costs("3000.00", "2500.00", "1500.00"))
    assert result.justified == D("7000.00")
    assert result.limit == D("-1000.00")


@pytest.mark.parametrize(
    ("kind", "without", "with_donation", "donation_effect"),
    [
        # Fehlbedarf: every euro received in addition reduces the grant: 7,900 − 600.
        (GAP, "7900.00", "7300.00", "-600.00"),
        # Anteil: the donation is shared like the costs: 80 % of 600 = 480; 7,920 − 480.
        (SHARE, "7920.00", "7440.00", "-480.00"),
        # Festbetrag: fixed; a donation changes nothing while the costs (9,900) exceed it.
        (FIXED, "8000.00", "8000.00", "0.00"),
    ],
)
def test_a_donation_outside_the_plan(kind, without, with_donation, donation_effect):
    assert figures(kind, costs(*COVERED)).justified == D(without)
    result = figures(kind, costs(*COVERED), income=(OWN, DONATION))
    assert result.justified == D(with_donation)
    assert result.income[-1].unplanned
    assert result.income[-1].effect == D(donation_effect)


def test_more_own_money_than_planned_counts_like_a_donation():
    more_own = IncomeInput("Eigenmittel", D("2000.00"), D("2300.00"))
    assert figures(GAP, costs(*COVERED), income=(more_own,)).justified == D("7600.00")
    assert figures(SHARE, costs(*COVERED), income=(more_own,)).justified == D("7680.00")


def test_less_own_money_raises_a_deficit_grant_only_up_to_the_approved_amount():
    less_own = IncomeInput("Eigenmittel", D("2000.00"), D("1500.00"))
    result = figures(GAP, costs("4000.00", "3000.00", "3000.00"), income=(less_own,))
    # Gap 10,000 − 1,500 = 8,500, but never more than the 8,000 approved.
    assert result.justified == D("8000.00")
    assert result.limit == D("-500.00")


def test_savings_are_shared_among_overrunning_lines_in_proportion_to_the_cent():
    # A 1,000 → 1,150 (+150), B 2,000 → 2,300 (+300), C 3,000 → 2,900 (−100 saved).
    # 100 € shared 150 : 300 → 33.333… and 66.666… → 33.33 and 66.67 (largest remainder).
    lines = [
        CostInput(1, "A", D("1000.00"), D("1150.00")),
        CostInput(2, "B", D("2000.00"), D("2300.00")),
        CostInput(3, "C", D("3000.00"), D("2900.00")),
    ]
    assert [allowed for _ceiling, allowed in allowed_per_line(lines)] == [
        D("1033.33"),
        D("2066.67"),
        D("2900.00"),
    ]


def test_rows_add_up_to_the_grant_to_the_cent_under_a_share():
    # 8,000 of 9,000 planned = 88.88…%: each line's effect is rounded, the grant is their sum.
    lines = [
        CostInput(1, "A", D("3000.00"), D("2999.99")),
        CostInput(2, "B", D("6000.00"), D("5999.99")),
    ]
    result = proof_figures(financing_type=SHARE, approved=D("8000.00"), costs=lines, income=[])
    assert [c.effect for c in result.costs] == [D("-0.01"), D("-0.01")]
    assert result.justified == D("7999.98")
    assert result.base + result.cost_effect + result.limit == result.justified
