"""Typed but unsent input of an application step is not lost unnoticed when the tab closes."""

import pytest
from playwright.sync_api import Page

from tests.factories import PASSWORD, build_world, draft

# What the browser does before closing or leaving a tab: it asks only if a handler objects.
LEAVING_IS_QUESTIONED = """() => {
    const event = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leaving_a_step_with_unsaved_input_asks_first(page: Page, live_server) -> None:
    world = build_world()
    application = draft(world)
    page.goto(live_server.url + "/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(world.owner.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{live_server.url}/antraege/{application.pk}/projekt/")
    assert page.evaluate(LEAVING_IS_QUESTIONED) is False, "nothing typed: leave without asking"

    page.get_by_label("Ziele").fill("Neue Ziele, noch nicht gespeichert")
    assert page.evaluate(LEAVING_IS_QUESTIONED) is True

    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()
    assert page.evaluate(LEAVING_IS_QUESTIONED) is False, "saved: nothing to lose"
    application.refresh_from_db()
    assert application.goals == "Neue Ziele, noch nicht gespeichert"
