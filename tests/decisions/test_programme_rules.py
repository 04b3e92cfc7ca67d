"""The programme's money rules on a proposed approval, each allowed and refused with its German
message, on the service and through the form: the financing type by amount (WIR 2.0: up to
5,000 € Festbetrag; up to 10,000 € Festbetrag only with at least 20 % own share; above,
Anteilsfinanzierung), the own share compared exactly, the maximum duration and the number of
fiscal years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.errors import RuleViolated
from grants.models import (
    ApplicationState,
    Decision,
    FinancingType,
    StatusChange,
    period_last_day,
)
from grants.services.applications import application_submit
from grants.services.decisions import decision_confirm, decision_propose
from tests.casework_pages import seen, step_url
from tests.factories import add_plan, advance, build_world

S = ApplicationState
D = Decimal


@pytest.fixture
def rules_world(db):
    # The administration decides alone up to 50,000 €: no committee in these tests.
    return build_world(administrative_decision_limit=D("50000.00"))


def _in_review(world, *, costs, own, start=None, end=None):
    from grants.models import Application

    today = timezone.localdate()
    app = Application.objects.create(
        programme=world.programme,
        call=world.call,
        applicant=world.applicant,
        created_by=world.owner,
        title="Sprachcafé im Stadtteil",
        summary="Ein offenes Sprachcafé.",
        goals="Begegnung.",
        start_date=start or today + dt.timedelta(days=1),
        end_date=end or today + dt.timedelta(days=20),
    )
    app.areas.set(world.programme.areas.all()[:1])
    add_plan(app, costs=costs, own=own)
    return advance(app, world, S.IN_REVIEW)


def _propose(app, world, **kwargs):
    start = kwargs.pop("funding_start", app.start_date)
    end = kwargs.pop("funding_end", app.start_date + dt.timedelta(days=10))
    return decision_propose(
        application=app,
        actor=world.case_worker,
        funding_start=start,
        funding_end=end,
        purpose="Sprachcafé",
        **kwargs,
    )


# --- financing type by amount ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "own", "costs", "ruled"),
    [
        (D("5000.00"), D("0.00"), D("5000.00"), FinancingType.FIXED_AMOUNT),
        (D("8000.00"), D("2000.00"), D("10000.00"), FinancingType.FIXED_AMOUNT),
        (D("8000.00"), D("1999.50"), D("10000.00"), FinancingType.PROPORTIONAL),
        (D("20000.00"), D("5000.00"), D("25000.00"), FinancingType.PROPORTIONAL),
    ],
)
def test_the_programme_rule_decides_the_financing_type(rules_world, amount, own, costs, ruled):
    app = _in_review(rules_world, costs=costs, own=own)
    if not app.plan.own_share_reaches(D("20.00")):
        app.own_share_justification = "Gemeinnütziger Träger ohne Rücklagen."
        app.save(update_fields=["own_share_justification"])
    decision = _propose(app, rules_world, amount=amount)
    assert decision.financing_type == ruled


def test_another_financing_type_without_justification_is_refused(rules_world):
    app = _in_review(rules_world, costs=D("25000.00"), own=D("5000.00"))
    with pytest.raises(RuleViolated) as refused:
        _propose(app, rules_world, amount=D("20000.00"), financing_type=FinancingType.FIXED_AMOUNT)
    assert refused.value.messages == [
        "Nach den Regeln des Programms ist für 20.000,00 € die Anteilsfinanzierung vorgesehen. "
        "Eine andere Finanzierungsart (Festbetragsfinanzierung) braucht eine Begründung."
    ]
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW
    assert not Decision.objects.exists()


def test_another_financing_type_with_justification_shows_in_the_four_eyes_step(client, rules_world):
    app = _in_review(rules_world, costs=D("25000.00"), own=D("5000.00"))
    decision = _propose(
        app,
        rules_world,
        amount=D("20000.00"),
        financing_type=FinancingType.FIXED_AMOUNT,
        financing_type_justification="Kosten stehen durch Festpreisangebote fest.",
    )
    assert decision.financing_type == FinancingType.FIXED_AMOUNT
    client.force_login(rules_world.second_case_worker)
    page = client.get(step_url(app, "bestaetigen")).content.decode()
    assert "Abweichende Finanzierungsart" in page
    assert "Kosten stehen durch Festpreisangebote fest." in page
    decision_confirm(application=app, actor=rules_world.second_case_worker)
    app.refresh_from_db()
    assert app.state == S.APPROVED
    assert app.financing_type == FinancingType.FIXED_AMOUNT


def _form_data(app, **values):
    start = app.start_date
    data = {
        "seen": seen(app),
        "amount": "20.000,00",
        "financing_type": "fixed_amount",
        "financing_type_justification": "",
        "funding_start": start.isoformat(),
        "funding_end": (start + dt.timedelta(days=10)).isoformat(),
        "purpose": "Sprachcafé",
        "conditions": "",
        "instalments": "",
        "note": "",
    }
    data.update(values)
    return data


def test_the_form_refuses_another_type_without_justification_and_changes_nothing(
    client, rules_world
):
    app = _in_review(rules_world, costs=D("25000.00"), own=D("5000.00"))
    client.force_login(rules_world.case_worker)
    page = client.get(step_url(app, "bewilligung")).content.decode()
    assert "Nach den Regeln des Programms: Anteilsfinanzierung" in page
    response = client.post(step_url(app, "bewilligung"), _form_data(app))
    assert response.status_code == 422
    assert "Eine andere Finanzierungsart (Festbetragsfinanzierung) braucht eine Begründung" in (
        response.content.decode()
    )
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW
    assert not Decision.objects.exists()
    response = client.post(
        step_url(app, "bewilligung"),
        _form_data(app, financing_type_justification="Festpreise liegen vor."),
    )
    assert response.status_code == 302
    assert Decision.objects.get().financing_type_justification == "Festpreise liegen vor."


def test_a_programme_without_rules_lets_the_case_worker_choose(rules_world):
    rules_world.programme.financing_type_rules.all().delete()
    app = _in_review(rules_world, costs=D("25000.00"), own=D("5000.00"))
    decision = _propose(app, rules_world, amount=D("20000.00"), financing_type="deficit")
    assert decision.financing_type == FinancingType.DEFICIT


# --- own share, exactly ------------------------------------------------------------------------


def test_own_share_of_19_995_percent_is_below_20_percent(rules_world):
    # 3,999.00 of 20,000.00 € is 19.995 %: rounded to two places it would read 20.00 %.
    app = _in_review(rules_world, costs=D("20000.00"), own=D("3999.00"))
    plan = app.plan
    assert not plan.own_share_reaches(D("20.00"))
    assert plan.own_share_percent == D("19.99")
    assert rules_world.programme.financing_type_for(D("8000.00"), plan) == (
        FinancingType.PROPORTIONAL
    )
    with pytest.raises(RuleViolated, match="Eigenanteil liegt unter dem Mindestanteil"):
        _propose(app, rules_world, amount=D("8000.00"))
    assert not Decision.objects.exists()


def test_own_share_of_exactly_20_percent_reaches_the_minimum(rules_world):
    app = _in_review(rules_world, costs=D("20000.00"), own=D("4000.00"))
    assert app.plan.own_share_reaches(D("20.00"))
    decision = _propose(app, rules_world, amount=D("8000.00"))
    assert decision.financing_type == FinancingType.FIXED_AMOUNT


# --- duration and fiscal years --------------------------------------------------------------


@pytest.fixture
def region_world(db):
    """Regionsfonds: projects up to 24 months, a grant split over at most two fiscal years."""
    world = build_world(
        administrative_decision_limit=D("50000.00"),
        max_project_months=24,
        max_fiscal_years=2,
        min_own_share_percent=D("0.00"),
    )
    world.programme.financing_type_rules.all().delete()
    return world


def test_the_last_day_of_24_months():
    assert period_last_day(dt.date(2026, 1, 1), 24) == dt.date(2027, 12, 31)
    assert period_last_day(dt.date(2026, 3, 15), 24) == dt.date(2028, 3, 14)
    # No 31 February: a month from 31 January ends on the last day of February.
    assert period_last_day(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_24_months_pass_and_24_months_and_one_day_are_refused(region_world):
    today = timezone.localdate() + dt.timedelta(days=1)  # the project starts after submission
    last = period_last_day(today, 24)
    app = _in_review(region_world, costs=D("30000.00"), own=D("0.00"), start=today, end=last)
    split = {today.year: D("10000.00"), last.year: D("20000.00")}
    with pytest.raises(RuleViolated) as refused:
        _propose(
            app,
            region_world,
            amount=D("30000.00"),
            funding_start=today,
            funding_end=last + dt.timedelta(days=1),
            year_amounts={today.year: D("10000.00"), last.year: D("20000.00")},
        )
    assert (
        f"Der Förderzeitraum darf höchstens 24 Monate dauern: Bei Beginn am {today:%d.%m.%Y} "
        f"endet er spätestens am {last:%d.%m.%Y}." in refused.value.messages
    )
    assert not Decision.objects.exists()
    decision = _propose(
        app,
        region_world,
        amount=D("30000.00"),
        funding_start=today,
        funding_end=last,
        year_amounts=split,
    )
    assert decision.funding_end == last


def test_a_split_over_three_fiscal_years_is_refused_two_pass(region_world):
    today = timezone.localdate() + dt.timedelta(days=1)  # the project starts after submission
    last = period_last_day(today, 24)
    assert last.year - today.year == 2, "a 24-month period touches three calendar years"
    app = _in_review(region_world, costs=D("30000.00"), own=D("0.00"), start=today, end=last)
    three = {today.year: D("10000.00"), today.year + 1: D("10000.00"), last.year: D("10000.00")}
    with pytest.raises(RuleViolated) as refused:
        _propose(app, region_world, amount=D("30000.00"), funding_end=last, year_amounts=three)
    assert refused.value.messages == [
        "Die Zuwendung darf auf höchstens 2 Haushaltsjahre aufgeteilt werden, vorgeschlagen sind 3."
    ]
    assert not Decision.objects.exists()
    two = {today.year: D("10000.00"), today.year + 1: D("20000.00")}
    decision = _propose(app, region_world, amount=D("30000.00"), funding_end=last, year_amounts=two)
    assert decision.year_amounts.count() == 2


def test_the_form_refuses_three_fiscal_years(client, region_world):
    today = timezone.localdate() + dt.timedelta(days=1)  # the project starts after submission
    last = period_last_day(today, 24)
    app = _in_review(region_world, costs=D("30000.00"), own=D("0.00"), start=today, end=last)
    client.force_login(region_world.case_worker)
    data = _form_data(
        app,
        amount="30.000,00",
        financing_type="proportional",
        funding_start=today.isoformat(),
        funding_end=last.isoformat(),
        **{
            f"year_{today.year}": "10.000,00",
            f"year_{today.year + 1}": "10.000,00",
            f"year_{last.year}": "10.000,00",
        },
    )
    response = client.post(step_url(app, "bewilligung"), data)
    assert response.status_code == 422
    assert "höchstens 2 Haushaltsjahre aufgeteilt werden, vorgeschlagen sind 3" in (
        response.content.decode()
    )
    assert not Decision.objects.exists()
    assert not StatusChange.objects.filter(transition="propose_approval").exists()


def test_submission_refuses_24_months_and_one_day(region_world):
    from grants.models import Application

    today = timezone.localdate()
    start = today + dt.timedelta(days=1)
    app = Application.objects.create(
        programme=region_world.programme,
        call=region_world.call,
        applicant=region_world.applicant,
        created_by=region_world.owner,
        title="Nachbarschaftsprojekt",
        summary="Zwei Jahre Nachbarschaft.",
        goals="Begegnung.",
        start_date=start,
        end_date=period_last_day(start, 24) + dt.timedelta(days=1),
    )
    app.areas.set(region_world.programme.areas.all()[:1])
    add_plan(app, costs=D("30000.00"), own=D("0.00"))
    with pytest.raises(RuleViolated, match="überschreitet die Höchstlaufzeit"):
        application_submit(application=app, actor=region_world.owner)
    app.end_date = period_last_day(start, 24)
    app.save(update_fields=["end_date"])
    application_submit(application=app, actor=region_world.owner)
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


def test_the_confirmation_checks_the_rules_again(rules_world):
    """A proposal made before the rule changed is not confirmed against it."""
    app = _in_review(rules_world, costs=D("25000.00"), own=D("5000.00"))
    _propose(app, rules_world, amount=D("20000.00"))
    rules_world.programme.financing_type_rules.filter(amount_up_to__isnull=True).update(
        financing_type=FinancingType.DEFICIT
    )
    with pytest.raises(
        RuleViolated, match=r"Eine andere Finanzierungsart .* braucht eine Begründung"
    ):
        decision_confirm(application=app, actor=rules_world.second_case_worker)
    app.refresh_from_db()
    assert app.state == S.DECISION_PROPOSED


def test_the_suggested_split_keeps_to_the_programme_s_fiscal_years():
    from grants.services.decisions import suggest_year_split

    start, end = dt.date(2026, 7, 1), dt.date(2028, 6, 30)
    three = suggest_year_split(D("30000.00"), start, end)
    assert sorted(three) == [2026, 2027, 2028]
    two = suggest_year_split(D("30000.00"), start, end, max_years=2)
    # The last allowed year also takes the share of the year after it.
    assert two == {2026: three[2026], 2027: three[2027] + three[2028]}
    assert sum(two.values()) == D("30000.00")
