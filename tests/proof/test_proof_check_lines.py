"""The proof check applies the 20 % rule and income outside the plan line by line, and shows
plan, actual, allowed and the effect on the grant. The figures are worked by hand in
tests/proof/test_proof_figures.py; here they run through the applicant's pages, the services
and the case file.

Plan: fees 4,000, staff 3,000, material 3,000 = 10,000 €; own funds 2,000; 8,000 € approved.
Proved: fees 4,600 (+15 %), staff 2,500, material 2,800 (9,900 €); a donation of 600 € that
was not in the plan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.errors import RuleViolated
from grants.models import (
    ApplicationState,
    CostCategory,
    CostLine,
    FinancingKind,
    FinancingType,
    UnplannedIncome,
)
from grants.services.decisions import decision_confirm, decision_propose
from grants.services.proof import proof_check_create, unplanned_income_add
from tests.factories import advance, draft, year_split

S = ApplicationState
D = Decimal


def _running(world, financing_type):
    app = draft(world)
    fees = app.cost_lines.get()
    CostLine.objects.filter(pk=fees.pk).update(amount=D("4000.00"))
    for code, text in [("staff", "Kursleitung"), ("material", "Material")]:
        CostLine.objects.create(
            application=app,
            category=CostCategory.objects.get(programme=world.programme, code=code),
            description=text,
            amount=D("3000.00"),
            position=1 if code == "staff" else 2,
        )
    app = advance(app, world, S.IN_REVIEW)
    end = app.start_date + dt.timedelta(days=150)
    decision_propose(
        application=app,
        actor=world.case_worker,
        amount=D("8000"),
        funding_start=app.start_date,
        funding_end=end,
        purpose="Sprachcafé",
        financing_type=financing_type,
        year_amounts=year_split(D("8000"), app.start_date, end),
    )
    decision_confirm(application=app, actor=world.second_case_worker)
    return advance(app, world, S.PROOF_DUE)


def _submit_through_the_page(client, world, app, *, donation: bool):
    client.force_login(world.owner)
    if donation:
        response = client.post(
            reverse("portal:proof_income_add", args=[app.pk]),
            {"kind": "private", "description": "Spende der Bürgerstiftung", "amount": "600,00"},
        )
        assert response.status_code == 302
    actual = {"Honorare Kursleitung": "4.600,00", "Kursleitung": "2.500,00", "Material": "2.800,00"}
    data = {"report": "Zwanzig Treffen.", "action": "submit"}
    for line in app.cost_lines.all():
        data[f"cost_{line.pk}"] = actual[line.description]
    for line in app.financing_lines.exclude(category__kind=FinancingKind.GRANT):
        data[f"financing_{line.pk}"] = "2.000,00"
    response = client.post(reverse("portal:proof", args=[app.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    app.refresh_from_db()
    assert app.state == S.PROOF_SUBMITTED


@pytest.mark.parametrize(
    ("financing_type", "without", "with_donation"),
    [
        (FinancingType.DEFICIT, "7900.00", "7300.00"),
        (FinancingType.PROPORTIONAL, "7920.00", "7440.00"),
        (FinancingType.FIXED_AMOUNT, "8000.00", "8000.00"),
    ],
)
@pytest.mark.parametrize("donation", [False, True])
def test_the_check_justifies_the_grant_line_by_line(
    client, world, financing_type, without, with_donation, donation
):
    app = _running(world, financing_type)
    _submit_through_the_page(client, world, app, donation=donation)
    check = proof_check_create(
        application=app, actor=world.case_worker, depth="quick", findings="Geprüft."
    )
    app.refresh_from_db()
    expected = D(with_donation if donation else without)
    assert app.justified_amount == expected
    assert check.justified_amount == expected
    rows = {line.cost_line.description: line for line in check.lines.select_related("cost_line")}
    assert rows["Honorare Kursleitung"].planned_amount == D("4000.00")
    assert rows["Honorare Kursleitung"].allowed_amount == D("4600.00")
    effect = {
        FinancingType.DEFICIT: D("600.00"),
        FinancingType.PROPORTIONAL: D("480.00"),
        FinancingType.FIXED_AMOUNT: D("0.00"),
    }[financing_type]
    assert rows["Honorare Kursleitung"].effect == effect


def test_an_overrun_beyond_the_savings_is_cut_by_the_system(client, world):
    # Fees 4,900: at most 4,800 (plan + 20 %), and only 700 saved elsewhere → 4,700.
    app = _running(world, FinancingType.DEFICIT)
    _submit_through_the_page(client, world, app, donation=False)
    CostLine.objects.filter(application=app, description="Honorare Kursleitung").update(
        actual_amount=D("4900.00")
    )
    check = proof_check_create(
        application=app, actor=world.case_worker, depth="quick", findings="Geprüft."
    )
    line = check.lines.get(cost_line__description="Honorare Kursleitung")
    assert (line.claimed_amount, line.recognised_amount, line.allowed_amount) == (
        D("4900.00"),
        D("4900.00"),
        D("4700.00"),
    )
    app.refresh_from_db()
    assert app.justified_amount == D("8000.00")  # 10,000 allowed − 2,000 own funds


def test_the_case_file_shows_plan_actual_allowed_and_effect(client, world):
    app = _running(world, FinancingType.DEFICIT)
    _submit_through_the_page(client, world, app, donation=True)
    client.force_login(world.case_worker)
    page = client.get(reverse("casework:file", args=[app.pk])).content.decode()
    assert 'id="nachweis-zeilen"' in page
    assert "Spende der Bürgerstiftung" in page
    assert "-600,00 €" in page
    assert "7.300,00 €" in page
    proof_check_create(application=app, actor=world.case_worker, depth="quick", findings="Gut.")
    page = client.get(reverse("casework:file", args=[app.pk])).content.decode()
    assert 'id="nachweis-zeilen"' in page
    assert "4.800,00 €" in page  # the fees' ceiling
    assert "7.300,00 €" in page


def test_income_outside_the_plan_is_refused_when_empty_or_after_submission(client, world):
    app = _running(world, FinancingType.DEFICIT)
    with pytest.raises(RuleViolated, match="von wem oder wofür"):
        unplanned_income_add(
            application=app, actor=world.owner, kind="private", description=" ", amount=D("5")
        )
    with pytest.raises(RuleViolated, match="größer als 0"):
        unplanned_income_add(
            application=app, actor=world.owner, kind="private", description="x", amount=D("0")
        )
    client.force_login(world.owner)
    response = client.post(
        reverse("portal:proof_income_add", args=[app.pk]),
        {"kind": "private", "description": "Spende", "amount": "abc"},
    )
    assert response.status_code == 302
    assert not UnplannedIncome.objects.exists()
    _submit_through_the_page(client, world, app, donation=False)
    with pytest.raises(RuleViolated, match="kann das nicht mehr geändert werden"):
        unplanned_income_add(
            application=app, actor=world.owner, kind="private", description="x", amount=D("5")
        )
    assert not UnplannedIncome.objects.exists()


def test_only_the_applicant_enters_income(client, world):
    app = _running(world, FinancingType.DEFICIT)
    client.force_login(world.case_worker)
    response = client.post(
        reverse("portal:proof_income_add", args=[app.pk]),
        {"kind": "private", "description": "Spende", "amount": "5,00"},
    )
    assert response.status_code == 404
    assert not UnplannedIncome.objects.exists()
