"""The applicant's copy of their data (Art. 15, 20 DSGVO) holds the message thread of each
application: the messages they wrote and received, when, from which side, with the names and
files of the attachments; other people's names stay out, as everywhere in the export."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.services.correspondence import thread_message_create
from tests.privacy.test_account_rights import export
from tests.privacy.test_retention import submitted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_the_export_holds_the_thread_with_dates_sides_and_files(world, client):
    app = submitted(world)
    asked = thread_message_create(
        application=app, actor=world.case_worker, body="Bitte senden Sie den Mietvertrag."
    )
    answered = thread_message_create(
        application=app,
        actor=world.owner,
        body="Anbei der Mietvertrag.",
        uploads=[SimpleUploadedFile("Mietvertrag 2026.pdf", PDF)],
    )
    thread_message_create(application=app, actor=world.colleague, body="Ergänzung der Kollegin.")

    data, archive = export(client, world.owner)

    [application] = data["organisations"][0]["applications"]
    messages = application["messages"]
    assert [(m["from"], m["written_by_you"], m["body"]) for m in messages] == [
        ("Förderstelle", False, "Bitte senden Sie den Mietvertrag."),
        ("Antragsteller*in", True, "Anbei der Mietvertrag."),
        ("Antragsteller*in", False, "Ergänzung der Kollegin."),
    ]
    assert messages[0]["written_at"].startswith(asked.created_at.isoformat()[:19])
    assert messages[1]["written_at"].startswith(answered.created_at.isoformat()[:19])
    [attachment] = messages[1]["attachments"]
    assert attachment["name"] == "Mietvertrag 2026.pdf"
    assert archive.read(attachment["file"]) == PDF
    text = json.dumps(data)
    for foreign in (
        world.case_worker.email,
        world.case_worker.last_name,
        world.colleague.email,
        world.colleague.last_name,
    ):
        assert foreign not in text, foreign
