import pytest
from django.utils import translation

from privacy.models import LegalText

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_shows_the_text_the_funder_wrote_escaped(client):
    LegalText.objects.create(
        kind=LegalText.Kind.PRIVACY,
        text_de="Verantwortlich: Stadt Hannover\n\n<script>alert(1)</script>",
        text_en="Controller: City of Hanover",
    )
    page = client.get("/datenschutz/").content.decode()
    assert "Verantwortlich: Stadt Hannover" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_english_readers_get_the_english_text_or_else_the_german(client):
    LegalText.objects.create(kind=LegalText.Kind.PRIVACY, text_de="Deutsch", text_en="English")
    LegalText.objects.create(kind=LegalText.Kind.IMPRINT, text_de="Nur Deutsch")
    with translation.override("en"):
        privacy = LegalText.objects.get(kind="privacy").text()
        imprint = LegalText.objects.get(kind="imprint").text()
    assert (privacy, imprint) == ("English", "Nur Deutsch")


def test_a_missing_text_says_so_instead_of_failing(client):
    response = client.get("/impressum/")
    assert response.status_code == 200
    assert "noch nicht hinterlegt" in response.content.decode()


def test_the_footer_and_the_registration_link_to_the_texts(client):
    LegalText.objects.create(kind=LegalText.Kind.IMPRINT, text_de="Impressum der Stadt")
    home = client.get("/").content.decode()
    assert 'href="/impressum/"' in home and 'href="/datenschutz/"' in home
    assert 'href="#"' not in home
    register = client.get("/registrieren/").content.decode()
    assert 'href="/datenschutz/"' in register
    assert "Impressum der Stadt" in client.get("/impressum/").content.decode()


def test_staff_edit_the_texts_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/privacy/legaltext/add/",
        {"kind": "imprint", "text_de": "Stadt Hannover, Trammplatz 2", "text_en": ""},
    )
    assert response.status_code == 302
    assert LegalText.objects.get(kind="imprint").text_de == "Stadt Hannover, Trammplatz 2"
