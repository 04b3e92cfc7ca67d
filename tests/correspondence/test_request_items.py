"""A request for missing items (Nachforderung) is answered item by item, each with its own
text and file; the case worker sees which items are answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.errors import NotPermitted, RuleViolated
from grants.models import ApplicationState, RequestItem, ThreadAttachment, ThreadMessage
from grants.services.applications import application_request_changes, application_resubmit
from grants.services.correspondence import request_item_answer
from grants.services.proof import application_request_proof_changes
from notifications.models import Kind, Message
from tests.casework_pages import file_url
from tests.factories import advance, draft

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEMS = ["Satzung in der aktuellen Fassung", "Kostenvoranschlag für die Raummiete"]


@pytest.fixture
def requested(world):
    app = advance(draft(world), world, S.SUBMITTED)
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=ITEMS,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    app.refresh_from_db()
    return app


def _answer_url(app, item):
    return f"/antraege/{app.pk}/nachforderung/{item.pk}/"


def test_the_request_keeps_its_items_one_by_one(requested):
    items = list(requested.request_items.order_by("position"))
    assert [(i.position, i.text, i.answered) for i in items] == [
        (1, ITEMS[0], False),
        (2, ITEMS[1], False),
    ]
    assert items[0].request.transition == "request_changes"


def test_the_applicant_answers_one_item_with_text_and_file(client, world, requested):
    first, second = requested.request_items.order_by("position")
    client.force_login(world.owner)
    page = client.get(f"/antraege/{requested.pk}/").content.decode()
    assert page.count("Antwort senden") == 2
    response = client.post(
        _answer_url(requested, first),
        {
            f"item-{first.pk}-text": "Die Satzung vom März liegt bei.",
            f"item-{first.pk}-file": SimpleUploadedFile("satzung.pdf", PDF),
        },
    )
    assert response["Location"] == f"/antraege/{requested.pk}/#nachforderung"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.answered and not second.answered
    assert first.answer.body == "Die Satzung vom März liegt bei."
    assert ThreadAttachment.objects.get(message=first.answer).original_name == "satzung.pdf"
    # The answer is a message of the thread: the case workers are told by mail.
    assert Message.objects.filter(kind=Kind.THREAD_MESSAGE).count() == 2
    page = client.get(f"/antraege/{requested.pk}/").content.decode()
    assert page.count("Antwort senden") == 1
    assert "beantwortet am" in page and "noch offen" in page
    # The case worker sees which item is answered, and the answer in the thread.
    client.force_login(world.case_worker)
    page = client.get(file_url(requested)).content.decode()
    assert "Nachforderung vom" in page
    assert "beantwortet am" in page and world.owner.get_full_name() in page
    assert "noch offen" in page
    assert "Antwort auf den nachgeforderten Punkt „Satzung in der aktuellen Fassung“" in page


def test_an_item_is_answered_once(world, requested):
    first = requested.request_items.order_by("position").first()
    request_item_answer(item=first, actor=world.owner, text="Liegt bei.")
    with pytest.raises(RuleViolated, match="schon beantwortet"):
        request_item_answer(item=first, actor=world.colleague, text="Noch einmal.")
    assert ThreadMessage.objects.count() == 1


def test_an_answer_needs_text_and_an_accepted_file(client, world, requested):
    first = requested.request_items.order_by("position").first()
    client.force_login(world.owner)
    client.post(_answer_url(requested, first), {f"item-{first.pk}-text": "  "})
    client.post(
        _answer_url(requested, first),
        {
            f"item-{first.pk}-text": "Anbei.",
            f"item-{first.pk}-file": SimpleUploadedFile("x.pdf", b"<html></html>"),
        },
    )
    first.refresh_from_db()
    assert not first.answered and not ThreadMessage.objects.exists()


def test_a_request_that_is_no_longer_open_takes_no_answers(world, requested):
    first, second = requested.request_items.order_by("position")
    request_item_answer(item=first, actor=world.owner, text="Liegt bei.")
    application_resubmit(application=requested, actor=world.owner)
    with pytest.raises(RuleViolated, match="nicht mehr offen"):
        request_item_answer(item=second, actor=world.owner, text="Zu spät.")


@pytest.mark.parametrize("persona", ["case_worker", "outsider", "foreign_case_worker"])
def test_only_the_applicants_people_answer(client, world, requested, persona):
    first = requested.request_items.order_by("position").first()
    client.force_login(getattr(world, persona))
    response = client.post(_answer_url(requested, first), {f"item-{first.pk}-text": "x"})
    assert response.status_code == 404
    with pytest.raises((NotPermitted, RuleViolated)):
        request_item_answer(item=first, actor=getattr(world, persona), text="x")
    first.refresh_from_db()
    assert not first.answered


def test_the_proof_request_is_answered_item_by_item_too(world):
    app = advance(draft(world), world, S.PROOF_SUBMITTED)
    application_request_proof_changes(
        application=app,
        actor=world.case_worker,
        items=["Belegliste mit Zahlungsdaten"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    app.refresh_from_db()
    item = RequestItem.objects.get(application=app)
    request_item_answer(item=item, actor=world.owner, text="Ergänzt.")
    item.refresh_from_db()
    assert item.answered and item.request.transition == "request_proof_changes"
