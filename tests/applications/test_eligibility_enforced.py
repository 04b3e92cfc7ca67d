"""The programme's eligibility rules are enforced, not only offered before the first step: a
draft cannot be started for a call the applicant's type may not apply to, and a submission is
refused when the place, the start or the amount does not fit, each with its plain-German
reason. The check before the first step asks the same rules (issue 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import ApplicantKind
from grants.errors import RuleViolated
from grants.models import (
    Application,
    ApplicationState,
    EarlyStart,
    EligibilityAnswers,
    eligibility_refusals,
)
from grants.services.applications import application_create, application_submit
from tests.factories import DECLARATIONS, draft

S = ApplicationState
KIND_REFUSAL = (
    "Verein kann bei diesem Programm keinen Antrag stellen. Antragsberechtigt sind: "
    "Einzelperson, Kirchengemeinde."
)


@pytest.fixture
def only_individuals_and_parishes(world):
    world.programme.eligible_applicant_kinds = [ApplicantKind.INDIVIDUAL, ApplicantKind.PARISH]
    world.programme.save()
    return world


def _refusal(app) -> list[str]:
    with pytest.raises(RuleViolated) as refused:
        application_submit(application=app, actor=app.created_by)
    app.refresh_from_db()
    assert (app.state, app.file_number) == (S.DRAFT, None)
    return refused.value.messages


# --- applicant type: creating a draft --------------------------------------------------------


def test_an_eligible_applicant_type_starts_a_draft(world):
    app = application_create(
        actor=world.owner, applicant=world.applicant, call=world.call, title="Sprachcafé"
    )
    assert app.state == S.DRAFT


def test_an_ineligible_applicant_type_starts_no_draft(only_individuals_and_parishes):
    world = only_individuals_and_parishes
    with pytest.raises(RuleViolated) as refused:
        application_create(
            actor=world.owner, applicant=world.applicant, call=world.call, title="Sprachcafé"
        )
    assert refused.value.messages == [KIND_REFUSAL]
    assert not Application.objects.exists()


def test_the_start_page_says_why_at_the_field(client, only_individuals_and_parishes):
    world = only_individuals_and_parishes
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:start", args=[world.call.pk]),
        {"applicant": world.applicant.pk, "title": "Sprachcafé"},
    )

    assert response.status_code == 200
    assert KIND_REFUSAL in response.content.decode()
    assert not Application.objects.exists()


def test_the_start_page_starts_a_draft_for_an_eligible_type(client, world):
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:start", args=[world.call.pk]),
        {"applicant": world.applicant.pk, "title": "Sprachcafé"},
    )

    assert response.status_code == 302
    assert Application.objects.get().title == "Sprachcafé"


def test_a_draft_whose_programme_changed_its_types_is_not_submitted(
    app, only_individuals_and_parishes
):
    assert KIND_REFUSAL in _refusal(app)


# --- place of the project ---------------------------------------------------------------------


def test_a_project_in_the_programmes_area_is_submitted(app):
    assert application_submit(application=app, actor=app.created_by).state == S.SUBMITTED


def test_a_project_without_place_is_not_submitted(app):
    app.areas.clear()
    assert "Das Projekt muss im Gebiet des Programms stattfinden." in _refusal(app)


def test_a_programme_without_areas_funds_projects_anywhere(app, world):
    app.areas.clear()
    world.programme.areas.all().delete()
    assert application_submit(application=app, actor=app.created_by).state == S.SUBMITTED


def test_the_check_page_sends_a_project_without_place_to_the_classification(client, app, world):
    app.areas.clear()
    client.force_login(world.owner)

    response = client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)

    page = response.content.decode()
    assert "Bitte wählen Sie mindestens einen Ort." in page
    assert reverse("portal:classification", args=[app.pk]) + "#id_areas_0" in page
    app.refresh_from_db()
    assert app.state == S.DRAFT


# --- not started before the application -------------------------------------------------------

START_REFUSAL = "Das Projekt darf nicht vor der Antragstellung beginnen"


def test_a_project_starting_today_without_early_start_is_not_submitted(app):
    app.start_date = timezone.localdate()
    app.save(update_fields=["start_date"])
    assert any(m.startswith(START_REFUSAL) for m in _refusal(app))


def test_a_project_starting_today_with_early_start_asked_for_is_submitted(app):
    app.start_date = timezone.localdate()
    app.early_start_requested = True
    app.early_start_reason = "Die Kursleitung ist nur jetzt frei."
    app.save()
    assert application_submit(application=app, actor=app.created_by).state == S.SUBMITTED


def test_a_consented_early_start_counts_as_consent(app, world):
    app.start_date = timezone.localdate() - dt.timedelta(days=3)
    app.save(update_fields=["start_date"])
    EarlyStart.objects.create(
        application=app,
        requested_start=app.start_date,
        reason="Ferienbeginn",
        requested_by=world.owner,
        state=EarlyStart.State.CONSENTED,
        allowed_from=app.start_date,
        decided_by=world.case_worker,
    )
    assert application_submit(application=app, actor=app.created_by).state == S.SUBMITTED


def test_the_check_page_says_the_start_and_links_to_the_project_step(client, app, world):
    app.start_date = timezone.localdate() - dt.timedelta(days=1)
    app.save(update_fields=["start_date"])
    client.force_login(world.owner)

    page = client.get(reverse("portal:check", args=[app.pk])).content.decode()

    assert START_REFUSAL in page
    assert reverse("portal:project", args=[app.pk]) in page


# --- amount range -----------------------------------------------------------------------------


@pytest.fixture
def minimum_1000(world):
    world.programme.min_amount_per_application = Decimal("1000.00")
    world.programme.save()
    return world


def _app_with_grant(world, grant: str):
    # A balanced plan: the grant pays the whole cost; every other answer fits.
    app = draft(world, costs=Decimal(grant), own=Decimal("0"))
    app.target_groups.set(world.programme.target_groups.all())
    app.fields_of_action.set(world.programme.fields_of_action.all())
    return app


def test_an_amount_within_the_range_is_submitted(app, minimum_1000):
    assert application_submit(application=app, actor=app.created_by).state == S.SUBMITTED


def test_an_amount_below_the_minimum_is_not_submitted(minimum_1000):
    app = _app_with_grant(minimum_1000, "500.00")
    assert "Sie müssen mindestens 1.000,00 € beantragen." in _refusal(app)


def test_an_amount_above_the_cap_is_not_submitted(world):
    world.call.max_amount_per_application = Decimal("5000.00")
    world.call.save()
    app = _app_with_grant(world, "5000.01")
    assert "Sie können höchstens 5.000,00 € beantragen." in _refusal(app)


def test_the_check_page_says_the_minimum_at_the_plan(client, minimum_1000):
    app = _app_with_grant(minimum_1000, "500.00")
    client.force_login(minimum_1000.owner)

    response = client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)

    page = response.content.decode()
    assert "Sie müssen mindestens 1.000,00 € beantragen." in page
    assert reverse("portal:plan", args=[app.pk]) in page
    app.refresh_from_db()
    assert app.state == S.DRAFT


# --- one rule for the check before the first step and for the submission ----------------------


def test_the_check_before_the_first_step_gives_the_submissions_reasons(app, world, minimum_1000):
    world.programme.eligible_applicant_kinds = [ApplicantKind.INDIVIDUAL, ApplicantKind.PARISH]
    world.programme.save()
    app.areas.clear()
    app.start_date = timezone.localdate()
    app.save(update_fields=["start_date"])
    answers = EligibilityAnswers(
        applicant_kind=ApplicantKind.ASSOCIATION,
        in_area=False,
        started=True,
        amount=Decimal("500.00"),
    )

    refusals = eligibility_refusals(world.call, answers)

    submission = _refusal(app)
    assert set(refusals) == {"applicant_kind", "in_area", "started", "amount"}
    for name in ("applicant_kind", "in_area", "started"):
        assert refusals[name] in submission
    assert refusals["amount"] == "Sie müssen mindestens 1.000,00 € beantragen."
