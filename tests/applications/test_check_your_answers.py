"""Check your answers before submitting (every answer by section with "Ändern" links, then the
declarations), and what was submitted afterwards: the read-only view for the applicant and in
the case file, and the PDF kept with each submission as the version of record."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from grants.models import ApplicationState, Attachment, DocumentType, Submission
from grants.services.applications import application_request_changes
from grants.tasks import make_submission_pdf
from tests.factories import DECLARATIONS, advance

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def attached(world, app):
    kind = DocumentType.objects.create(programme=world.programme, code="satzung", name="Satzung")
    Attachment.objects.create(
        application=app,
        document_type=kind,
        file=SimpleUploadedFile("satzung.pdf", PDF),
        original_name="Satzung-2026.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world.owner,
    )
    return app


def test_check_page_shows_every_answer_by_section_with_change_links(client, world, attached):
    app = attached
    client.force_login(world.owner)

    page = client.get(reverse("portal:check", args=[app.pk])).content.decode()

    for text in (app.title, app.summary, app.goals, "Zielgruppen", "Ausgaben", "Einnahmen"):
        assert text in page
    assert "Satzung-2026.pdf" in page
    for line in app.cost_lines.all():
        assert line.description in page
    assert reverse("portal:project", args=[app.pk]) + "#id_summary" in page
    assert reverse("portal:project", args=[app.pk]) + "#id_start_date_0" in page
    assert reverse("portal:classification", args=[app.pk]) + "#id_target_groups_0" in page
    assert reverse("portal:plan", args=[app.pk]) in page
    assert reverse("portal:attachments", args=[app.pk]) in page
    # The declarations come after the answers, before the button.
    assert (
        page.index("Satzung-2026.pdf")
        < page.index("Erklärungen")
        < page.index("Antrag verbindlich einreichen")
    )
    assert "Vorsteuerabzug" in page and "subventionserheblich" in page


def test_submission_needs_every_declaration_and_names_all_missing_at_once(client, world, app):
    client.force_login(world.owner)

    response = client.post(reverse("portal:check", args=[app.pk]), {"other_funding": "yes"})

    errors = response.context["form"].errors
    assert set(errors) == {"subsidy_facts", "input_tax", "not_started", "other_funding_details"}
    assert "Bitte prüfen Sie 4 Angaben." in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.DRAFT
    assert not Submission.objects.exists()


@pytest.fixture
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_submission_commits_without_its_pdf_and_a_task_makes_it(
    client, world, app, django_capture_on_commit_callbacks, monkeypatch
):
    """The PDF is rendered by the worker, not in the submitting request (a deadline rush)."""
    rendered = []
    monkeypatch.setattr(
        "grants.services.application_submissions.html_to_pdf",
        lambda html: rendered.append(html) or b"%PDF-1.7 test",
    )
    client.force_login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)

    assert response.status_code == 302
    submission = Submission.objects.get(application=app)
    assert not submission.pdf and not rendered
    task = DBTaskResult.objects.get(task_path="grants.tasks.make_submission_pdf")
    assert task.args_kwargs["kwargs"] == {"submission_id": submission.pk}

    assert make_submission_pdf.call(submission_id=submission.pk) is True
    submission.refresh_from_db()
    assert submission.pdf and len(rendered) == 1
    # A repeated task changes nothing: the first PDF stays the record.
    assert make_submission_pdf.call(submission_id=submission.pk) is False
    assert len(rendered) == 1


@pytest.mark.usefixtures("tasks_run_at_once")
def test_submission_keeps_declarations_and_a_pdf_of_every_answer(
    client, world, attached, django_capture_on_commit_callbacks
):
    app = attached
    client.force_login(world.owner)
    data = {**DECLARATIONS, "other_funding": "yes", "other_funding_details": "Stiftung X, 500 €"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:check", args=[app.pk]), data)

    assert response.status_code == 302
    submission = Submission.objects.get(application=app)
    assert submission.number == 1
    assert submission.submitted_by == world.owner
    answers = {item["key"]: item["answer"] for item in submission.declarations["items"]}
    assert answers == {
        "subsidy_facts": "Ja",
        "input_tax": "Nein",
        "not_started": "Ja",
        "other_funding": "Ja",
        "other_funding_details": "Stiftung X, 500 €",
    }
    assert submission.pdf
    text = pdf_text(submission.pdf.read())
    app.refresh_from_db()
    for expected in (app.file_number, app.title, "Satzung-2026.pdf", "Stiftung X", "Vorsteuer"):
        assert expected in text


@pytest.mark.usefixtures("tasks_run_at_once")
def test_each_resubmission_keeps_its_own_pdf(
    client, world, app, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)
    app.refresh_from_db()
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung fehlt"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    app.title = "Neuer Titel nach Nachforderung"
    app.save(update_fields=["title"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:check", args=[app.pk]), {**DECLARATIONS, "note": "ergänzt"})

    first, second = Submission.objects.filter(application=app)
    assert (first.number, second.number) == (1, 2)
    assert "Neuer Titel" not in pdf_text(first.pdf.read())
    assert "Neuer Titel nach Nachforderung" in pdf_text(second.pdf.read())


def test_applicant_sees_what_was_submitted_read_only_with_the_pdf(
    client, world, attached, django_capture_on_commit_callbacks
):
    app = attached
    client.force_login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:check", args=[app.pk]), DECLARATIONS)

    detail = client.get(reverse("portal:detail", args=[app.pk])).content.decode()
    assert reverse("portal:answers", args=[app.pk]) in detail
    client.force_login(world.colleague)
    page = client.get(reverse("portal:answers", args=[app.pk])).content.decode()

    assert app.summary in page and "Satzung-2026.pdf" in page
    assert "Ändern" not in page
    pdf_url = reverse("portal:submission_pdf", args=[app.pk, 1])
    assert pdf_url in page
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert app.title in pdf_text(b"".join(response.streaming_content))
    client.force_login(world.outsider)
    assert client.get(reverse("portal:answers", args=[app.pk])).status_code == 404
    assert client.get(pdf_url).status_code == 404


def test_case_file_shows_the_application_as_submitted(client, world, attached):
    app = advance(attached, world, to=S.SUBMITTED)  # the PDF is not made yet (no commit)
    assert not Submission.objects.get(application=app).pdf
    client.force_login(world.case_worker)

    file_page = client.get(reverse("casework:file", args=[app.pk])).content.decode()
    assert reverse("casework:answers", args=[app.pk]) in file_page
    page = client.get(reverse("casework:answers", args=[app.pk])).content.decode()

    assert app.summary in page and "Satzung-2026.pdf" in page
    response = client.get(reverse("casework:submission_pdf", args=[app.pk, 1]))
    # Made on first download when the step after the commit never ran, then kept.
    assert response["Content-Type"] == "application/pdf"
    assert Submission.objects.get(application=app).pdf
    client.force_login(world.foreign_case_worker)
    assert client.get(reverse("casework:answers", args=[app.pk])).status_code == 404
    assert client.get(reverse("casework:submission_pdf", args=[app.pk, 1])).status_code == 404
