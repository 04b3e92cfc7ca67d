"""A finance clerk exports, downloads again and marks paid in a real Chromium; every page of
the finance area passes the axe WCAG 2.1 AA check."""

from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from grants.models import Payout
from tests.conftest import current_code
from tests.factories import PASSWORD, build_world
from tests.reporting.conftest import ordered_payout, running_application
from tests.screenshots import take

pytestmark = pytest.mark.browser


def screenshot(page: Page, name: str) -> None:
    take(page, name)


def test_finance_clerk_exports_downloads_and_marks_paid(
    page: Page, live_server, transactional_db, axe_check, settings, tmp_path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    world = build_world()
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("1234.56"))

    app_device = TOTPDevice.objects.create(user=world.finance, name="App", confirmed=True)
    page.goto(live_server.url + "/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(world.finance.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    # Finance is staff: the password leads on to the second factor, typed from the app.
    page.get_by_label("Code").fill(current_code(app_device))
    page.get_by_role("button", name="Bestätigen").click()

    page.goto(live_server.url + "/finanzen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Finanzen")
    axe_check(page)
    screenshot(page, "finanzen-uebersicht")

    page.get_by_role("link", name="Angeordnete Auszahlungen").first.click()
    expect(page.get_by_role("row", name=app.file_number)).to_be_visible()
    axe_check(page)
    screenshot(page, "finanzen-auszahlungen")

    page.get_by_role("button", name="Jetzt exportieren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exportstapel AA-")
    axe_check(page)
    screenshot(page, "finanzen-stapel")
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED

    with page.expect_download() as download:
        page.get_by_role("link", name="Datei erneut herunterladen").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("button", name="Stapel als ausgezahlt markieren").click()
    expect(
        page.get_by_role("status").filter(has_text="1 Auszahlung als ausgezahlt markiert")
    ).to_be_visible()
    payout.refresh_from_db()
    assert payout.state == Payout.State.PAID

    page.goto(live_server.url + "/finanzen/berichte/")
    axe_check(page)
    screenshot(page, "finanzen-berichte")
    with page.expect_download() as download:
        page.get_by_role("button", name="Budgetbericht herunterladen").click()
    assert download.value.suggested_filename.startswith("budget-")
