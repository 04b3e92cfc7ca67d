"""A message of the thread carries up to five files, each checked like every upload; both
sides open each of them through the one document view. More files, or one file we do not
accept, refuse the whole message with a German message and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.models import ApplicationState, DocumentKind, ThreadAttachment, ThreadMessage
from grants.services.applications import application_request_changes
from tests.casework_pages import file_url
from tests.factories import advance, draft

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def app(world):
    return advance(draft(world), world, S.SUBMITTED)


def _pdfs(n):
    return [SimpleUploadedFile(f"beleg-{i}.pdf", PDF) for i in range(1, n + 1)]


def _post(client, app, files):
    return client.post(f"/antraege/{app.pk}/nachrichten/", {"body": "Anbei.", "file": files})


def test_a_message_carries_several_files_that_both_sides_open(client, world, app):
    client.force_login(world.owner)
    _post(client, app, [*_pdfs(1), SimpleUploadedFile("foto.png", PNG)])
    message = ThreadMessage.objects.get()
    files = list(message.attachments.order_by("id"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("beleg-1.pdf", "application/pdf"),
        ("foto.png", "image/png"),
    ]
    urls = [f"/antraege/{app.pk}/dokumente/{DocumentKind.THREAD_ATTACHMENT}/{f.pk}/" for f in files]
    page = client.get(f"/antraege/{app.pk}/").content.decode()
    assert all(url in page for url in urls)
    client.force_login(world.case_worker)
    page = client.get(file_url(app)).content.decode()
    assert all(url in page for url in urls)
    for user in (world.case_worker, world.colleague):
        client.force_login(user)
        for url, body in zip(urls, (PDF, PNG), strict=True):
            response = client.get(url)
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == body


def test_five_files_are_taken_six_are_refused(client, world, app):
    client.force_login(world.owner)
    _post(client, app, _pdfs(5))
    assert ThreadAttachment.objects.count() == 5
    response = _post(client, app, _pdfs(6))
    assert ThreadMessage.objects.count() == 1 and ThreadAttachment.objects.count() == 5
    assert "Höchstens 5 Dateien je Nachricht." in client.get(response["Location"]).content.decode()


def test_one_file_we_do_not_accept_refuses_the_whole_message(client, world, app):
    client.force_login(world.owner)
    bad = SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = _post(client, app, [*_pdfs(1), bad])
    assert not ThreadMessage.objects.exists() and not ThreadAttachment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "rechnung.pdf: " in page and "nicht annehmen" in page


def test_a_nachforderung_item_is_answered_with_several_files(client, world, app):
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=["Kostenvoranschläge"],
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )
    item = app.request_items.get()
    client.force_login(world.owner)
    client.post(
        f"/antraege/{app.pk}/nachforderung/{item.pk}/",
        {f"item-{item.pk}-text": "Drei Angebote.", f"item-{item.pk}-file": _pdfs(3)},
    )
    item.refresh_from_db()
    assert item.answered
    assert item.answer.attachments.count() == 3
