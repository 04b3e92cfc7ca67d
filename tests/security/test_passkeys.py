"""Passkeys as a staff second factor (applicants.passkeys): who may add, remove and use one.
The ceremonies themselves run in a real browser in tests/browser/test_passkeys.py."""

import json
from unittest.mock import patch

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from applicants.passkeys import BeginRegistrationView, PasskeyHelper, security
from tests.factories import PASSWORD

BEGIN = "otp_webauthn:credential-registration-begin"
REGISTER_STATE = "otp_webauthn_register_state"


def _passkey(user, name="Passkey 1"):
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=name.encode(), public_key=b"key"
    )


def test_registration_needs_the_second_factor_of_this_session(world):
    request = RequestFactory().post(reverse(BEGIN))
    request.user = world.case_worker
    request.user.is_verified = lambda: False
    request.session = SessionStore()

    response = BeginRegistrationView.as_view()(request)

    assert response.status_code == 403
    assert (
        "Bestätigen Sie die Anmeldung zuerst mit Ihrem zweiten Faktor"
        in json.loads(response.content)["detail"]
    )
    assert REGISTER_STATE not in request.session


def test_staff_with_password_alone_are_sent_to_the_second_factor(password_only_client, world):
    password_only_client.post(
        reverse("login"), {"username": world.case_worker.email, "password": PASSWORD}
    )

    response = password_only_client.post(reverse(BEGIN))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_enrol"))
    assert REGISTER_STATE not in password_only_client.session


def test_applicants_cannot_register_a_passkey(client, world):
    client.force_login(world.owner)

    response = client.post(reverse(BEGIN))

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Passkeys sind ein zweiter Faktor für Mitarbeitende der Verwaltung."
    )
    assert REGISTER_STATE not in client.session


def test_verified_staff_get_options_for_the_portals_host(client, world, settings):
    client.force_login(world.case_worker)
    _passkey(world.case_worker)

    response = client.post(reverse(BEGIN))

    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": "Förderportal"}
    # The passkey already there is not created twice on the same authenticator.
    assert len(options["excludeCredentials"]) == 1
    assert REGISTER_STATE in client.session


def test_the_security_page_lists_only_ones_own_passkeys(client, world):
    _passkey(world.case_worker, "Laptop")
    _passkey(world.second_case_worker, "Fremder Schlüssel")
    client.force_login(world.case_worker)

    response = client.get(reverse("second_factor_security"))

    assert "Laptop" in response.text
    assert "Fremder Schlüssel" not in response.text


def test_the_security_page_is_not_there_for_applicants(client, world):
    client.force_login(world.owner)

    assert client.get(reverse("second_factor_security")).status_code == 404


def test_a_passkey_is_removed_after_confirmation(client, world):
    passkey = _passkey(world.case_worker, "Laptop")
    client.force_login(world.case_worker)
    url = reverse("passkey_remove", args=[passkey.pk])

    confirmation = client.get(url)
    assert "Soll der Passkey „Laptop“ entfernt werden?" in confirmation.text
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    response = client.post(url, follow=True)

    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert "Der Passkey „Laptop“ ist entfernt." in response.text


@pytest.mark.parametrize("persona", ["second_case_worker", "finance"])
def test_another_persons_passkey_cannot_be_removed(client, world, persona):
    passkey = _passkey(world.case_worker)
    client.force_login(getattr(world, persona))

    response = client.post(reverse("passkey_remove", args=[passkey.pk]))

    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_removal_needs_the_second_factor_of_this_session(password_only_client, world):
    passkey = _passkey(world.case_worker)
    password_only_client.post(
        reverse("login"), {"username": world.case_worker.email, "password": PASSWORD}
    )

    response = password_only_client.post(reverse("passkey_remove", args=[passkey.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor"))
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_session_verified_by_passkey_reaches_staff_pages_and_the_admin(
    password_only_client, world, admin_user
):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    for user, page in [(world.case_worker, "/sachbearbeitung/"), (admin_user, "/admin/")]:
        passkey = _passkey(user, f"Passkey von {user.pk}")
        password_only_client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
        assert password_only_client.get(page).status_code == 302
        session = password_only_client.session
        # What the library's completed ceremony does: django_otp.login with the passkey.
        session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
        session.save()

        assert password_only_client.get(page).status_code == 200
        password_only_client.post(reverse("logout"))


def test_the_second_factor_page_offers_a_passkey_only_to_who_has_one(password_only_client, world):
    password_only_client.post(
        reverse("login"), {"username": world.case_worker.email, "password": PASSWORD}
    )
    TOTPDevice.objects.create(user=world.case_worker, name="App", confirmed=True)
    without = password_only_client.get(reverse("second_factor"))
    _passkey(world.case_worker)
    with_passkey = password_only_client.get(reverse("second_factor"))

    assert "passkey-verification-button" not in without.text
    assert "passkey-verification-button" in with_passkey.text


def test_passkey_ceremonies_are_not_for_anonymous_visitors(client, db):
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_security_page_itself_refuses_a_session_without_second_factor(world):
    # SecondFactorMiddleware sends such a session away first; the page does not rely on it.
    request = RequestFactory().get(reverse("second_factor_security"))
    request.user = world.case_worker
    request.user.is_verified = lambda: False

    with pytest.raises(PermissionDenied, match="Bestätigen Sie die Anmeldung zuerst"):
        security(request)


def test_a_new_passkey_gets_the_first_number_not_in_use(world):
    _passkey(world.case_worker, "Passkey 2")
    helper = PasskeyHelper(RequestFactory().post("/"))

    def unnamed(user, *args):
        return WebAuthnCredential(user=user, credential_id=str(args).encode(), public_key=b"k")

    with patch.object(WebAuthnHelper, "create_credential", side_effect=unnamed):
        first = helper.create_credential(world.case_worker, 1, None, {})
        first.save()
        second = helper.create_credential(world.case_worker, 2, None, {})

    assert first.name == "Passkey 1"
    assert second.name == "Passkey 3"
