"""The message thread in a real Chromium, by accessible names: the case worker asks for two
items, the applicant answers one with a file and writes a message, the case worker sees which
item is answered, opens the file from the case file and finds the opening in its history.
axe-core checks every page; the case file's documents are photographed (`make screenshots`)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from applicants.models import StandardDocument
from grants.models import (
    ApplicationState,
    Attachment,
    DocumentOpening,
    DocumentType,
    RequestItem,
    ThreadRead,
)
from grants.services.applications import application_request_changes
from notifications.models import Kind, Message
from tests.browser.test_casework_journey import login_as
from tests.factories import advance, build_world, draft
from tests.screenshots import take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEMS = ["Satzung in der aktuellen Fassung", "Kostenvoranschlag für die Raummiete"]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (0, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_thread_with_an_item_by_item_answer(page: Page, live_server, axe_check) -> None:
    world = build_world()
    world.case_worker.first_name, world.case_worker.last_name = "Katrin", "Albers"
    world.case_worker.save()
    world.owner.first_name, world.owner.last_name = "Selin", "Kaya"
    world.owner.save()
    app = advance(draft(world), world, S.SUBMITTED)
    photo = Attachment.objects.create(
        application=app,
        document_type=DocumentType.objects.create(
            programme=world.programme, code="foto", name="Foto des Raums"
        ),
        file=ContentFile(_png(), name="x"),
        original_name="raum.png",
        content_type="image/png",
        size=1,
        uploaded_by=world.owner,
    )
    StandardDocument.objects.create(
        applicant=world.applicant,
        kind=StandardDocument.Kind.REGISTER_EXTRACT,
        file=ContentFile(PDF, name="x"),
        original_name="vereinsregister.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world.owner,
    )
    application_request_changes(
        application=app,
        actor=world.case_worker,
        items=ITEMS,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )

    # The applicant answers the first item with a text and a file, then writes a message.
    login_as(page, live_server, world.owner)
    page.goto(f"{live_server.url}/antraege/{app.pk}/")
    axe_check(page)
    answer = page.get_by_role("form", name=f"Antwort zu „{ITEMS[0]}“")
    answer.get_by_label("Ihre Antwort").fill("Die Satzung vom März 2026 liegt bei.")
    answer.get_by_label("Unterlagen zu diesem Punkt").set_input_files(
        {"name": "satzung.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    answer.get_by_role("button", name=f"Antwort senden zu „{ITEMS[0]}“").click()
    expect(page.get_by_text(f"Ihre Antwort zu „{ITEMS[0]}“ ist gesendet.")).to_be_visible()
    expect(page.get_by_role("form", name=f"Antwort zu „{ITEMS[0]}“")).to_have_count(0)
    expect(page.get_by_role("form", name=f"Antwort zu „{ITEMS[1]}“")).to_be_visible()
    page.get_by_label("Ihre Nachricht").fill(
        "Den Kostenvoranschlag reichen wir nächste Woche nach."
    )
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_text("Ihre Nachricht ist gesendet.")).to_be_visible()
    axe_check(page)
    first = RequestItem.objects.get(position=1)
    assert first.answer is not None and not RequestItem.objects.get(position=2).answered
    assert Message.objects.filter(kind=Kind.THREAD_MESSAGE, to=world.case_worker.email).count() == 2

    # The case worker sees which item is answered, reads the thread, opens the files.
    login_as(page, live_server, world.case_worker)
    page.goto(f"{live_server.url}/sachbearbeitung/antraege/{app.pk}/")
    request = page.get_by_role("region", name="Nachforderung vom", exact=False)
    expect(request.get_by_role("listitem").filter(has_text=ITEMS[0])).to_contain_text(
        "beantwortet am"
    )
    expect(request.get_by_role("listitem").filter(has_text=ITEMS[1])).to_contain_text("noch offen")
    thread = page.get_by_role("region", name="Nachrichten")
    expect(thread).to_contain_text("Den Kostenvoranschlag reichen wir nächste Woche nach.")
    axe_check(page)
    assert ThreadRead.objects.filter(user=world.case_worker).count() == 2
    # A PDF would start a download in headless Chromium: its headers are checked instead (a
    # headed Chromium shows it in its own viewer under this sandbox, docs/security.md).
    pdf_url = thread.get_by_role("link", name="satzung.pdf").get_attribute("href")
    response = page.request.get(live_server.url + pdf_url)
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["content-security-policy"] == "sandbox"
    documents = page.get_by_role("region", name="Unterlagen")
    documents.get_by_role("link", name="raum.png", exact=True).click()
    expect(page.locator("img")).to_be_visible()  # the image, shown by the browser itself
    page.go_back()
    page.reload()
    history = page.get_by_role("region", name="Verlauf")
    expect(history).to_contain_text("Dokument geöffnet: satzung.pdf")
    expect(history).to_contain_text("Dokument geöffnet: raum.png")
    assert DocumentOpening.objects.filter(actor=world.case_worker).count() == 2
    assert photo.pk in DocumentOpening.objects.values_list("document_id", flat=True)
    documents.scroll_into_view_if_needed()
    take(page, "casework-unterlagen", locator=documents)
    take(page, "casework-nachrichten", locator=thread)
