"""Registration with e-mail confirmation, rate limits, login language, password reset."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from applicants.models import Membership, User

PASSWORD = "ein-langes-Test-Passwort-2026"


def _register(client, email="ayse@verein.example", **changes):
    data = {
        "email": email,
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "de",
        "privacy": "on",
    }
    data.update(changes)
    return client.post(reverse("applicants:register"), data)


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_registration_creates_inactive_account_and_sends_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)

    assert response["Location"] == reverse("applicants:register_done")
    user = User.objects.get(email="ayse@verein.example")
    assert not user.is_active
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ayse@verein.example"]
    assert "/registrieren/bestaetigen/" in _link(mail.outbox[0])


def test_confirmation_link_activates_once(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    link = _link(mail.outbox[0])

    response = client.get(link)

    assert response.status_code == 302
    assert "next=%2Fprofil%2Fneu%2F" in response["Location"]
    assert User.objects.get(email="ayse@verein.example").is_active
    assert client.get(link).status_code == 400
    assert client.login(email="ayse@verein.example", password=PASSWORD)


def test_forged_link_is_refused(client, db):
    _register(client)

    response = client.get(reverse("applicants:verify", args=["MQ", "falsch-123"]))

    assert response.status_code == 400
    assert not User.objects.get(email="ayse@verein.example").is_active


def test_known_address_gets_a_hint_instead_of_a_second_account(
    client, db, django_capture_on_commit_callbacks
):
    User.objects.create_user(email="ayse@verein.example", password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, email="Ayse@Verein.example")

    assert response["Location"] == reverse("applicants:register_done")  # same page as always
    assert User.objects.count() == 1
    assert "bereits ein Konto" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "keine-adresse"}, "email"),
        ({"password2": "anders-als-vorher-2026"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"privacy": ""}, "privacy"),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_registration_input_creates_nothing(client, db, changes, field):
    response = _register(client, **changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()
    assert mail.outbox == []


def test_registration_is_rate_limited(client, db):
    for number in range(5):
        _register(client, email=f"person{number}@example.org")

    response = _register(client, email="sechs@example.org")

    assert response.status_code == 429
    assert "Zu viele Versuche" in response.content.decode()
    assert not User.objects.filter(email="sechs@example.org").exists()


def test_login_uses_the_account_language(client, world):
    sam = User.objects.create_user(email="sam@example.org", password=PASSWORD, language="en")
    Membership.objects.create(user=sam, applicant=world.applicant)

    response = client.post(reverse("login"), {"username": "sam@example.org", "password": PASSWORD})

    assert response["Location"] == reverse("portal:dashboard")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_unconfirmed_account_cannot_log_in(client, db):
    _register(client)

    assert not client.login(email="ayse@verein.example", password=PASSWORD)


def test_password_reset_mail_and_new_password(client, db, django_capture_on_commit_callbacks):
    User.objects.create_user(email="sam@example.org", password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applicants:password_reset"), {"email": "sam@example.org"})

    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    assert response.status_code == 200
    new = "noch-ein-langes-Passwort-77"
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
    )
    assert User.objects.get(email="sam@example.org").check_password(new)


def test_account_language_is_stored(client, db):
    user = User.objects.create_user(email="sam@example.org", password=PASSWORD)
    client.force_login(user)

    response = client.post(
        reverse("applicants:account"),
        {"first_name": "Sam", "last_name": "Doe", "language": "en"},
    )

    user.refresh_from_db()
    assert user.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_account_page_needs_login(client, db):
    assert client.get(reverse("applicants:account")).status_code == 302


def test_unconfirmed_account_is_told_to_confirm_and_offered_a_new_link(client, db):
    _register(client)

    response = client.post(
        reverse("login"), {"username": "ayse@verein.example", "password": PASSWORD}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ihr Konto ist noch nicht bestätigt" in page
    assert reverse("applicants:resend") in page
    assert "_auth_user_id" not in client.session


def test_unconfirmed_account_with_a_wrong_password_learns_nothing(client, db):
    _register(client)

    response = client.post(
        reverse("login"), {"username": "ayse@verein.example", "password": "falsch-falsch-1"}
    )

    page = response.content.decode()
    assert "noch nicht bestätigt" not in page
    assert "Die Anmeldung ist fehlgeschlagen." in page


def test_password_is_changed_in_place(client, db):
    user = User.objects.create_user(email="sam@example.org", password=PASSWORD)
    client.force_login(user)
    new = "noch-ein-langes-Passwort-77"

    assert (
        reverse("applicants:password_change")
        in client.get(reverse("applicants:account")).content.decode()
    )
    response = client.post(
        reverse("applicants:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response["Location"] == reverse("applicants:account")
    user.refresh_from_db()
    assert user.check_password(new)
    # The session that changed it stays logged in.
    assert client.get(reverse("applicants:account")).status_code == 200


def test_password_change_with_a_wrong_current_password_changes_nothing(client, db):
    user = User.objects.create_user(email="sam@example.org", password=PASSWORD)
    client.force_login(user)
    new = "noch-ein-langes-Passwort-77"

    response = client.post(
        reverse("applicants:password_change"),
        {"old_password": "falsch", "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
