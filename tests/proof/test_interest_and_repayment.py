"""Repayment claims and § 49a VwVfG interest, against cases worked out by hand.

Interest: 5 points above the base rate per year, per day from payout to repayment, each day
1/365 (1/366 in a leap year) of the yearly rate; each row rounded half up to the cent and the
total the sum of the rows (docs/proof-of-use.md); base rates 2.27 % from 01.01.2025, 1.27 % from
01.07.2025, 3.37 % from 01.07.2024 (seeded by migration 0004).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.errors import RuleViolated
from grants.models import (
    ApplicationState,
    BaseRate,
    FinancingKind,
    FinancingType,
    Payout,
    ProofCheck,
    RepaymentClaim,
)
from grants.selectors.proof import allocate_latest_first, interest_49a, repayment_interest
from grants.services.budgets import committed_for
from grants.services.decisions import decision_confirm, decision_propose
from grants.services.proof import (
    application_close,
    application_submit_proof,
    proof_check_create,
    repayment_claim_correct,
    repayment_claim_create,
    repayment_claim_record_repayment,
)
from tests.factories import advance, draft, pay, this_year_only

S = ApplicationState
D = Decimal
RATES = [
    (dt.date(2024, 7, 1), D("3.37")),
    (dt.date(2025, 1, 1), D("2.27")),
    (dt.date(2025, 7, 1), D("1.27")),
]


def test_interest_across_a_base_rate_change():
    # 1,000 € from 01.03.2025 to 01.09.2025:
    #   01.03.–01.07.: 122 days × 1,000 × 7.27 % / 365 = 24.2997… → 24.30
    #   01.07.–01.09.:  62 days × 1,000 × 6.27 % / 365 = 10.6504… → 10.65
    #   together 34.95 €
    result = interest_49a(
        amounts=[(dt.date(2025, 3, 1), D("1000"))], until=dt.date(2025, 9, 1), rates=RATES
    )
    assert [s.days for s in result.segments] == [122, 62]
    assert [s.rate for s in result.segments] == [D("7.27"), D("6.27")]
    assert result.total == D("34.95")


def test_interest_across_new_year_of_a_leap_year():
    # 2,000 € from 15.12.2024 to 15.01.2025:
    #   15.12.–31.12.2024: 17 days × 2,000 × 8.37 % / 366 = 7.7754… → 7.78
    #   01.01.–14.01.2025: 14 days × 2,000 × 7.27 % / 365 = 5.5770… → 5.58
    #   together 13.36 € (the rows as shown; the unrounded sum 13.3524… would say 13.35)
    result = interest_49a(
        amounts=[(dt.date(2024, 12, 15), D("2000"))], until=dt.date(2025, 1, 15), rates=RATES
    )
    assert [(s.days, s.year_days) for s in result.segments] == [(17, 366), (14, 365)]
    assert [s.interest for s in result.segments] == [D("7.78"), D("5.58")]
    assert result.total == D("13.36")


def test_a_claim_takes_back_the_latest_payouts_first():
    # 5,000 € paid 01.02., 3,000 € paid 01.06.2025; 1,000 € claimed → all from 01.06.
    taken = allocate_latest_first(
        D("1000"), [(dt.date(2025, 2, 1), D("5000")), (dt.date(2025, 6, 1), D("3000"))]
    )
    assert taken == [(dt.date(2025, 6, 1), D("1000"))]
    # 4,000 € claimed → 3,000 from 01.06. and 1,000 from 01.02.
    taken = allocate_latest_first(
        D("4000"), [(dt.date(2025, 2, 1), D("5000")), (dt.date(2025, 6, 1), D("3000"))]
    )
    assert taken == [(dt.date(2025, 2, 1), D("1000")), (dt.date(2025, 6, 1), D("3000"))]


def test_the_real_base_rates_since_2023_are_seeded(db):
    assert list(BaseRate.objects.values_list("valid_from", "rate_percent"))[:6] == [
        (dt.date(2023, 1, 1), D("1.62")),
        (dt.date(2023, 7, 1), D("3.12")),
        (dt.date(2024, 1, 1), D("3.62")),
        (dt.date(2024, 7, 1), D("3.37")),
        (dt.date(2025, 1, 1), D("2.27")),
        (dt.date(2025, 7, 1), D("1.27")),
    ]


def _checked(world, financing_type, *, actual_costs, actual_own, payouts, recognised=None):
    """Approved 8,000 € of planned costs 10,000 € (own funds 2,000 €), paid as given, proof
    with the actual figures, checked (in depth if ``recognised``)."""
    app = advance(draft(world), world, S.IN_REVIEW)
    end = app.start_date + dt.timedelta(days=150)
    decision_propose(
        application=app,
        actor=world.case_worker,
        amount=D("8000"),
        funding_start=app.start_date,
        funding_end=end,
        purpose="Sprachcafé",
        financing_type=financing_type,
        year_amounts=this_year_only(D("8000"), app.start_date, end),
    )
    decision_confirm(application=app, actor=world.second_case_worker)
    app = advance(app, world, S.RUNNING)
    for paid_on, amount in payouts:
        payout = pay(app, world, amount)
        Payout.objects.filter(pk=payout.pk).update(paid_on=paid_on)
    app = advance(app, world, S.PROOF_DUE)
    application_submit_proof(
        application=app,
        actor=world.owner,
        report="Bericht",
        actual_costs={line.pk: actual_costs for line in app.cost_lines.all()},
        actual_financing={
            line.pk: actual_own
            for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )
    app.refresh_from_db()
    proof_check_create(
        application=app,
        actor=world.case_worker,
        depth=ProofCheck.Depth.IN_DEPTH if recognised else ProofCheck.Depth.QUICK,
        findings="Belege stichprobenartig geprüft.",
        recognised={line.pk: (recognised, "nicht förderfähig") for line in app.cost_lines.all()}
        if recognised
        else None,
    )
    app.refresh_from_db()
    return app


def _claim_and_repay(world, app, repaid_on):
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="Minderausgaben",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    repayment_claim_record_repayment(claim=claim, actor=world.case_worker, repaid_on=repaid_on)
    claim.refresh_from_db()
    app.refresh_from_db()
    return claim


def test_deficit_financing_claims_every_euro_saved_with_interest(world):
    # Fehlbedarf: actual costs 9,000 − own funds 2,000 = 7,000 € justified; 8,000 paid
    # on 01.03.2025 → 1,000 € back; repaid 01.09.2025 → interest 34.95 € (worked out above).
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("9000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 3, 1), D("8000"))],
    )
    assert app.justified_amount == D("7000.00")
    claim = _claim_and_repay(world, app, dt.date(2025, 9, 1))
    assert claim.principal == D("1000.00")
    assert claim.interest == D("34.95")
    assert claim.state == RepaymentClaim.State.SETTLED
    assert app.state == S.REPAID


def test_proportional_financing_shrinks_in_proportion(world):
    # Anteil: 8,000 / 10,000 = 80 % of actual 7,500 = 6,000 € justified; 8,000 paid on
    # 15.12.2024 → 2,000 € back; repaid 15.01.2025 → 13.36 € (worked out above).
    app = _checked(
        world,
        FinancingType.PROPORTIONAL,
        actual_costs=D("7500"),
        actual_own=D("2000"),
        payouts=[(dt.date(2024, 12, 15), D("8000"))],
    )
    assert app.justified_amount == D("6000.00")
    claim = _claim_and_repay(world, app, dt.date(2025, 1, 15))
    assert claim.principal == D("2000.00")
    assert claim.interest == D("13.36")


def test_fixed_amount_is_cut_only_below_the_costs_and_interest_runs_from_the_last_payout(world):
    # Festbetrag: in-depth check recognises 7,000 € of costs → min(8,000, 7,000) = 7,000 €.
    # Paid 5,000 € on 01.02. and 3,000 € on 01.06.2025; the 1,000 € claimed come from the
    # payout of 01.06. Repaid 31.07.2025:
    #   01.06.–01.07.: 30 days × 1,000 × 7.27 % / 365 = 5.9753…
    #   01.07.–31.07.: 30 days × 1,000 × 6.27 % / 365 = 5.1534…  → 5.98 + 5.15 = 11.13 €
    app = _checked(
        world,
        FinancingType.FIXED_AMOUNT,
        actual_costs=D("9000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 2, 1), D("5000")), (dt.date(2025, 6, 1), D("3000"))],
        recognised=D("7000"),
    )
    assert app.justified_amount == D("7000.00")
    assert app.proof_checks.get().lines.get().recognised_amount == D("7000.00")
    claim = _claim_and_repay(world, app, dt.date(2025, 7, 31))
    assert claim.principal == D("1000.00")
    assert claim.interest == D("11.13")


def test_fixed_amount_stays_when_costs_are_above_it(world):
    app = _checked(
        world,
        FinancingType.FIXED_AMOUNT,
        actual_costs=D("9000"),
        actual_own=D("1000"),
        payouts=[(dt.date(2025, 3, 1), D("8000"))],
    )
    assert app.justified_amount == D("8000.00")
    assert app.repayable_amount == 0


def test_a_cut_without_reason_is_refused(world):
    from grants.errors import RuleViolated

    with pytest.raises(RuleViolated):
        app = advance(draft(world), world, S.PROOF_SUBMITTED)
        proof_check_create(
            application=app,
            actor=world.case_worker,
            depth=ProofCheck.Depth.IN_DEPTH,
            findings="geprüft",
            recognised={line.pk: (D("1"), "") for line in app.cost_lines.all()},
        )


def test_interest_stops_on_each_repaid_part(world):
    # Fehlbedarf: costs 6,000 − own funds 2,000 = 4,000 € justified. Paid 5,000 € on
    # 01.02.2025 and 3,000 € on 01.06.2025; the 4,000 € claimed take back the latest first:
    # 3,000 from 01.06. and 1,000 from 01.02. Repaid in two parts, each credited to the latest
    # money first: 1,500 € on 01.08.2025, 2,500 € on 01.10.2025.
    #   1,000 from 01.02.:  01.02.–01.07. 150 days × 7.27 % / 365 = 29.876… → 29.88
    #                       01.07.–01.10.  92 days × 6.27 % / 365 = 15.803… → 15.80
    #   1,500 from 01.06. repaid 01.08.: 30 days × 7.27 % → 8.963… → 8.96
    #                                    31 days × 6.27 % → 7.987… → 7.99
    #   1,500 from 01.06. repaid 01.10.: 30 days × 7.27 % → 8.96
    #                                    92 days × 6.27 % → 23.705… → 23.71
    #   together 95.30 € (all 4,000 repaid on 01.10. would have cost 111.02 €).
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("6000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 2, 1), D("5000")), (dt.date(2025, 6, 1), D("3000"))],
    )
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="Minderausgaben",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    assert claim.principal == D("4000.00")
    committed_before = committed_for(app)
    repayment_claim_record_repayment(
        claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 8, 1), amount=D("1500")
    )
    claim.refresh_from_db()
    assert claim.state == RepaymentClaim.State.OPEN
    assert claim.outstanding == D("2500.00")
    assert committed_for(app) == committed_before - D("1500.00"), "each part books back at once"
    running = repayment_interest(claim, dt.date(2025, 10, 1))
    assert [(s.principal, s.start, s.end, s.interest) for s in running.segments] == [
        (D("1000"), dt.date(2025, 2, 1), dt.date(2025, 7, 1), D("29.88")),
        (D("1000"), dt.date(2025, 7, 1), dt.date(2025, 10, 1), D("15.80")),
        (D("1500"), dt.date(2025, 6, 1), dt.date(2025, 7, 1), D("8.96")),
        (D("1500"), dt.date(2025, 7, 1), dt.date(2025, 8, 1), D("7.99")),
        (D("1500"), dt.date(2025, 6, 1), dt.date(2025, 7, 1), D("8.96")),
        (D("1500"), dt.date(2025, 7, 1), dt.date(2025, 10, 1), D("23.71")),
    ]
    assert running.total == D("95.30")
    repayment_claim_record_repayment(
        claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 10, 1), amount=D("2500")
    )
    claim.refresh_from_db()
    app.refresh_from_db()
    assert claim.state == RepaymentClaim.State.SETTLED
    assert claim.interest == D("95.30")
    assert claim.interest == sum(
        s.interest for s in repayment_interest(claim, claim.repaid_on).segments
    )
    assert [(r.received_on, r.amount) for r in claim.repayments.all()] == [
        (dt.date(2025, 8, 1), D("1500.00")),
        (dt.date(2025, 10, 1), D("2500.00")),
    ]
    assert committed_for(app) == committed_before - D("4000.00")
    assert app.state == S.REPAID


def test_a_part_beyond_what_is_open_or_before_the_last_part_is_refused(world):
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("6000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 2, 1), D("8000"))],
    )
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="x",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    with pytest.raises(RuleViolated, match=r"zwischen 0,01 € und 4\.000,00 €"):
        repayment_claim_record_repayment(
            claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 8, 1), amount=D("4000.01")
        )
    repayment_claim_record_repayment(
        claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 8, 1), amount=D("100")
    )
    with pytest.raises(RuleViolated, match="vor dem zuletzt erfassten"):
        repayment_claim_record_repayment(
            claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 7, 1), amount=D("100")
        )
    assert claim.repayments.count() == 1


def test_a_half_year_without_a_known_base_rate_is_flagged_not_extended():
    # Rates known up to the half-year from 01.01.2025: the time from 01.07.2025 has none.
    result = interest_49a(
        amounts=[(dt.date(2025, 3, 1), D("1000"))],
        until=dt.date(2025, 9, 1),
        rates=[(dt.date(2025, 1, 1), D("2.27"))],
    )
    assert [(s.start, s.known) for s in result.segments] == [
        (dt.date(2025, 3, 1), True),
        (dt.date(2025, 7, 1), False),
    ]
    assert not result.complete
    assert result.unknown_from == dt.date(2025, 7, 1)
    assert result.total == D("24.30"), "only the known rows are priced"
    assert "ab 01.07.2025 ist kein Basiszinssatz hinterlegt" in result.unknown_message
    # The applicant and the notice are told, without staff's instruction.
    assert "ab 01.07.2025 ist der Basiszinssatz hier noch nicht erfasst" in result.unknown_notice
    assert "Verwaltung" not in result.unknown_notice


def test_settling_over_a_period_without_a_known_rate_is_refused(world):
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("9000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 3, 1), D("8000"))],
    )
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="x",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    BaseRate.objects.filter(valid_from__gte=dt.date(2025, 7, 1)).delete()
    with pytest.raises(RuleViolated, match=r"ab 01\.07\.2025 ist kein Basiszinssatz"):
        repayment_claim_record_repayment(
            claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 9, 1)
        )
    claim.refresh_from_db()
    assert claim.state == RepaymentClaim.State.OPEN
    assert not claim.repayments.exists()


def test_every_base_rate_names_its_source_and_when_it_was_checked(db):
    for rate in BaseRate.objects.all():
        assert rate.source
        assert rate.checked_on is not None


def test_closing_releases_the_unused_commitment_so_the_ledger_matches_what_was_spent(world):
    # 8,000 € committed, 8,000 € paid, 4,000 € justified and claimed, repaid in two parts:
    # the ledger holds 8,000 − 1,500 − 2,500 = 4,000 €, which is what was spent.
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("6000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 2, 1), D("8000"))],
    )
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="x",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    for day, amount in [(dt.date(2025, 8, 1), D("1500")), (dt.date(2025, 10, 1), D("2500"))]:
        repayment_claim_record_repayment(
            claim=claim, actor=world.case_worker, repaid_on=day, amount=amount
        )
    app.refresh_from_db()
    application_close(application=app, actor=world.case_worker)
    app.refresh_from_db()
    assert app.state == S.CLOSED
    entries = list(app.budget_entries.order_by("id").values_list("kind", "amount"))
    assert entries[-2:] == [("repayment", D("-1500.00")), ("repayment", D("-2500.00"))]
    assert committed_for(app) == app.paid_amount - claim.repaid == D("4000.00")


def test_a_case_worker_records_a_part_through_the_form(client, world):
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("6000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 2, 1), D("8000"))],
    )
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="x",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    client.force_login(world.case_worker)
    url = reverse("casework:repayment", args=[claim.pk])
    page = client.get(url)
    seen = page.context["form"].initial["seen"]
    response = client.post(url, {"seen": seen, "repaid_on": "2025-08-01", "amount": "1.500,00"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == RepaymentClaim.State.OPEN
    assert claim.outstanding == D("2500.00")
    # More than is open: refused on the form, nothing recorded.
    seen = client.get(url).context["form"].initial["seen"]
    response = client.post(url, {"seen": seen, "repaid_on": "2025-09-01", "amount": "2.500,01"})
    assert response.status_code == 422
    assert "noch offen" in response.content.decode()
    assert claim.repayments.count() == 1


def test_a_claim_with_parts_received_cannot_be_replaced(world):
    app = _checked(
        world,
        FinancingType.DEFICIT,
        actual_costs=D("6000"),
        actual_own=D("2000"),
        payouts=[(dt.date(2025, 2, 1), D("8000"))],
    )
    claim = repayment_claim_create(
        application=app,
        actor=world.case_worker,
        reason="x",
        due_date=dt.date.today() + dt.timedelta(30),
    )
    repayment_claim_record_repayment(
        claim=claim, actor=world.case_worker, repaid_on=dt.date(2025, 8, 1), amount=D("100")
    )
    with pytest.raises(RuleViolated, match="schon Zahlungen eingegangen"):
        repayment_claim_correct(
            claim=claim, actor=world.case_worker, principal=D("3000"), reason="Berichtigung"
        )
    claim.refresh_from_db()
    assert claim.state == RepaymentClaim.State.OPEN
    assert RepaymentClaim.objects.count() == 1
