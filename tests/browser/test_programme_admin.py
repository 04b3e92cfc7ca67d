"""The admin's programme pages in Chromium with axe-core: a new programme is set up with
applicant types as checkboxes and its own contact address (issue 13, item 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from applicants.models import User
from grants.models import FundingBody, Programme
from tests.browser.test_casework_journey import login_as
from tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_programme_pages_of_the_admin_pass_axe(page: Page, live_server, axe_check) -> None:
    world = build_world()
    world.programme.areas.create(code="mitte", name="Mitte", position=1)
    root = User.objects.create_superuser("root@example.org", "x")
    login_as(page, live_server, root)

    page.goto(f"{live_server.url}/admin/grants/programme/{world.programme.pk}/change/")
    expect(page.get_by_role("textbox", name="Bezeichnung, Zeile 1").first).to_be_visible()
    axe_check(page)

    page.goto(f"{live_server.url}/admin/grants/programme/add/")
    axe_check(page)
    page.get_by_label("Zuwendungsgeber:", exact=True).select_option(
        str(FundingBody.objects.get(pk=world.programme.funding_body_id).pk)
    )
    page.get_by_label("Kürzel").fill("RFV")
    page.get_by_label("Name:", exact=True).fill("Regionsfonds für Vielfalt")
    page.get_by_label("Kontakt-E-Mail des Programms").fill("vielfalt@region.example")
    page.get_by_label("Teilhaushalt").fill("52")
    page.get_by_label("Produkt:", exact=True).fill("331111")
    page.get_by_label("Sachkonto").fill("43180000")
    page.get_by_label("Kostenstelle").fill("5201")
    page.get_by_label("Höchstbetrag je Antrag").fill("40000")
    page.get_by_role("checkbox", name="Verein").check()
    page.get_by_role("checkbox", name="Einzelperson").check()
    page.get_by_role("button", name="Sichern", exact=True).click()

    expect(page.get_by_text("erfolgreich hinzugefügt")).to_be_visible()
    programme = Programme.objects.get(code="RFV")
    assert programme.eligible_applicant_kinds == ["association", "individual"]
    assert programme.contact_address == "vielfalt@region.example"
    axe_check(page)
