"""Staff log in with password and a second factor (TOTP app or recovery code); nobody on staff
reaches a staff page, nor any other, with the password alone."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import current_code
from tests.factories import PASSWORD

STAFF_PAGES = ["/sachbearbeitung/", "/finanzen/", "/admin/", "/admin/applicants/user/", "/konto/"]


def _password_login(client, user, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD, **extra})


_code = current_code


@pytest.fixture
def enrolled(world):
    device = TOTPDevice.objects.create(user=world.case_worker, name="App", confirmed=True)
    recovery = StaticDevice.objects.create(user=world.case_worker, name="Codes")
    recovery.token_set.create(token="recover1")
    return device


@pytest.mark.parametrize("persona", ["case_worker", "finance"])
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_with_password_alone_reach_no_page(password_only_client, world, persona, page):
    user = getattr(world, persona)
    _password_login(password_only_client, user)

    response = password_only_client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_enrol"))


def test_a_staff_role_without_the_staff_flag_asks_the_second_factor_reading_roles_once(
    client, password_only_client, world
):
    """Whether a person holds a staff role is the second factor's question and the page's:
    the roles are read once per request for both."""
    user = world.case_worker
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    _password_login(password_only_client, user)
    response = password_only_client.get("/sachbearbeitung/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_enrol"))
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sachbearbeitung/").status_code == 200
    own_roles = f'"grants_staffrole"."user_id" = {user.pk}'
    assert len([q for q in queries.captured_queries if own_roles in q["sql"]]) == 1


def test_superuser_with_password_alone_does_not_reach_the_admin(password_only_client, db):
    from applicants.models import User

    root = User.objects.create_superuser("root@example.org", PASSWORD)
    _password_login(password_only_client, root)

    response = password_only_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_enrol"))


def test_admin_login_is_the_portal_login(client, db):
    response = client.get("/admin/login/?next=/admin/grants/")

    assert response.status_code == 302
    assert response["Location"] == "/anmelden/?next=%2Fadmin%2Fgrants%2F"


def test_admin_login_post_authenticates_nobody(password_only_client, world):
    response = password_only_client.post(
        "/admin/login/", {"username": world.case_worker.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert SESSION_KEY not in password_only_client.session


def test_applicants_need_no_second_factor(password_only_client, world):
    _password_login(password_only_client, world.owner)

    assert password_only_client.get("/konto/").status_code == 200


def test_first_login_enrols_the_app_and_hands_out_recovery_codes(password_only_client, world):
    client = password_only_client
    _password_login(client, world.case_worker)
    page = client.get(reverse("second_factor_enrol") + "?next=/sachbearbeitung/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.case_worker)
    assert not device.confirmed

    wrong = client.post(
        reverse("second_factor_enrol"), {"token": "000000", "next": "/sachbearbeitung/"}
    )
    assert "Der Code stimmt nicht" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # django-otp makes the next try after a failure wait a second; the test does not.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()

    done = client.post(
        reverse("second_factor_enrol"), {"token": _code(device), "next": "/sachbearbeitung/"}
    )
    assert done["Location"] == reverse("second_factor_codes") + "?next=%2Fsachbearbeitung%2F"
    device.refresh_from_db()
    assert device.confirmed
    codes = list(
        StaticToken.objects.filter(device__user=world.case_worker).values_list("token", flat=True)
    )
    assert len(codes) == 10
    shown = client.get(done["Location"]).content.decode()
    assert all(code in shown for code in codes)
    # Shown once: a reload does not show them again.
    assert codes[0] not in client.get(done["Location"]).content.decode()
    assert client.get("/sachbearbeitung/").status_code == 200


def test_enrolment_cannot_replace_an_existing_app(password_only_client, world, enrolled):
    _password_login(password_only_client, world.case_worker)

    response = password_only_client.post(reverse("second_factor_enrol"), {"token": "123456"})

    assert response["Location"].startswith(reverse("second_factor"))
    assert TOTPDevice.objects.filter(user=world.case_worker).count() == 1


def test_code_from_the_app_opens_staff_pages(password_only_client, world, enrolled):
    client = password_only_client
    login = _password_login(client, world.case_worker, next="/sachbearbeitung/")
    step = client.get(login["Location"])
    assert step["Location"].startswith(reverse("second_factor"))

    wrong = client.post(reverse("second_factor"), {"token": "000000"})
    assert "Der Code stimmt nicht" in wrong.content.decode()
    assert client.get("/sachbearbeitung/").status_code == 302

    # django-otp makes the next try after a failure wait a second; the test does not.
    TOTPDevice.objects.filter(pk=enrolled.pk).update(throttling_failure_count=0)
    enrolled.refresh_from_db()
    right = client.post(
        reverse("second_factor"), {"token": _code(enrolled), "next": "/sachbearbeitung/"}
    )
    assert right["Location"] == "/sachbearbeitung/"
    assert client.get("/sachbearbeitung/").status_code == 200


def test_a_recovery_code_works_once(password_only_client, world, enrolled):
    client = password_only_client
    _password_login(client, world.case_worker)

    client.post(reverse("second_factor"), {"token": "recover1"})
    assert client.get("/sachbearbeitung/").status_code == 200
    assert not StaticToken.objects.filter(token="recover1").exists()

    client.post(reverse("logout"))
    _password_login(client, world.case_worker)
    again = client.post(reverse("second_factor"), {"token": "recover1"})
    assert "Der Code stimmt nicht" in again.content.decode()


def test_the_step_never_redirects_off_site(password_only_client, world, enrolled):
    client = password_only_client
    _password_login(client, world.case_worker)

    response = client.post(
        reverse("second_factor"), {"token": "recover1", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")


def test_staff_session_ends_after_idle_time(client, world, settings):
    client.force_login(world.case_worker)
    assert client.get("/sachbearbeitung/").status_code == 200
    session = client.session
    session["staff_session_seen"] = time.time() - settings.STAFF_SESSION_IDLE_SECONDS - 1
    session.save()

    response = client.get("/sachbearbeitung/")

    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_staff_session_ends_after_ten_hours_even_when_busy(client, world, settings):
    client.force_login(world.case_worker)
    client.get("/sachbearbeitung/")
    session = client.session
    session["staff_session_started"] = time.time() - settings.STAFF_SESSION_MAX_SECONDS - 1
    session.save()

    response = client.get("/sachbearbeitung/")

    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_applicant_session_ends_with_the_browser_unless_asked(password_only_client, world):
    _password_login(password_only_client, world.owner)
    assert password_only_client.session.get_expire_at_browser_close()

    password_only_client.post(reverse("logout"))
    _password_login(password_only_client, world.owner, remember="on")
    assert not password_only_client.session.get_expire_at_browser_close()
    assert password_only_client.session.get_expiry_age() == 14 * 24 * 3600


def test_staff_cannot_ask_to_stay_logged_in(password_only_client, world, settings):
    _password_login(password_only_client, world.case_worker, remember="on")

    assert password_only_client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS
