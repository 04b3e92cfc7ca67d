"""The site-wide pages: start page, accessibility statement, login and logout, language."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory

from applicants.models import User
from config import views

# The start page lists the open calls: every page here reads the database.
pytestmark = pytest.mark.django_db

PASSWORD = "ein-langes-Test-Passwort-2026"


@pytest.fixture
def member(db) -> User:
    return User.objects.create_user(email="kim@verein.example", password=PASSWORD)


def test_start_page_is_german_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Willkommen im Förderportal" in html
    assert 'href="/anmelden/"' in html
    assert 'href="/barrierefreiheit/"' in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html


def test_start_page_loads_kern_and_htmx(client: Client) -> None:
    html = client.get("/").content.decode()

    assert "/static/vendor/kern/kern.min.css" in html
    assert "/static/vendor/kern/fonts/fira-sans.css" in html
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer>' in html


def test_start_page_greets_a_logged_in_user(client: Client, member: User) -> None:
    client.force_login(member)

    html = client.get("/").content.decode()

    assert "Sie sind angemeldet als kim@verein.example." in html
    assert 'action="/abmelden/"' in html


def test_accessibility_statement_names_status_and_contact(client: Client, settings) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@foerderstelle.example"

    response = client.get("/barrierefreiheit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Erklärung zur Barrierefreiheit" in html
    assert "teilweise vereinbar" in html
    assert 'href="mailto:barrieren@foerderstelle.example"' in html
    assert "Landesbeauftragten für Menschen mit Behinderungen Niedersachsen" in html
    assert "behindertenbeauftragte-niedersachsen.de" in html


@pytest.mark.django_db
def test_login_page_is_german(client: Client) -> None:
    response = client.get("/anmelden/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an." in html
    assert '<label class="kern-label" for="id_username">' in html
    assert 'type="email" name="username"' in html
    assert 'class="kern-form-input__input"' in html


def test_login_logs_in_and_leaves_the_login_page(client: Client, member: User) -> None:
    response = client.post("/anmelden/", {"username": member.email, "password": PASSWORD})

    # Where a user lands depends on the role (applicants.views.LoginView), never back here.
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("/anmelden/")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_with_wrong_password_shows_kern_error(client: Client, member: User) -> None:
    response = client.post("/anmelden/", {"username": member.email, "password": "falsch"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="kern-alert kern-alert--danger" role="alert"' in html
    assert "Die Anmeldung ist fehlgeschlagen." in html
    assert "_auth_user_id" not in client.session


def test_login_marks_a_missing_field_as_invalid(client: Client, member: User) -> None:
    html = client.post("/anmelden/", {"username": member.email}).content.decode()

    assert "kern-form-input--error" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password_error"' in html
    assert 'id="id_password_error"' in html


def test_logout_requires_post(client: Client, member: User) -> None:
    client.force_login(member)

    assert client.get("/abmelden/").status_code == 405
    response = client.post("/abmelden/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_language_switch_to_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Welcome to Förderportal" in html
    assert "Willkommen im Förderportal" not in html

    # The choice sticks for the next pages, and German is one click away.
    html = client.get("/barrierefreiheit/").content.decode()
    assert '<html lang="en"' in html
    assert "Accessibility statement" in html
    assert 'name="language" value="de" lang="de"' in html


def test_browser_language_is_respected(client: Client) -> None:
    html = client.get("/", headers={"accept-language": "en"}).content.decode()

    assert '<html lang="en"' in html


@pytest.mark.parametrize(
    ("add_message", "css_class", "role"),
    [
        (messages.success, "kern-alert--success", "status"),
        (messages.info, "kern-alert--info", "status"),
        (messages.warning, "kern-alert--warning", "alert"),
        (messages.error, "kern-alert--danger", "alert"),
    ],
)
def test_messages_render_as_kern_alerts(rf: RequestFactory, add_message, css_class, role) -> None:
    request = rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    request.user = AnonymousUser()
    add_message(request, "Antrag gespeichert")

    html = views.home(request).content.decode()

    assert f'class="kern-alert {css_class}"' in html
    assert f'role="{role}"' in html
    assert "Antrag gespeichert" in html
