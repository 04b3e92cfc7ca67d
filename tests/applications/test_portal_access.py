"""Every portal view for every persona: members of the applicant see it, anyone else gets a
404 (the URL does not even confirm the application exists), anonymous visitors are sent to
the login."""

import pytest
from django.urls import reverse

from grants.models import ApplicationState
from tests.factories import advance, draft

S = ApplicationState

# (url name, state the application must be in)
APPLICATION_VIEWS = [
    ("portal:detail", S.DRAFT),
    ("portal:project", S.DRAFT),
    ("portal:classification", S.DRAFT),
    ("portal:plan", S.DRAFT),
    ("portal:attachments", S.DRAFT),
    ("portal:check", S.DRAFT),
    ("portal:detail", S.SUBMITTED),
    ("portal:receipt", S.SUBMITTED),
    ("portal:withdraw", S.SUBMITTED),
    ("portal:detail", S.APPROVED),
    ("portal:payout", S.FINAL),
    ("portal:proof", S.PROOF_DUE),
]


def _application(world, state):
    application = draft(world)
    application.target_groups.set(world.programme.target_groups.all())
    return advance(application, world, to=state)


@pytest.mark.parametrize(("name", "state"), APPLICATION_VIEWS)
def test_each_persona(client, world, name, state):
    application = _application(world, state)
    url = reverse(name, args=[application.pk])

    # Anonymous: to the login, and back here afterwards.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"

    # Members of the applicant, owner and colleague alike, see the page.
    for persona in ("owner", "colleague"):
        client.force_login(getattr(world, persona))
        response = client.get(url)
        assert response.status_code == 200, persona
        assert application.title in response.content.decode(), persona

    # Anyone else: 404, staff of the programme included (they have their own screens).
    for persona in ("outsider", "case_worker", "finance", "foreign_case_worker"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona


@pytest.mark.parametrize(
    "name",
    [
        "portal:project",
        "portal:classification",
        "portal:plan",
        "portal:attachments",
        "portal:check",
        "portal:withdraw",
        "portal:waive",
        "portal:payout",
        "portal:proof",
        "portal:plan_summary",
    ],
)
def test_outsider_cannot_post_anything(client, world, name):
    application = _application(world, S.DRAFT)
    client.force_login(world.outsider)

    assert client.post(reverse(name, args=[application.pk]), {}).status_code == 404

    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_a_submitted_application_cannot_be_edited_through_the_steps(client, world):
    application = _application(world, S.SUBMITTED)
    client.force_login(world.owner)

    response = client.post(reverse("portal:project", args=[application.pk]), {"title": "Geändert"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.title == "Sprachcafé im Stadtteil"


@pytest.mark.parametrize("persona", ["owner", "colleague", "outsider", "case_worker"])
def test_dashboard_lists_only_own_applications(client, world, persona):
    application = _application(world, S.SUBMITTED)
    client.force_login(getattr(world, persona))

    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 200
    shown = application.title in response.content.decode()
    assert shown == (persona in ("owner", "colleague"))


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["portal:programmes", "portal:easy_language"])
def test_public_pages_need_no_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_programme_overview_shows_open_call_cap_and_rules(client, world):
    response = client.get(reverse("portal:programmes"))
    page = response.content.decode()

    assert world.call.title in page
    assert "50.000,00 €" in page  # cap of the programme
    assert "20,0 %" in page  # minimum own share
    # "Antrag stellen" leads to the eligibility check first, which leads on to the start.
    assert reverse("portal:eligibility", args=[world.call.pk]) in page


def test_wrong_method_is_405(client, world):
    application = _application(world, S.APPROVED)
    client.force_login(world.owner)

    assert client.get(reverse("portal:waive", args=[application.pk])).status_code == 405


def test_portal_speaks_english_when_asked(client, world, settings):
    client.force_login(world.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    programmes = client.get(reverse("portal:programmes")).content.decode()

    assert "My applications" in dashboard
    assert "Apply now" in dashboard
    assert "The rules in brief" in programmes
    assert "Leichte Sprache" in programmes  # the Leichte Sprache link stays German
