"""The autosave endpoints behind the draft's steps (project, classification, plan) and the
proof of use: they store what
validates, store nothing otherwise and say why, and answer only the applicant's members."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationState, FinancingKind
from tests.applications.test_application_form import _plan_data
from tests.factories import advance

S = ApplicationState


def project_data(**changes):
    today = timezone.localdate()
    data = {
        "title": "Sprachcafé",
        "summary": "Ein offenes Sprachcafé.",
        "goals": "Deutsch üben.",
        "start_date_day": str((today + dt.timedelta(days=30)).day),
        "start_date_month": str((today + dt.timedelta(days=30)).month),
        "start_date_year": str((today + dt.timedelta(days=30)).year),
        "end_date": (today + dt.timedelta(days=120)).isoformat(),
        "expected_participants": "40",
        "early_start_reason": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_project_autosave_stores_the_step_and_says_when(client, world, app):
    client.force_login(world.colleague)

    response = client.post(
        reverse("portal:project_autosave", args=[app.pk]), project_data(goals="Neu")
    )

    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["message"].startswith("Gespeichert um ")
    app.refresh_from_db()
    assert app.goals == "Neu"
    assert app.start_date == timezone.localdate() + dt.timedelta(days=30)


@pytest.mark.django_db
def test_project_autosave_of_input_that_does_not_validate_changes_nothing(client, world, app):
    client.force_login(world.owner)
    before = (app.title, app.goals)

    response = client.post(
        reverse("portal:project_autosave", args=[app.pk]),
        project_data(
            title="", goals="Nicht gespeichert", start_date_day="31", start_date_month="2"
        ),
    )

    assert response.json() == {
        "saved": False,
        "message": response.json()["message"],
    }
    assert "Noch nicht automatisch gespeichert" in response.json()["message"]
    app.refresh_from_db()
    assert (app.title, app.goals) == before


@pytest.mark.django_db
def test_project_autosave_after_submission_is_refused(client, world, app):
    advance(app, world, to=S.SUBMITTED)
    client.force_login(world.owner)

    response = client.post(reverse("portal:project_autosave", args=[app.pk]), project_data())

    assert response.status_code == 409
    assert response.json()["saved"] is False


@pytest.mark.django_db
def test_autosave_is_for_members_only(client, world, app):
    client.force_login(world.outsider)

    response = client.post(reverse("portal:project_autosave", args=[app.pk]), project_data())

    assert response.status_code == 404
    assert client.get(reverse("portal:project_autosave", args=[app.pk])).status_code in (404, 405)


@pytest.mark.django_db
def test_proof_autosave_stores_the_report(client, world, app):
    advance(app, world, to=S.PROOF_DUE)
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:proof_autosave", args=[app.pk]), {"report": "Zwölf Treffen."}
    )

    assert response.json()["saved"] is True
    app.refresh_from_db()
    assert app.proof_report == "Zwölf Treffen."


@pytest.mark.django_db
def test_proof_autosave_before_the_proof_is_due_is_refused(client, world, app):
    client.force_login(world.owner)

    response = client.post(reverse("portal:proof_autosave", args=[app.pk]), {"report": "x"})

    assert response.status_code == 409
    app.refresh_from_db()
    assert app.proof_report == ""


# --- the other steps of the draft: classification and the cost and financing plan ----------


@pytest.mark.django_db
def test_classification_autosave_stores_the_choice(client, world, app):
    client.force_login(world.owner)
    group = world.programme.target_groups.first()
    app.target_groups.clear()

    response = client.post(
        reverse("portal:classification_autosave", args=[app.pk]), {"target_groups": [group.pk]}
    )

    assert response.json()["saved"] is True
    assert response.json()["message"].startswith("Gespeichert um ")
    assert list(app.target_groups.all()) == [group]


@pytest.mark.django_db
def test_classification_autosave_of_a_foreign_choice_changes_nothing(client, world, app):
    client.force_login(world.owner)
    before = list(app.target_groups.all())

    response = client.post(
        reverse("portal:classification_autosave", args=[app.pk]), {"target_groups": ["999999"]}
    )

    assert response.json()["saved"] is False
    assert "Noch nicht automatisch gespeichert" in response.json()["message"]
    assert list(app.target_groups.all()) == before


@pytest.mark.django_db
def test_plan_autosave_stores_the_rows_as_typed(client, world, app):
    client.force_login(world.owner)
    data = _plan_data(
        world,
        [("fees", "Honorare", "3.000,00"), ("material", "Raummiete", "500,00")],
        [(FinancingKind.OWN_FUNDS, "", "700,00"), (FinancingKind.GRANT, "", "2.800,00")],
    )

    response = client.post(reverse("portal:plan_autosave", args=[app.pk]), data)

    assert response.json()["saved"] is True
    assert sorted(app.cost_lines.values_list("description", "amount")) == [
        ("Honorare", Decimal("3000.00")),
        ("Raummiete", Decimal("500.00")),
    ]
    assert app.financing_lines.count() == 2


@pytest.mark.django_db
def test_plan_autosave_with_a_row_that_does_not_validate_keeps_the_saved_plan(client, world, app):
    client.force_login(world.owner)
    before = sorted(app.cost_lines.values_list("description", "amount"))
    data = _plan_data(
        world,
        [("fees", "Honorare", "3.000,00"), ("material", "Raummiete", "5x0")],
        [(FinancingKind.GRANT, "", "3.500,00")],
    )

    response = client.post(reverse("portal:plan_autosave", args=[app.pk]), data)

    assert response.json() == {
        "saved": False,
        "message": "Noch nicht automatisch gespeichert: Eine Zeile passt noch nicht. Speichern "
        "Sie mit dem Knopf, dann sehen Sie, was fehlt.",
    }
    assert sorted(app.cost_lines.values_list("description", "amount")) == before


@pytest.mark.django_db
def test_plan_autosave_of_a_foreign_draft_is_not_found(client, world, app):
    client.force_login(world.outsider)
    before = app.cost_lines.count()

    response = client.post(
        reverse("portal:plan_autosave", args=[app.pk]),
        _plan_data(world, [("fees", "Fremd", "1,00")], [(FinancingKind.GRANT, "", "1,00")]),
    )

    assert response.status_code == 404
    assert app.cost_lines.count() == before


@pytest.mark.django_db
def test_plan_autosave_after_submission_is_refused(client, world, app):
    advance(app, world, to=S.SUBMITTED)
    client.force_login(world.owner)
    before = app.cost_lines.count()

    response = client.post(
        reverse("portal:plan_autosave", args=[app.pk]),
        _plan_data(world, [("fees", "Neu", "1,00")], [(FinancingKind.GRANT, "", "1,00")]),
    )

    assert response.status_code == 409
    assert app.cost_lines.count() == before
