"""No page of the product scrolls sideways (WCAG 1.4.10 Reflow), for every role, at a 1,280 px
window and a 390 px phone: the main pages of applicants, case workers, finance and the admin.
Each page is checked with axe-core too. Wide tables scroll inside their own region, which
does not count as the page scrolling."""

from typing import Any

import pytest
from playwright.sync_api import Page

from applicants.models import User
from grants.models import ApplicationState, Committee, Meeting
from tests.browser.test_casework_journey import login_as
from tests.factories import advance, build_world, draft
from tests.screenshots import take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationState
WIDTHS = (1280, 390)

# What sticks out to the right of the page, named so a failure says where to look.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const page = document.documentElement.scrollWidth;
    if (page <= width) return null;
    const culprits = [];
    for (const element of document.querySelectorAll("body *")) {
        const box = element.getBoundingClientRect();
        if (box.right > width + 1 && !element.closest(".fp-table-scroll, .kern-table-responsive")) {
            culprits.push(`${element.tagName.toLowerCase()}.${element.className}`.slice(0, 80));
        }
    }
    return {page, width, culprits: culprits.slice(0, 8)};
}"""


def assert_no_sideways_scroll(
    page: Page, axe_check: Any, url: str, *, axe: bool = True, phone_shot: str = ""
) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response}"
        overflow = page.evaluate(OVERFLOW)
        assert overflow is None, f"{url} scrolls sideways at {width} px: {overflow}"
        if phone_shot and width == 390:
            take(page, f"phone-{phone_shot}")
    if axe:
        axe_check(page)


@pytest.fixture
def world_with_cases() -> Any:
    world = build_world()
    world.owner.applicant = world.applicant
    world.draft = draft(world)
    world.submitted = advance(draft(world), world, S.SUBMITTED)
    # A long unbroken name must wrap, not widen the page.
    world.applicant.name = (
        "Interkultureller-Nachbarschafts-und-Begegnungsverein-Hannover-Linden e. V."
    )
    world.applicant.save()
    committee = Committee.objects.create(programme=world.programme, name="Arbeitsausschuss")
    world.meeting = Meeting.objects.create(
        committee=committee,
        date=world.call.deadline.date(),
        location="Rathaus",
        created_by=world.case_worker,
    )
    return world


def test_public_pages_do_not_scroll_sideways(page: Page, live_server, axe_check, world_with_cases):
    for path in [
        "/",
        "/foerderprogramme/",
        "/leichte-sprache/",
        "/anmelden/",
        "/registrieren/",
        "/passwort-vergessen/",
        "/barrierefreiheit/",
        "/datenschutz/",
        "/impressum/",
    ]:
        assert_no_sideways_scroll(page, axe_check, live_server.url + path)


def test_applicant_pages_do_not_scroll_sideways(
    page: Page, live_server, axe_check, world_with_cases
):
    world = world_with_cases
    login_as(page, live_server, world.owner)
    draft_pk, submitted_pk = world.draft.pk, world.submitted.pk
    for path in [
        "/antraege/",
        f"/antraege/neu/{world.call.pk}/",
        f"/antraege/{draft_pk}/projekt/",
        f"/antraege/{draft_pk}/zielgruppen/",
        f"/antraege/{draft_pk}/finanzplan/",
        f"/antraege/{draft_pk}/anlagen/",
        f"/antraege/{draft_pk}/pruefen/",
        f"/antraege/{submitted_pk}/",
        "/profil/",
        f"/profil/{world.applicant.pk}/bearbeiten/",
        "/konto/",
        "/konto/passwort/",
        "/benachrichtigungen/",
    ]:
        assert_no_sideways_scroll(page, axe_check, live_server.url + path)
    # The README shows two of them as a phone sees them.
    for path, name in [
        ("/antraege/", "antraege"),
        (f"/antraege/{draft_pk}/finanzplan/", "finanzplan"),
    ]:
        assert_no_sideways_scroll(page, axe_check, live_server.url + path, phone_shot=name)


def test_case_worker_pages_do_not_scroll_sideways(
    page: Page, live_server, axe_check, world_with_cases
):
    world = world_with_cases
    login_as(page, live_server, world.case_worker)
    for path in [
        "/sachbearbeitung/",
        "/sachbearbeitung/antraege/",
        f"/sachbearbeitung/antraege/{world.submitted.pk}/",
        "/sachbearbeitung/sitzungen/",
        f"/sachbearbeitung/sitzungen/{world.meeting.pk}/",
        "/sachbearbeitung/vorlagen/",
    ]:
        assert_no_sideways_scroll(page, axe_check, live_server.url + path)


def test_finance_pages_do_not_scroll_sideways(page: Page, live_server, axe_check, world_with_cases):
    world = world_with_cases
    login_as(page, live_server, world.finance)
    for path in [
        "/finanzen/",
        "/finanzen/auszahlungen/",
        "/finanzen/stapel/",
        "/finanzen/berichte/",
    ]:
        assert_no_sideways_scroll(page, axe_check, live_server.url + path)


def test_admin_pages_do_not_scroll_sideways(page: Page, live_server, axe_check, world_with_cases):
    admin = User.objects.create_superuser(email="admin@stadt.example", password="x-very-long-1")
    login_as(page, live_server, admin)
    programme = world_with_cases.programme
    assert_no_sideways_scroll(page, axe_check, live_server.url + "/admin/")
    # The programme's inline rows lack labels today (the admin rework of issue 13, item 13,
    # makes that page axe-clean); its width is checked here already.
    assert_no_sideways_scroll(
        page,
        axe_check,
        f"{live_server.url}/admin/grants/programme/{programme.pk}/change/",
        axe=False,
    )
