"""Vorzeitiger Maßnahmebeginn as its own small lifecycle: the applicant asks (date and reason),
a case worker consents from a date or refuses with a reason; recorded on the trail, shown to
both sides; without consent the funding period cannot begin before the submission date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.errors import NotPermitted, RuleViolated
from grants.models import (
    Application,
    ApplicationState,
    Decision,
    EarlyStart,
    StatusChange,
    earliest_funding_start,
)
from grants.services.applications import application_submit
from grants.services.decisions import decision_propose
from grants.services.early_start import early_start_decide, early_start_request
from tests.casework_pages import file_url, seen, step_url
from tests.factories import advance, draft

S = ApplicationState


def _submitted_days_ago(app: Application, days: int) -> dt.date:
    """As if the application had been submitted ``days`` ago."""
    when = timezone.now() - dt.timedelta(days=days)
    Application.objects.filter(pk=app.pk).update(submitted_at=when)
    app.refresh_from_db()
    return timezone.localdate(when)


@pytest.fixture
def asked(world):
    """A draft that starts today and asks for the early start, submitted."""
    app = draft(world)
    Application.objects.filter(pk=app.pk).update(
        start_date=timezone.localdate(),
        early_start_requested=True,
        early_start_reason="Die Kursleitung ist nur ab sofort verfügbar.",
    )
    app.refresh_from_db()
    application_submit(application=app, actor=world.owner)
    app.refresh_from_db()
    return app


def test_submitting_a_draft_that_asks_records_the_request(world, asked):
    early = EarlyStart.objects.get(application=asked)
    assert early.state == EarlyStart.State.REQUESTED
    assert early.requested_start == timezone.localdate()
    assert early.reason == "Die Kursleitung ist nur ab sofort verfügbar."
    change = StatusChange.objects.get(lifecycle="early_start")
    assert (change.transition, change.target_state, change.actor) == (
        "request",
        "requested",
        world.owner,
    )


def test_a_case_worker_consents_through_the_step_and_both_sides_see_it(client, world, asked):
    client.force_login(world.case_worker)
    assert "vorzeitiger-beginn" in client.get(file_url(asked)).content.decode()
    day = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        step_url(asked, "vorzeitiger-beginn"),
        {"seen": seen(asked), "consent": "yes", "allowed_from": day.isoformat(), "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    early = EarlyStart.objects.get(application=asked)
    assert (early.state, early.allowed_from, early.decided_by) == (
        EarlyStart.State.CONSENTED,
        day,
        world.case_worker,
    )
    assert StatusChange.objects.filter(lifecycle="early_start", transition="consent").exists()
    assert "Beginn zulässig ab" in client.get(file_url(asked)).content.decode()
    client.force_login(world.owner)
    page = client.get(f"/antraege/{asked.pk}/").content.decode()
    assert "Vorzeitiger Maßnahmebeginn" in page
    assert "zugestimmt" in page
    assert f"Beginn zulässig ab {day:%d.%m.%Y}" in page


def test_a_refusal_needs_a_reason_and_is_shown_to_the_applicant(client, world, asked):
    client.force_login(world.case_worker)
    url = step_url(asked, "vorzeitiger-beginn")
    response = client.post(url, {"seen": seen(asked), "consent": "no", "note": ""})
    assert response.status_code == 422
    assert "Bitte geben Sie eine Begründung an." in response.content.decode()
    assert EarlyStart.objects.get().state == EarlyStart.State.REQUESTED
    response = client.post(
        url, {"seen": seen(asked), "consent": "no", "note": "Kein besonderer Grund erkennbar."}
    )
    assert response.status_code == 302
    assert EarlyStart.objects.get().state == EarlyStart.State.REFUSED
    client.force_login(world.owner)
    page = client.get(f"/antraege/{asked.pk}/").content.decode()
    assert "abgelehnt" in page
    assert "Kein besonderer Grund erkennbar." in page
    assert "Die Förderstelle stimmt dem vorzeitigen Beginn nicht zu." in page


def test_a_consent_needs_a_date(world, asked):
    with pytest.raises(RuleViolated, match="ab wann das Projekt beginnen darf"):
        early_start_decide(application=asked, actor=world.case_worker, consent=True)
    assert EarlyStart.objects.get().state == EarlyStart.State.REQUESTED


def test_only_a_case_worker_of_the_programme_decides(world, asked):
    with pytest.raises(NotPermitted):
        early_start_decide(
            application=asked,
            actor=world.foreign_case_worker,
            consent=True,
            allowed_from=timezone.localdate(),
        )
    assert EarlyStart.objects.get().state == EarlyStart.State.REQUESTED


def _propose(app, world, start):
    return decision_propose(
        application=app,
        actor=world.case_worker,
        amount=Decimal("8000.00"),
        funding_start=start,
        funding_end=start,
        purpose="Sprachcafé",
    )


def test_without_consent_the_funding_period_cannot_begin_before_submission(world, asked):
    submitted = _submitted_days_ago(asked, 20)
    advance(asked, world, S.IN_REVIEW)
    before = submitted - dt.timedelta(days=5)
    with pytest.raises(RuleViolated) as refused:
        _propose(asked, world, before)
    assert refused.value.messages == [
        f"Der Förderzeitraum darf nicht vor dem {submitted:%d.%m.%Y} beginnen: Vor dem "
        "Antragseingang nur mit Zustimmung zum vorzeitigen Maßnahmebeginn."
    ]
    assert not Decision.objects.exists()
    # The submission day itself needs no consent.
    assert _propose(asked, world, submitted).funding_start == submitted


def test_with_consent_the_funding_period_begins_on_the_consented_day(world, asked):
    submitted = _submitted_days_ago(asked, 20)
    consented = submitted - dt.timedelta(days=5)
    early_start_decide(
        application=asked, actor=world.case_worker, consent=True, allowed_from=consented
    )
    assert earliest_funding_start(asked) == consented
    advance(asked, world, S.IN_REVIEW)
    with pytest.raises(RuleViolated, match="nicht vor dem"):
        _propose(asked, world, consented - dt.timedelta(days=1))
    assert _propose(asked, world, consented).funding_start == consented


def test_a_refused_early_start_does_not_open_the_period(world, asked):
    submitted = _submitted_days_ago(asked, 20)
    early_start_decide(application=asked, actor=world.case_worker, consent=False, note="Nein.")
    assert earliest_funding_start(asked) == submitted


def test_the_applicant_asks_after_submission_on_the_page(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.owner)
    assert "Vorzeitigen Beginn beantragen" in client.get(f"/antraege/{app.pk}/").content.decode()
    url = f"/antraege/{app.pk}/vorzeitiger-beginn/"
    response = client.post(url, {"requested_start": "", "reason": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Bitte geben Sie an, ab wann das Projekt beginnen soll." in page
    assert "Bitte begründen Sie, warum das Projekt vorzeitig beginnen soll." in page
    assert not EarlyStart.objects.exists()
    day = timezone.localdate() + dt.timedelta(days=2)
    response = client.post(url, {"requested_start": day.isoformat(), "reason": "Ferienbeginn."})
    assert response.status_code == 302
    early = EarlyStart.objects.get()
    assert (early.requested_start, early.reason, early.requested_by) == (
        day,
        "Ferienbeginn.",
        world.owner,
    )
    # One open request at a time.
    page = client.get(url).content.decode()
    assert "kein solcher Antrag offen oder bewilligt ist" in page
    with pytest.raises(RuleViolated, match="bereits ein Antrag auf vorzeitigen Beginn"):
        early_start_request(application=app, actor=world.owner, requested_start=day, reason="x")
    assert EarlyStart.objects.count() == 1


def test_no_early_start_after_the_decision(world):
    app = advance(draft(world), world, S.APPROVED)
    with pytest.raises(RuleViolated, match="solange über Ihren Antrag noch nicht entschieden"):
        early_start_request(
            application=app,
            actor=world.owner,
            requested_start=timezone.localdate(),
            reason="Zu spät.",
        )
    assert not EarlyStart.objects.exists()


def test_others_may_not_ask(world):
    app = advance(draft(world), world, S.SUBMITTED)
    for user in (world.outsider, world.case_worker):
        with pytest.raises(NotPermitted):
            early_start_request(
                application=app, actor=user, requested_start=timezone.localdate(), reason="x"
            )
    assert not EarlyStart.objects.exists()
