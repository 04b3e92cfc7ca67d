"""The public pages about programmes: public texts only, in English where given, and the
start page that invites to register and lists the open calls with their deadlines."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from grants.demo.calls import calls
from grants.demo.programmes import PROGRAMMES
from tests.factories import build_world

pytestmark = pytest.mark.django_db

INTERNAL = ("(verify)", "Sachkonto", "Kostenstelle", "Hinweis (Demo)")


def test_internal_notes_of_programme_and_call_are_never_shown() -> None:
    world = build_world(
        description="Wir fördern Nachbarschaft.",
        internal_notes="Hinweis (Demo): Sachkonto 44310000 und Kostenstelle 56100100",
    )
    world.call.theme = "Kleinprojekte bis 10.000 €"
    world.call.internal_notes = "Höchstbetrag (verify)"
    world.call.save()

    page = Client().get(reverse("portal:programmes")).content.decode()

    assert "Wir fördern Nachbarschaft." in page
    assert "Kleinprojekte bis 10.000 €" in page
    for text in INTERNAL:
        assert text not in page


def test_demo_data_keeps_its_notes_out_of_public_texts() -> None:
    import datetime as dt

    public = [spec["description"] for spec in PROGRAMMES.values()]
    public += [spec.get("description_en", "") for spec in PROGRAMMES.values()]
    public += [spec["theme"] for spec in calls(dt.date(2026, 11, 26)).values()]
    for text in public:
        for marker in INTERNAL:
            assert marker not in text, text


def test_programme_texts_are_shown_in_english_where_given() -> None:
    world = build_world(
        name="WIR 2.0-Förderprogramm",
        name_en="WIR 2.0 funding programme",
        description="Die Stadt fördert Projekte.",
        description_en="The city funds projects.",
    )
    world.call.title = "Kleinprojekte"
    world.call.title_en = "Small projects"
    world.call.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("portal:programmes")).content.decode()

    assert "WIR 2.0 funding programme" in page
    assert "The city funds projects." in page
    assert "Small projects" in page
    assert "Die Stadt fördert Projekte." not in page


def test_programme_without_english_text_shows_the_german_one_in_english() -> None:
    build_world(description="Die Stadt fördert Projekte.", description_en="")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("portal:programmes")).content.decode()

    assert "Die Stadt fördert Projekte." in page


def test_start_page_invites_to_register_and_lists_open_calls() -> None:
    world = build_world()

    page = Client().get(reverse("home")).content.decode()

    assert reverse("applicants:register") in page
    assert "Konto anlegen" in page
    assert "Offene Förderaufrufe" in page
    assert world.call.title in page
    assert "Einsendeschluss" in page


def test_start_page_says_when_no_call_is_open() -> None:
    page = Client().get(reverse("home")).content.decode()

    assert "Zurzeit ist kein Aufruf geöffnet." in page
