"""A file sent in answer to an item of a Nachforderung that names a required document type
("Satzung in der aktuellen Fassung") counts as that document: the application no longer lacks
it, the screening does not flag it, and the applicant can resubmit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.errors import ActionRefused
from grants.models import ApplicationState, DocumentType
from grants.selectors.applications import application_rule_flags
from grants.services.applications import application_request_changes, application_resubmit
from grants.services.correspondence import request_item_answer
from tests.factories import advance, draft

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def requested(world):
    # Submitted before the Satzung became required, so it lacks it now.
    app = advance(draft(world), world, S.SUBMITTED)
    DocumentType.objects.create(
        programme=world.programme, code="satzung", name="Satzung", required_for_submission=True
    )
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Satzung in der aktuellen Fassung", "Satzungsänderung vom Mai", "Kostenvoranschlag"],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    app.refresh_from_db()
    return app


@pytest.fixture
def satzung(requested):
    return DocumentType.objects.get(programme=requested.programme, code="satzung")


def _answer(world, item, upload=True):
    request_item_answer(
        item=item,
        actor=world.owner,
        text="Anbei.",
        uploads=[SimpleUploadedFile("satzung.pdf", PDF)] if upload else [],
    )


def test_an_item_names_the_document_type_its_text_begins_with(requested, satzung):
    items = list(requested.request_items.order_by("position"))
    assert [item.document_type for item in items] == [satzung, None, None]


def test_the_file_answering_the_item_counts_as_the_required_document(world, requested, satzung):
    assert requested.missing_document_types() == [satzung]
    assert any(
        "Pflichtunterlagen: Satzung" in str(f)
        for f in application_rule_flags(requested, requested.plan)
    )
    item = requested.request_items.get(position=1)
    _answer(world, item)
    assert requested.missing_document_types() == []
    assert not any(
        "Pflichtunterlagen" in str(f) for f in application_rule_flags(requested, requested.plan)
    )
    application_resubmit(application=requested, actor=world.owner)
    requested.refresh_from_db()
    assert requested.state == S.SUBMITTED


def test_an_answer_without_a_file_does_not_count(world, requested, satzung):
    _answer(world, requested.request_items.get(position=1), upload=False)
    assert requested.missing_document_types() == [satzung]
    with pytest.raises(ActionRefused, match="Pflichtunterlagen"):
        application_resubmit(application=requested, actor=world.owner)


def test_a_file_for_an_item_of_another_kind_does_not_count(world, requested, satzung):
    _answer(world, requested.request_items.get(position=2))
    _answer(world, requested.request_items.get(position=3))
    assert requested.missing_document_types() == [satzung]
