"""Autosave in a real Chromium: a draft's project, classification and plan steps and the
proof of use save in the background as the person types ("Gespeichert um 14:32"), so closing the tab loses nothing; in
the seconds before a save, leaving the page still asks first."""

import time
from decimal import Decimal

import pytest
from django.db import OperationalError
from playwright.sync_api import Page, expect

from grants.models import Application, ApplicationState
from tests.browser.test_casework_journey import login_as
from tests.browser.test_unsaved_input import LEAVING_IS_QUESTIONED
from tests.factories import advance, build_world, draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(check, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OperationalError as error:
            # SQLite's shared in-memory test database locks a table while the live server's
            # thread is still writing the beacon's save ("database table is locked"); a busy
            # timeout does not apply to that lock, so a locked table just means "not yet".
            if "locked" not in str(error):
                raise
        time.sleep(0.2)
    raise AssertionError("not saved in time")


def test_a_draft_saves_while_typing_and_a_closed_tab_loses_nothing(
    page: Page, live_server, axe_check
) -> None:
    world = build_world()
    application = draft(world)
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/projekt/")
    expect(page.get_by_role("status").filter(has_text="automatisch gespeichert")).to_be_visible()
    axe_check(page)

    page.get_by_label("Ziele").fill("Nachbarschaft stärken, ohne Knopfdruck gespeichert")
    # Typed a moment ago and not saved yet: leaving asks first.
    assert page.evaluate(LEAVING_IS_QUESTIONED) is True
    expect(page.get_by_role("status").filter(has_text="Gespeichert um")).to_be_visible()
    assert page.evaluate(LEAVING_IS_QUESTIONED) is False, "saved: nothing to lose"
    axe_check(page)
    page.close()

    application.refresh_from_db()
    assert application.goals == "Nachbarschaft stärken, ohne Knopfdruck gespeichert"


def test_leaving_at_once_after_typing_still_saves(page: Page, live_server) -> None:
    world = build_world()
    application = draft(world)
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/projekt/")

    page.get_by_label("Kurzbeschreibung").fill("Sofort weggeklickt")
    page.goto("about:blank")  # the page is hidden before the autosave's delay has passed

    wait_for(lambda: Application.objects.get(pk=application.pk).summary == "Sofort weggeklickt")


def test_input_that_does_not_validate_is_not_saved_and_says_so(page: Page, live_server) -> None:
    world = build_world()
    application = draft(world)
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/projekt/")

    page.get_by_label("Projekttitel").fill("")

    expect(page.get_by_role("status").filter(has_text="Noch nicht automatisch")).to_be_visible()
    assert page.evaluate(LEAVING_IS_QUESTIONED) is True
    application.refresh_from_db()
    assert application.title
    # Corrected, it is saved; nothing is left for a save on closing that would race the
    # test's database flush.
    page.get_by_label("Projekttitel").fill("Sprachcafé am Abend")
    expect(page.get_by_role("status").filter(has_text="Gespeichert um")).to_be_visible()
    assert page.evaluate(LEAVING_IS_QUESTIONED) is False


def test_the_proof_of_use_saves_while_typing(page: Page, live_server, axe_check) -> None:
    world = build_world()
    application = advance(draft(world), world, ApplicationState.PROOF_DUE)
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/verwendungsnachweis/")

    page.get_by_label("Sachbericht").fill("Zwölf Treffen mit 30 Menschen.")

    expect(page.get_by_role("status").filter(has_text="Gespeichert um")).to_be_visible()
    axe_check(page)
    page.close()
    application.refresh_from_db()
    assert application.proof_report == "Zwölf Treffen mit 30 Menschen."


def test_the_plan_saves_its_rows_and_a_row_typed_wrong_waits(
    page: Page, live_server, axe_check
) -> None:
    world = build_world()
    application = draft(world)
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/finanzplan/")
    first_cost = page.get_by_role("group", name="Ausgabe 1")
    status = page.get_by_role("status").filter(has_text="automatisch gespeichert")
    expect(status).to_be_visible()

    first_cost.get_by_label("Betrag").fill("12.000,00")

    expect(page.get_by_role("status").filter(has_text="Gespeichert um")).to_be_visible()
    axe_check(page)
    wait_for(
        lambda: (
            list(application.cost_lines.values_list("amount", flat=True)) == [Decimal("12000.00")]
        )
    )

    first_cost.get_by_label("Betrag").fill("12.000,0x")
    expect(
        page.get_by_role("status").filter(has_text="Eine Zeile passt noch nicht")
    ).to_be_visible()
    assert page.evaluate(LEAVING_IS_QUESTIONED) is True
    assert list(application.cost_lines.values_list("amount", flat=True)) == [Decimal("12000.00")]
    first_cost.get_by_label("Betrag").fill("12.500,00")
    expect(page.get_by_role("status").filter(has_text="Gespeichert um")).to_be_visible()
    wait_for(
        lambda: (
            list(application.cost_lines.values_list("amount", flat=True)) == [Decimal("12500.00")]
        )
    )


def test_the_classification_saves_a_ticked_box_and_a_closed_tab_keeps_it(
    page: Page, live_server
) -> None:
    world = build_world()
    application = draft(world)
    application.areas.clear()
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/zielgruppen/")

    page.get_by_label("Mitte").check()
    page.close()

    wait_for(lambda: list(application.areas.values_list("name", flat=True)) == ["Mitte"])


def test_the_attachments_step_says_files_are_saved_by_uploading(page: Page, live_server) -> None:
    world = build_world()
    application = draft(world)
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{application.pk}/anlagen/")

    expect(
        page.get_by_role("status").filter(
            has_text="Dateien werden erst mit „Hochladen“ gespeichert"
        )
    ).to_be_visible()
