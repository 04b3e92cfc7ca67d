"""Payouts follow the commitment: by fiscal year, up to the justified amount after the proof
check, and no call for funds once the funding period or the proof of use is over."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.errors import RuleViolated
from grants.models import Application, ApplicationState, Payout
from grants.selectors.payouts import commitment_by_year, open_payout_hints, payouts_by_year
from grants.services.decisions import decision_confirm, decision_propose
from grants.services.payouts import payout_plan, payout_request
from tests.factories import advance, draft, pay

S = ApplicationState


def granted_over_two_years(world, first: str = "3000", second: str = "5000") -> Application:
    """8,000 € approved from today to next summer: ``first`` on this year's budget, ``second``
    on next year's, final at once."""
    app = advance(draft(world), world, S.IN_REVIEW)
    today = timezone.localdate()
    decision_propose(
        application=app,
        actor=world.case_worker,
        amount=D("8000"),
        funding_start=today + dt.timedelta(days=1),
        funding_end=dt.date(today.year + 1, 6, 30),
        purpose="Sprachcafé",
        year_amounts={today.year: D(first), today.year + 1: D(second)},
    )
    decision_confirm(application=app, actor=world.second_case_worker)
    return advance(app, world, S.FINAL)


def _plan(app, world, amount, due):
    return payout_plan(application=app, actor=world.case_worker, amount=D(amount), due_date=due)


def test_a_payout_is_booked_on_the_share_of_its_fiscal_year(world):
    app = granted_over_two_years(world)
    today = timezone.localdate()
    next_year = dt.date(today.year + 1, 1, 15)

    assert commitment_by_year(app) == {today.year: D("3000.00"), today.year + 1: D("5000.00")}
    with pytest.raises(RuleViolated) as refused:
        _plan(app, world, "3000.01", today)
    assert str(refused.value.messages[0]) == (
        f"Für das Haushaltsjahr {today.year} sind 3.000,00 € gebunden, davon sind 0,00 € "
        "ausgezahlt oder in Auszahlung. Auf dieses Jahr können höchstens noch 3.000,00 € "
        "gebucht werden."
    )
    assert not app.payouts.exists()

    this_year = _plan(app, world, "3000.00", today)
    later = _plan(app, world, "5000.00", next_year)

    assert (this_year.fiscal_year, later.fiscal_year) == (today.year, today.year + 1)
    assert payouts_by_year(app) == commitment_by_year(app)


def test_no_year_is_paid_more_than_its_share_even_if_the_grant_has_room(world):
    app = granted_over_two_years(world)
    today = timezone.localdate()
    _plan(app, world, "2000.00", today)

    with pytest.raises(RuleViolated, match=re.escape("höchstens noch 1.000,00 €")):
        _plan(app, world, "1500.00", today)
    assert app.payouts.count() == 1


def test_money_of_a_later_year_is_not_paid_early(world):
    app = granted_over_two_years(world, first="0.01", second="7999.99")
    today = timezone.localdate()
    _plan(app, world, "0.01", today)

    with pytest.raises(RuleViolated, match=re.escape("höchstens noch 0,00 €")):
        _plan(app, world, "100.00", today)


def test_a_payout_before_the_first_fiscal_year_of_the_grant_is_refused(world):
    app = advance(draft(world), world, S.IN_REVIEW)
    today = timezone.localdate()
    start = dt.date(today.year + 1, 1, 1)
    decision_propose(
        application=app,
        actor=world.case_worker,
        amount=D("8000"),
        funding_start=start,
        funding_end=start + dt.timedelta(days=150),
        purpose="Sprachcafé",
    )
    decision_confirm(application=app, actor=world.second_case_worker)
    app = advance(app, world, S.FINAL)

    with pytest.raises(RuleViolated, match=f"Für das Haushaltsjahr {today.year} ist von der"):
        _plan(app, world, "100.00", today)
    assert _plan(app, world, "100.00", start).fiscal_year == start.year


def test_the_final_payment_after_the_last_year_is_carried_over_to_it(world):
    app = advance(draft(world), world, S.FINAL)
    year = max(commitment_by_year(app))
    payout = _plan(app, world, "1000.00", dt.date(year + 1, 3, 1))
    assert payout.fiscal_year == year


def test_a_call_for_funds_through_the_form_is_refused_beyond_the_years_share(client, world):
    app = granted_over_two_years(world, first="1000", second="7000")
    client.force_login(world.owner)
    today = timezone.localdate()
    needed = today + dt.timedelta(days=10)
    if needed.year != today.year:  # late December: the form's date falls into next year
        pytest.skip("the test needs ten days left in the year")

    response = client.post(
        reverse("portal:payout", args=[app.pk]),
        {"amount": "1.500,00", "needed_on": needed.isoformat()},
    )

    assert "Auf dieses Jahr können höchstens noch 1.000,00 € gebucht werden." in (
        response.content.decode()
    )
    assert not app.payouts.exists()


# --- the justified amount is the cap after the proof check --------------------------------


def _checked(world, justified: str, paid: str = "5000.00") -> Application:
    app = advance(draft(world), world, S.RUNNING)
    pay(app, world, D(paid))
    app = advance(app, world, S.PROOF_ACCEPTED)
    # What the check justified, set directly: the cap is the subject here, not the check.
    Application.objects.filter(pk=app.pk).update(justified_amount=D(justified))
    app.refresh_from_db()
    return app


def test_after_the_proof_check_the_justified_amount_caps_the_final_payment(world):
    app = _checked(world, justified="6000.00")

    with pytest.raises(RuleViolated) as refused:
        _plan(app, world, "3000.00", timezone.localdate())
    assert str(refused.value.messages[0]) == (
        "Nach der Prüfung des Verwendungsnachweises stehen 6.000,00 € zu; ausgezahlt oder in "
        "Auszahlung sind 5.000,00 €. Es können höchstens noch 1.000,00 € ausgezahlt werden."
    )
    final = _plan(app, world, "1000.00", timezone.localdate())
    assert final.amount == D("1000.00")


def test_nothing_more_is_paid_when_the_check_justified_less_than_was_paid(world):
    app = _checked(world, justified="4000.00")
    with pytest.raises(RuleViolated, match=re.escape("höchstens noch 0,00 €")):
        _plan(app, world, "0.01", timezone.localdate())


# --- no call for funds after the funding period or the proof of use ----------------------


def test_no_call_for_funds_after_the_funding_period(world):
    app = advance(draft(world), world, S.RUNNING)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Application.objects.filter(pk=app.pk).update(funding_end=yesterday)

    with pytest.raises(RuleViolated) as refused:
        payout_request(
            application=app,
            actor=world.owner,
            amount=D("100"),
            needed_on=timezone.localdate() + dt.timedelta(days=5),
        )
    assert str(refused.value.messages[0]).startswith(
        f"Der Förderzeitraum ist am {yesterday:%d.%m.%Y} abgelaufen: Mittel können nicht mehr "
        "abgerufen werden."
    )
    assert not app.payouts.exists()


def test_no_call_for_funds_through_the_form_once_the_proof_is_submitted(client, world):
    app = advance(draft(world), world, S.PROOF_SUBMITTED)
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:payout", args=[app.pk]),
        {"amount": "100,00", "needed_on": timezone.localdate().isoformat()},
    )

    assert "Der Verwendungsnachweis ist eingereicht: Mittel können nicht mehr abgerufen" in (
        response.content.decode()
    )
    assert not app.payouts.exists()
    with pytest.raises(RuleViolated, match="Bitte prüfen Sie ihn zuerst"):
        _plan(app, world, "100.00", timezone.localdate())


def test_an_open_payout_is_named_in_the_proof_check_with_what_to_do(client, world):
    app = advance(draft(world), world, S.RUNNING)
    payout = payout_request(
        application=app,
        actor=world.owner,
        amount=D("2000"),
        needed_on=timezone.localdate(),
    )
    app = advance(app, world, S.PROOF_SUBMITTED)

    hints = open_payout_hints(app.payouts.all())
    assert [h.payout for h in hints] == [payout]
    assert "Die Auszahlung über 2.000,00 €" in hints[0].text
    assert "Bitte zeichnen und anordnen" in hints[0].text

    client.force_login(world.case_worker)
    page = client.get(reverse("casework:file", args=[app.pk])).content.decode()
    assert "Vor der Prüfung des Verwendungsnachweises zu erledigen" in page
    assert f'href="#auszahlung-{payout.pk}"' in page
    assert "die Akte nennt jede mit dem, was vor der Prüfung zu tun ist" in page


def test_the_planning_form_refuses_more_than_the_justified_amount_allows(client, world):
    app = _checked(world, justified="6000.00")
    client.force_login(world.case_worker)
    url = reverse("casework:step", args=[app.pk, "auszahlung"])
    seen = client.get(url).context["form"].initial["seen"]
    today = timezone.localdate().isoformat()

    refused = client.post(
        url, {"seen": seen, "amount": "3.000,00", "due_date": today, "kind": "final"}
    )

    assert "Es können höchstens noch 1.000,00 € ausgezahlt werden." in refused.content.decode()
    assert app.payouts.count() == 1
    client.post(url, {"seen": seen, "amount": "1.000,00", "due_date": today, "kind": "final"})
    assert app.payouts.filter(kind=Payout.Kind.FINAL, amount=D("1000.00")).exists()
