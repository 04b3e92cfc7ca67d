"""The case file and the work queue for every persona, requests for items, stale pages, and the
queue at scale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.models import StandardDocument
from grants.models import (
    Application,
    ApplicationState,
    Decision,
    StatusChange,
)
from grants.services.decisions import decision_propose_rejection
from tests.casework_pages import file_url, seen, step_url
from tests.factories import ApplicantFactory, advance, draft

S = ApplicationState


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("case_worker", 200),
        ("second_case_worker", 200),
        ("foreign_case_worker", 404),
        ("finance", 403),
        ("owner", 404),
        ("outsider", 404),
    ],
)
def test_file_access_per_persona(client, world, persona, status):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(getattr(world, persona))
    assert client.get(file_url(app)).status_code == status


def test_anonymous_is_sent_to_login(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    for url in [file_url(app), "/sachbearbeitung/", "/sachbearbeitung/antraege/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/anmelden/" in response["Location"]


def test_queue_is_for_case_workers_only(client, world):
    client.force_login(world.owner)
    assert client.get("/sachbearbeitung/antraege/").status_code == 403
    client.force_login(world.finance)
    assert client.get("/sachbearbeitung/antraege/").status_code == 403


def test_queue_shows_only_own_programmes_and_no_drafts(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    hidden_draft = draft(world)
    client.force_login(world.foreign_case_worker)
    assert app.file_number.encode() not in client.get("/sachbearbeitung/antraege/").content
    client.force_login(world.case_worker)
    page = client.get("/sachbearbeitung/antraege/").content.decode()
    assert app.file_number in page
    assert f"/antraege/{hidden_draft.pk}/" not in page


def test_request_items_with_list_and_deadline(client, world, mailoutbox):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.case_worker)
    due = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(
        step_url(app, "nachforderung"),
        {"seen": seen(app), "items": "Satzung\nFreistellungsbescheid", "due_date": due.isoformat()},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.CHANGES_REQUESTED
    assert app.response_due_date == due
    change = StatusChange.objects.filter(application=app).last()
    assert change.reason == "Satzung\nFreistellungsbescheid"
    assert change.actor == world.case_worker


def test_a_foreign_case_worker_cannot_act(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.foreign_case_worker)
    response = client.post(step_url(app, "pruefung"), {"seen": seen(app), "note": ""})
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


def test_finance_cannot_act(client, world):
    app = advance(draft(world), world, S.SUBMITTED)
    client.force_login(world.finance)
    assert client.post(step_url(app, "pruefung"), {"seen": seen(app)}).status_code == 403


def test_two_people_at_once_one_succeeds_the_other_sees_the_new_state(client, world):
    app = advance(draft(world), world, S.IN_REVIEW)
    stale = seen(app)
    decision_propose_rejection(
        application=app, actor=world.second_case_worker, reasons="passt nicht"
    )
    client.force_login(world.case_worker)
    response = client.post(step_url(app, "ablehnung"), {"seen": stale, "reasons": "doppelt"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "in der Zwischenzeit" in page
    assert "Entscheidung vorgeschlagen" in page
    assert Decision.objects.filter(application=app).count() == 1


def test_queue_has_a_fixed_number_of_queries_at_10000_applications(
    client, world, django_assert_max_num_queries
):
    template = advance(draft(world), world, S.SUBMITTED)
    applicants = [ApplicantFactory() for _ in range(5)]
    Application.objects.bulk_create(
        Application(
            programme=world.programme,
            call=world.call,
            applicant=applicants[n % 5],
            created_by=world.owner,
            assigned_to=world.case_worker if n % 3 else None,
            state=S.SUBMITTED if n % 2 else S.IN_REVIEW,
            file_number=f"BULK-{n:05d}",
            title=f"Projekt {n}",
            submitted_at=template.submitted_at,
        )
        for n in range(10_000)
    )
    client.force_login(world.case_worker)
    for url in [
        "/sachbearbeitung/antraege/",
        "/sachbearbeitung/antraege/?assigned=me&sort=-requested&seite=3",
        "/sachbearbeitung/antraege/?q=Projekt%2099&deadline=week",
        "/sachbearbeitung/",
    ]:
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200


def test_file_lists_the_mails_sent_about_the_application(client, world):
    app = advance(draft(world), world, ApplicationState.SUBMITTED)
    client.force_login(world.case_worker)
    page = client.get(file_url(app)).content.decode()
    assert "E-Mails zu diesem Antrag" in page
    assert app.file_number in page
    assert world.owner.email in page


def test_queue_sort_menu_names_every_order_in_german(client, world):
    client.force_login(world.case_worker)
    page = client.get("/sachbearbeitung/antraege/").content.decode()
    assert "Aktenzeichen (absteigend)" in page
    assert "nächste Frist" in page
    assert "Submitted" not in page


def test_file_flags_expired_standard_documents(client, world, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    app = advance(draft(world), world, ApplicationState.SUBMITTED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    StandardDocument.objects.create(
        applicant=world.applicant,
        kind=StandardDocument.Kind.TAX_EXEMPTION,
        file=ContentFile(b"%PDF-1.4", name="f.pdf"),
        original_name="Freistellung.pdf",
        content_type="application/pdf",
        size=8,
        valid_until=yesterday,
        uploaded_by=world.owner,
    )
    client.force_login(world.case_worker)
    page = client.get(file_url(app)).content.decode()
    assert "Abgelaufene Unterlagen der Antragsteller*in: Freistellungsbescheid" in page
