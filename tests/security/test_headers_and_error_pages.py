"""Every response carries a Content-Security-Policy without inline script and a
Permissions-Policy; personal pages and files are never stored by browsers or proxies; errors
show branded German pages."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import draft


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_csp_allows_scripts_only_from_our_origin(client, db):
    response = client.get("/")

    directives = _directives(response)
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "url", ["/", "/anmelden/", "/registrieren/", "/foerderprogramme/", "/barrierefreiheit/"]
)
def test_public_pages_have_no_inline_script(client, db, url):
    html = client.get(url).content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts), scripts
    assert not re.search(r"\son[a-z]+=", html)


def test_public_pages_may_be_cached(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.mark.parametrize("persona", ["owner", "case_worker", "finance"])
def test_personal_pages_are_not_stored(client, world, persona):
    client.force_login(getattr(world, persona))

    response = client.get(reverse("notifications:preferences"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_file_downloads_are_not_stored(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grants.models import DocumentType
    from grants.services import applications as services

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    application = draft(world)
    doc_type = DocumentType.objects.create(programme=world.programme, code="b", name="Beschreibung")
    attachment = services.attachment_add(
        application=application,
        actor=world.owner,
        document_type=doc_type,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    client.force_login(world.owner)

    response = client.get(reverse("portal:attachment", args=[application.pk, attachment.pk]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_unknown_page_is_a_branded_german_404(client, db):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert "Förderportal" in html


def test_forbidden_is_a_branded_german_403(client, world):
    client.force_login(world.colleague)

    response = client.get(reverse("applicants:applicant_edit", args=[world.applicant.pk]))

    assert response.status_code == 403
    assert "Kein Zugriff" in response.content.decode()


def test_bad_request_is_a_branded_german_400(client, db):
    response = client.get("/", HTTP_HOST="böse host")

    assert response.status_code == 400
    assert "Die Anfrage war fehlerhaft" in response.content.decode()


def test_csrf_failure_is_explained_in_german(db):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(reverse("login"), {"username": "x@example.org", "password": "y"})

    assert response.status_code == 403
    assert "Sitzung abgelaufen" in response.content.decode()


def test_server_error_is_a_branded_page_that_needs_nothing(db):
    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()


@pytest.mark.parametrize("esp", ["mailgun", "sendgrid", "amazon_ses", "mandrill", "test"])
def test_only_the_configured_providers_webhook_is_mounted(client, db, settings, esp):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}

    response = client.post(f"/anymail/{esp}/tracking/", "{}", content_type="application/json")

    assert response.status_code == 404


def test_the_configured_providers_webhook_asks_for_its_secret(client, db, settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}

    response = client.post("/anymail/postmark/tracking/", "{}", content_type="application/json")

    assert response.status_code == 400  # anymail refuses the missing basic auth
