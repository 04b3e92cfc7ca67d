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


# --- the eligibility check before the first step --------------------------------------------


def _check(client, world, **changes):
    data = {
        "applicant_kind": "association",
        "area": str(world.programme.areas.first().pk),
        "started": "no",
        "amount": "4.500,00",
        **changes,
    }
    return client.post(reverse("portal:eligibility", args=[world.call.pk]), data)


def _with_area(world):
    from grants.models import Area

    Area.objects.create(programme=world.programme, code="10", name="Linden-Limmer")
    world.programme.eligible_applicant_kinds = ["association", "individual"]
    world.programme.save()
    return world


def test_eligibility_check_passes_a_fitting_project_and_leads_to_the_start() -> None:
    world = _with_area(build_world())

    response = _check(Client(), world)

    page = response.content.decode()
    assert "Das Programm passt zu Ihrem Projekt" in page
    assert reverse("portal:start", args=[world.call.pk]) in page


def test_eligibility_check_says_every_reason_in_plain_german() -> None:
    world = _with_area(build_world())

    response = _check(
        Client(),
        world,
        applicant_kind="parish",
        area="elsewhere",
        started="yes",
        amount="999.999,00",
    )

    reasons = response.context["reasons"]
    assert len(reasons) == 4
    page = response.content.decode()
    assert "Kirchengemeinde kann bei diesem Programm keinen Antrag stellen." in page
    assert "im Gebiet des Programms" in page
    assert "schon begonnen" in page
    assert "höchstens" in page
    assert reverse("portal:start", args=[world.call.pk]) not in page


def test_eligibility_check_knows_the_programmes_minimum() -> None:
    world = _with_area(build_world())
    world.programme.min_amount_per_application = 1000
    world.programme.save()

    response = _check(Client(), world, amount="500,00")

    assert response.context["reasons"] == ["Sie müssen mindestens 1.000,00 € beantragen."]


def test_programme_page_leads_to_the_check_and_marks_calls_not_for_the_profile() -> None:
    world = build_world()
    world.programme.eligible_applicant_kinds = ["municipality"]
    world.programme.save()
    client = Client()
    client.force_login(world.owner)

    page = client.get(reverse("portal:programmes")).content.decode()

    assert reverse("portal:eligibility", args=[world.call.pk]) in page
    assert "Passt nicht zu Ihrem Profil" in page
    world.programme.eligible_applicant_kinds = [world.applicant.kind]
    world.programme.save()
    assert (
        "Passt nicht zu Ihrem Profil"
        not in client.get(reverse("portal:programmes")).content.decode()
    )
