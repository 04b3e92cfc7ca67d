"""Passkeys in a real Chromium with a virtual authenticator (Chrome DevTools' WebAuthn domain):
a case worker logs in with the app's code, adds a passkey on the security page, logs out, and
logs in again with password and passkey (issue 11). The Content-Security-Policy is enforced
here, not bypassed as in the other browser tests: the library's scripts must run under it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Browser, Page, expect

from tests.conftest import AXE_JS, current_code
from tests.factories import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each violation, also one the console would not show, ends up in the console as this line.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def csp_page(browser: Browser) -> Iterator[Page]:
    """A page whose Content-Security-Policy is enforced, with axe-core loaded by the browser
    itself (an init script is no inline script of the page)."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.add_init_script(path=str(AXE_JS))
    yield page
    context.close()


def _add_virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def _password_login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Zweiter Faktor")).to_be_visible()


def test_a_case_worker_adds_a_passkey_and_logs_in_with_it(
    csp_page: Page, live_server, axe_check
) -> None:
    page, base = csp_page, live_server.url
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    _add_virtual_authenticator(page)
    world = build_world()
    user = world.case_worker
    app = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=True)

    # 1. Password and the app's code; no passkey is offered yet.
    _password_login(page, base, user.email)
    expect(page.get_by_role("button", name="Mit Passkey bestätigen")).to_have_count(0)
    page.get_by_label("Code").fill(current_code(app))
    page.get_by_role("button", name="Bestätigen").click()
    expect(page).to_have_url(f"{base}/sachbearbeitung/")

    # 2. The security page, from the account page: add a passkey.
    page.goto(f"{base}/konto/")
    page.get_by_role("link", name="Anmeldung und Sicherheit").click()
    expect(page.get_by_text("Sie haben noch keinen Passkey.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Passkey hinzufügen").click()

    expect(page.get_by_text("Der Passkey ist hinzugefügt.")).to_be_visible()
    table = page.get_by_role("table", name="Ihre Passkeys")
    expect(table.get_by_role("rowheader", name="Passkey 1")).to_be_visible()
    expect(table.get_by_text("noch nie")).to_be_visible()
    axe_check(page)
    passkey = WebAuthnCredential.objects.get(user=user)
    assert passkey.last_used_at is None

    # 3. Log out, log in with password and passkey: on to the case worker's start page.
    page.get_by_role("button", name="Abmelden").click()
    _password_login(page, base, user.email)
    axe_check(page)
    page.get_by_role("button", name="Mit Passkey bestätigen").click()

    expect(page).to_have_url(f"{base}/sachbearbeitung/")
    expect(page.get_by_text(f"Angemeldet als {user.email}", exact=True)).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    csp_errors = [e for e in console_errors if "CSP" in e or "Content Security Policy" in e]
    assert csp_errors == []
