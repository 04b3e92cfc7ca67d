"""The notice is made in the background: confirming a decision commits without rendering a PDF
and enqueues a task (django-tasks, database backend) after the commit; the file says
"Bescheid wird erstellt …" (polled by htmx) until the task has made it; a failed rendering is
kept on the decision, shown to staff and tried again by the periodic job, never lost; the
decision's mail goes out with the notice (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from grants.models import ApplicationState, Decision, Letter
from grants.services import letters
from grants.services.decisions import (
    LETTER_MAX_ATTEMPTS,
    decision_letter_make,
    decision_letters_catch_up,
)
from grants.tasks import make_decision_letter
from notifications import outbox
from tests.casework_pages import file_url, seen, step_url
from tests.factories import advance, draft

S = ApplicationState
TASK = "grants.tasks.make_decision_letter"
NOW = dt.timedelta(0)  # the periodic job's grace period, left out


@pytest.fixture
def db_tasks(settings):
    # The production backend: enqueueing writes a row, which only a worker runs.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def no_pdf(monkeypatch):
    """Fails the test if anything renders a PDF."""

    def refuse(*args, **kwargs):
        raise AssertionError("a PDF was rendered")

    monkeypatch.setattr(letters, "html_to_pdf", refuse)


@pytest.fixture
def confirmed(client, world, db_tasks, django_capture_on_commit_callbacks):
    app = advance(draft(world), world, S.DECISION_PROPOSED)
    client.force_login(world.second_case_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(app, "bestaetigen"), {"seen": seen(app), "note": ""})
    assert response.status_code == 302
    return app, Decision.objects.get(application=app)


def test_confirming_commits_without_rendering_and_enqueues_the_letter(
    client, world, db_tasks, no_pdf, django_capture_on_commit_callbacks
):
    app = advance(draft(world), world, S.DECISION_PROPOSED)
    client.force_login(world.second_case_worker)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(step_url(app, "bestaetigen"), {"seen": seen(app), "note": ""})
        # Nothing is enqueued inside the transaction: a rolled-back decision leaves no task.
        assert not DBTaskResult.objects.filter(task_path=TASK).exists()
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.APPROVED

    for callback in callbacks:
        callback()

    decision = Decision.objects.get(application=app)
    task = DBTaskResult.objects.get(task_path=TASK)
    assert task.args_kwargs["kwargs"] == {"decision_id": decision.pk}
    assert not Letter.objects.exists()


def test_the_task_makes_and_stores_the_letter(confirmed):
    _app, decision = confirmed

    task = DBTaskResult.objects.get(task_path=TASK)
    assert make_decision_letter.call(**task.args_kwargs["kwargs"]) is True

    letter = Letter.objects.get(decision=decision)
    assert letter.file.read(5) == b"%PDF-"
    # Run twice (a repeated task): still one letter.
    assert make_decision_letter.call(decision_id=decision.pk) is True
    assert Letter.objects.filter(decision=decision).count() == 1


def test_the_file_says_the_letter_is_being_made_until_it_is_there(client, confirmed):
    app, decision = confirmed
    fragment_url = f"{file_url(app)}schreiben/"

    page = client.get(file_url(app)).content.decode()
    assert '<div id="bescheide" role="status">' in page
    assert "Bescheid wird erstellt …" in page
    assert f'hx-get="{fragment_url}"' in page
    assert "every 3s" in page
    polled = client.get(fragment_url).content.decode()
    assert "Bescheid wird erstellt …" in polled and "hx-get" in polled

    decision_letter_make(decision_id=decision.pk)

    done = client.get(fragment_url).content.decode()
    letter = Letter.objects.get(decision=decision)
    assert f"{file_url(app)}schreiben/{letter.pk}/" in done
    assert "Bescheid wird erstellt" not in done
    # Nothing pending: the fragment no longer asks to be polled.
    assert "hx-get" not in done


def test_the_applicant_is_told_the_notice_is_being_made(client, world, confirmed):
    app, decision = confirmed
    client.force_login(world.owner)
    detail = f"/antraege/{app.pk}/"

    assert "Ihr Bescheid wird gerade erstellt" in client.get(detail).content.decode()
    decision_letter_make(decision_id=decision.pk)
    assert "Ihr Bescheid wird gerade erstellt" not in client.get(detail).content.decode()


def test_a_failed_rendering_is_kept_shown_and_tried_again(client, confirmed, monkeypatch):
    app, decision = confirmed

    def broken(*args, **kwargs):
        raise OSError("Schrift nicht gefunden")

    with monkeypatch.context() as patch:
        patch.setattr(letters, "html_to_pdf", broken)
        assert make_decision_letter.call(decision_id=decision.pk) is False

    decision.refresh_from_db()
    assert (decision.letter_attempts, decision.letter_error) == (
        1,
        "OSError: Schrift nicht gefunden",
    )
    page = client.get(file_url(app)).content.decode()
    assert "Der Bescheid konnte nicht erstellt werden (1 Versuch)." in page
    assert "erneut versucht" in page
    assert "Schrift nicht gefunden" in page

    # The periodic job tries again once the task had its time; now the rendering works.
    assert decision_letters_catch_up(older_than=NOW) == 1
    decision.refresh_from_db()
    assert decision.letter_error == ""
    assert Letter.objects.filter(decision=decision).count() == 1
    assert decision_letters_catch_up(older_than=NOW) == 0


def test_after_the_last_attempt_the_file_asks_for_help(client, confirmed, monkeypatch):
    app, decision = confirmed
    Decision.objects.filter(pk=decision.pk).update(
        letter_attempts=LETTER_MAX_ATTEMPTS, letter_error="OSError: kaputt"
    )

    assert decision_letters_catch_up(older_than=NOW) == 0
    assert not Letter.objects.exists()
    page = client.get(file_url(app)).content.decode()
    assert "Es wird nicht mehr automatisch versucht." in page


def test_the_periodic_job_leaves_a_fresh_task_its_time(confirmed, no_pdf):
    assert decision_letters_catch_up() == 0


def test_the_decision_mail_goes_out_with_the_notice_the_task_made(world, confirmed):
    _app, decision = confirmed
    decision_letter_make(decision_id=decision.pk)

    outbox.flush()

    letter = Letter.objects.get(decision=decision)
    sent = next(m for m in mail.outbox if m.to == [world.owner.email] and "bewilligt" in m.subject)
    letter.file.open("rb")
    assert sent.attachments == [(letter.filename, letter.file.read(), "application/pdf")]
