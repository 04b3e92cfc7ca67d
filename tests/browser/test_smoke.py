"""The public pages in a real Chromium: KERN styles load, no serious WCAG violations, login works.

Screenshots go to docs/screenshots/ (`make screenshots`) so that a reviewer sees the pages.
"""

import pytest
from playwright.sync_api import Page, Response, expect

from applicants.models import User
from tests.screenshots import take

pytestmark = pytest.mark.browser

PASSWORD = "ein-langes-Test-Passwort-2026"


@pytest.fixture
def failed_responses(page: Page) -> list[str]:
    """Every request of the page that ended in 4xx/5xx, e.g. a stylesheet that is not served."""
    failed: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", record)
    return failed


def screenshot(page: Page, name: str) -> None:
    take(page, name)


def assert_kern_styled(page: Page) -> None:
    # KERN defines its design tokens as custom properties on :root; unstyled HTML has none.
    token = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--kern-color-action-default')"
    )
    assert token.strip(), "KERN CSS is not applied"
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Fira Sans" in font


@pytest.mark.parametrize(
    ("path", "name", "heading"),
    [
        ("/", "start", "Willkommen im Förderportal"),
        ("/barrierefreiheit/", "barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        ("/anmelden/", "anmelden", "Anmelden"),
    ],
)
def test_public_page_is_styled_and_accessible(
    page: Page, live_server, axe_check, failed_responses, path, name, heading
) -> None:
    page.goto(live_server.url + path)

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_kern_styled(page)
    axe_check(page)
    screenshot(page, name)
    assert failed_responses == []


def test_kern_stylesheet_is_served(page: Page, live_server) -> None:
    for asset in (
        "vendor/kern/kern.min.css",
        "vendor/kern/fonts/fira-sans.css",
        "css/foerderportal.css",
    ):
        response = page.request.get(f"{live_server.url}/static/{asset}")
        assert response.status == 200, asset
        assert "text/css" in response.headers["content-type"]


def test_skip_link_is_the_first_tab_stop(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()


def test_user_logs_in_and_out(page: Page, live_server, axe_check, failed_responses) -> None:
    User.objects.create_user(email="kim@verein.example", password=PASSWORD)
    page.goto(live_server.url + "/anmelden/")

    page.get_by_label("E-Mail-Adresse").fill("kim@verein.example")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    # The header of every page names the logged-in account.
    expect(page.get_by_text("Angemeldet als kim@verein.example", exact=True)).to_be_visible()
    assert "/anmelden/" not in page.url
    axe_check(page)
    page.goto(live_server.url + "/")
    expect(page.get_by_text("Sie sind angemeldet als kim@verein.example.")).to_be_visible()
    axe_check(page)
    screenshot(page, "angemeldet")

    page.get_by_role("button", name="Abmelden").click()

    expect(page.get_by_role("link", name="Anmelden").first).to_be_visible()
    assert failed_responses == []


def test_wrong_password_is_announced(page: Page, live_server, axe_check) -> None:
    User.objects.create_user(email="kim@verein.example", password=PASSWORD)
    page.goto(live_server.url + "/anmelden/")

    page.get_by_label("E-Mail-Adresse").fill("kim@verein.example")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("alert")).to_contain_text("Die Anmeldung ist fehlgeschlagen.")
    axe_check(page)
    screenshot(page, "anmelden-fehler")


def test_language_switch_to_english(page: Page, live_server, axe_check) -> None:
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Förderportal")
    axe_check(page)
