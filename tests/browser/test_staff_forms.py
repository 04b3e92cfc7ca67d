"""Case-work forms in a real Chromium, found by their accessible names: a step sent with an
amount in the wrong notation answers with the error summary (focused, linking to the field),
the amount is then typed in German notation and shown so in the file; the busy state of a
step and the finance exports; a payout cancelled without reason (issue 13, items 9 and 12). axe-core checks every page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from grants.models import ApplicationState, Decision, Payout
from grants.services.decisions import decision_letter_make
from grants.services.payouts import payout_plan
from tests.browser.test_casework_journey import login_as
from tests.factories import advance, build_world, draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationState


def test_a_staff_form_summarises_its_errors_and_takes_german_amounts(
    page: Page, live_server, axe_check
) -> None:
    world = build_world()
    app = advance(draft(world), world, S.IN_REVIEW)
    login_as(page, live_server, world.case_worker)
    page.goto(f"{live_server.url}/sachbearbeitung/antraege/{app.pk}/")
    page.get_by_role("link", name="Bewilligung vorschlagen").click()

    amount = page.get_by_label("Zuwendung in €")
    # Shown in German notation, in a text box (not type=number, which refuses "3.000,00").
    expect(amount).to_have_attribute("type", "text")
    expect(amount).to_have_attribute("inputmode", "decimal")
    expect(amount).to_have_value(re.compile(r"^\d{1,3}(\.\d{3})*,\d\d$"))
    axe_check(page)

    amount.fill("7000.00")
    page.get_by_label("Zuwendungszweck").fill("")
    page.get_by_role("button", name="Bewilligung vorschlagen").click()

    summary = page.get_by_role("alert").filter(has_text="Bitte prüfen Sie 2 Angaben.")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_label("Zuwendung in €")).to_have_value("7000.00")
    axe_check(page)
    summary.get_by_role("link", name="Zuwendung in €: Bitte geben Sie einen Betrag").click()
    expect(page.get_by_label("Zuwendung in €")).to_be_focused()
    assert not Decision.objects.exists()

    page.get_by_label("Zuwendung in €").fill("3.000,00")
    page.get_by_label("Zuwendungszweck").fill("Sprachcafé im Stadtteil")
    # A period over several fiscal years is split by year, in German notation as well.
    years = page.get_by_role("textbox", name=re.compile("Anteil Haushaltsjahr"))
    for index in range(years.count()):
        years.nth(index).fill("3.000,00" if index == 0 else "0,00")
    page.get_by_role("button", name="Bewilligung vorschlagen").click()

    expect(page.get_by_text("„Bewilligung vorschlagen“ ist erledigt.")).to_be_visible()
    assert Decision.objects.get().amount == Decimal("3000.00")
    history = page.get_by_role("region", name="Verlauf")
    expect(history.get_by_text("Bewilligung vorgeschlagen")).to_be_visible()
    expect(page.get_by_text("3.000,00 €").first).to_be_visible()
    axe_check(page)


def test_confirming_a_decision_says_that_the_notice_is_being_made(
    page: Page, live_server, axe_check
) -> None:
    world = build_world()
    app = advance(draft(world), world, S.DECISION_PROPOSED)
    login_as(page, live_server, world.second_case_worker)
    page.goto(f"{live_server.url}/sachbearbeitung/antraege/{app.pk}/bestaetigen/")
    axe_check(page)

    # First without sending (a listener after the page's own stops the submit), to see the
    # busy state that a real confirmation shows for its few seconds.
    page.evaluate(
        "document.querySelector('form[data-busy]')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    button = page.get_by_role("button", name="Entscheidung bestätigen (zweite Person)")
    button.click()

    expect(page.get_by_role("status")).to_contain_text("Die Entscheidung wird gebucht")
    expect(page.locator("form[data-busy]")).to_have_attribute("aria-busy", "true")
    expect(button).to_have_attribute("aria-disabled", "true")
    axe_check(page)

    page.reload()
    page.get_by_role("button", name="Entscheidung bestätigen (zweite Person)").click()
    expect(page.get_by_text("ist erledigt.")).to_be_visible()
    app.refresh_from_db()
    assert app.state == S.APPROVED

    # The notice is made in the background: the file says so, asks again every few seconds
    # and shows the notice once the task (run here in its place) has made it.
    status = page.locator("#bescheide")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("Bescheid wird erstellt …")
    axe_check(page)
    decision_letter_make(decision_id=app.decisions.get().pk)
    expect(status.get_by_role("link", name=re.compile("Zuwendungsbescheid"))).to_be_visible(
        timeout=10_000
    )
    expect(status).not_to_contain_text("Bescheid wird erstellt")


def test_a_payout_cancelled_without_reason_summarises_the_error(
    page: Page, live_server, axe_check
) -> None:
    world = build_world()
    app = advance(draft(world), world, S.RUNNING)
    payout = payout_plan(
        application=app,
        actor=world.case_worker,
        amount=Decimal("100.00"),
        due_date=timezone.localdate(),
    )
    login_as(page, live_server, world.case_worker)
    page.goto(f"{live_server.url}/sachbearbeitung/antraege/{app.pk}/#auszahlungen")

    page.get_by_label("Grund der Stornierung").fill("   ")
    page.get_by_role("button", name="stornieren").click()

    summary = page.get_by_role("alert").filter(has_text="Bitte prüfen Sie 1 Angabe.")
    expect(summary).to_be_focused()
    axe_check(page)
    summary.get_by_role("link", name=re.compile("Grund der Stornierung")).click()
    expect(page.get_by_label("Grund der Stornierung")).to_be_focused()
    payout.refresh_from_db()
    assert payout.state == Payout.State.PLANNED
