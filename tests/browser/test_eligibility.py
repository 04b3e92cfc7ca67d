"""The eligibility check before the first step, in a real Chromium, by accessible names:
refusing with its reasons, then passing and leading to the application."""

import pytest
from playwright.sync_api import Page, expect

from grants.models import Area
from tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_eligibility_check_refuses_then_passes(page: Page, live_server, axe_check) -> None:
    world = build_world(eligible_applicant_kinds=["association", "individual"])
    Area.objects.create(programme=world.programme, code="10", name="Linden-Limmer")
    page.goto(live_server.url + "/foerderprogramme/")
    page.get_by_role("link", name=f"Antrag stellen: {world.call.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Passt das Programm zu Ihrem Projekt?"
    )
    axe_check(page)

    page.get_by_role("group", name="Wer stellt den Antrag?").get_by_label("Kirchengemeinde").check()
    page.get_by_label("Wo findet das Projekt statt?").select_option(label="Woanders")
    page.get_by_role("group", name="Hat das Projekt schon begonnen?").get_by_label("Ja").check()
    page.get_by_label("Wie viel Geld möchten Sie ungefähr beantragen?").fill("4.500,00")
    page.get_by_role("button", name="Prüfen").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("passt leider nicht")
    expect(alert).to_contain_text("Kirchengemeinde kann bei diesem Programm keinen Antrag stellen.")
    expect(alert).to_contain_text("schon begonnen")
    axe_check(page)

    page.get_by_role("group", name="Wer stellt den Antrag?").get_by_label("Verein").check()
    page.get_by_label("Wo findet das Projekt statt?").select_option(label="Linden-Limmer")
    page.get_by_role("group", name="Hat das Projekt schon begonnen?").get_by_label("Nein").check()
    page.get_by_role("button", name="Prüfen").click()

    expect(page.get_by_role("status").first).to_contain_text("Das Programm passt")
    axe_check(page)
    page.get_by_role("link", name="Antrag beginnen").click()
    # Not logged in: the application starts after the login.
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
