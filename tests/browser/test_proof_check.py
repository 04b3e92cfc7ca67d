"""The proof check in Chromium as a case worker sees it under Fehlbedarfsfinanzierung: the
ANBest-P 20 % rule per cost line, a donation outside the plan and the receipts by line, with
the figures worked by hand in tests/proof/test_proof_figures.py. Photographed for the README
(`make screenshots`)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from grants.models import FinancingType
from grants.services.proof import receipt_add
from tests.browser.test_casework_journey import login_as
from tests.factories import build_world
from tests.proof.test_proof_check_lines import _running, _submit_through_the_page
from tests.screenshots import take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_proof_check_shows_the_line_rule_and_the_donation(
    page: Page, live_server, axe_check, client
) -> None:
    world = build_world()
    app = _running(world, FinancingType.DEFICIT)
    day = timezone.localdate() - dt.timedelta(days=5)
    for line, payee, text, amount in [
        ("Honorare Kursleitung", "Anna Beispiel", "Kursleitung März bis Mai", "2600.00"),
        ("Honorare Kursleitung", "Bernd Muster", "Kursleitung Juni bis August", "2000.00"),
        ("Kursleitung", "Clara Beispiel", "Vertretung der Kursleitung", "2500.00"),
        ("Material", "Papier & Co. KG", "Arbeitshefte", "2800.00"),
    ]:
        receipt_add(
            application=app,
            actor=world.owner,
            cost_line=app.cost_lines.get(description=line),
            date=day,
            payee=payee,
            description=text,
            amount=Decimal(amount),
        )
    _submit_through_the_page(client, world, app, donation=True)

    login_as(page, live_server, world.case_worker)
    page.goto(f"{live_server.url}/sachbearbeitung/antraege/{app.pk}/nachweispruefung/")

    fees = page.get_by_role("row").filter(has_text="Honorare Kursleitung").first
    expect(fees).to_contain_text("4.000,00 €")  # planned
    expect(fees).to_contain_text("4.600,00 €")  # proved, 15 % over the plan
    expect(fees).to_contain_text("4.800,00 €")  # at most plan + 20 %
    expect(page.get_by_role("row").filter(has_text="Spende der Bürgerstiftung")).to_contain_text(
        "600,00 €"
    )
    expect(page.get_by_role("row").filter(has_text="Arbeitshefte")).to_contain_text("2.800,00 €")
    axe_check(page)
    take(page, "casework-nachweispruefung-zeilenregel")
