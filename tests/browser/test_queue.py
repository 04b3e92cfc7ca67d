"""The work queue in a real Chromium: a row's "mir zuweisen" button sends the page's one
assign form to its own application, named for screen readers by its file number, and the
page passes axe-core."""

import pytest
from playwright.sync_api import Page, expect

from grants.models import Application, ApplicationState
from tests.browser.test_casework_journey import login_as
from tests.factories import advance, build_world, draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationState


def test_a_queue_row_button_takes_its_own_file(page: Page, live_server, axe_check) -> None:
    world = build_world()
    first = advance(draft(world), world, S.SUBMITTED)
    second = advance(draft(world), world, S.SUBMITTED)
    Application.objects.filter(pk=first.pk).update(assigned_to=world.second_case_worker)
    login_as(page, live_server, world.case_worker)
    page.goto(live_server.url + "/sachbearbeitung/antraege/?state=submitted")
    axe_check(page)
    page.get_by_role("button", name=f"mir zuweisen {second.file_number}").click()
    expect(page.get_by_text(f"{second.file_number} ist Ihnen zugewiesen.")).to_be_visible()
    # Back on the same filter, the row now says "ich"; the other file stays with its colleague.
    assert page.url.endswith("/sachbearbeitung/antraege/?state=submitted")
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.assigned_to == world.case_worker
    assert first.assigned_to == world.second_case_worker
    row = page.get_by_role("row").filter(has_text=second.file_number)
    expect(row.get_by_role("cell").last).to_have_text("ich")


def test_a_queue_row_taken_meanwhile_is_not_taken_again(page: Page, live_server) -> None:
    world = build_world()
    app = advance(draft(world), world, S.SUBMITTED)
    login_as(page, live_server, world.case_worker)
    page.goto(live_server.url + "/sachbearbeitung/antraege/")
    # A colleague takes the file while this page is open.
    Application.objects.filter(pk=app.pk).update(assigned_to=world.second_case_worker)
    page.get_by_role("button", name=f"mir zuweisen {app.file_number}").click()
    expect(page.get_by_text("inzwischen jemand anderem zugewiesen")).to_be_visible()
    app.refresh_from_db()
    assert app.assigned_to == world.second_case_worker
