"""The message thread of an application: who writes, read receipts, the mail to the other
side through the outbox, attachments opened like every document, and who is refused."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.errors import NotPermitted, RuleViolated
from grants.models import (
    ApplicationState,
    DocumentKind,
    DocumentOpening,
    ThreadAttachment,
    ThreadMessage,
    ThreadRead,
)
from grants.services.correspondence import thread_message_create
from notifications.models import Kind, Message
from tests.casework_pages import file_url
from tests.factories import advance, draft

S = ApplicationState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app(world):
    return advance(draft(world), world, S.SUBMITTED)


def _post_as_applicant(client, app, body="Wann beginnt die Prüfung?", file=None):
    data = {"body": body}
    if file is not None:
        data["file"] = file
    return client.post(f"/antraege/{app.pk}/nachrichten/", data)


def _post_as_staff(client, app, body="Bitte senden Sie die Satzung."):
    return client.post(f"/sachbearbeitung/antraege/{app.pk}/nachrichten/", {"body": body})


def _mails(kind=Kind.THREAD_MESSAGE):
    return Message.objects.filter(kind=kind).order_by("to")


def test_an_applicant_writes_and_the_case_workers_get_a_mail(client, world, app):
    client.force_login(world.owner)
    response = _post_as_applicant(client, app)
    assert response.status_code == 302
    assert response["Location"] == f"/antraege/{app.pk}/#nachrichten"
    message = ThreadMessage.objects.get()
    assert (message.author, message.from_staff, message.body) == (
        world.owner,
        False,
        "Wann beginnt die Prüfung?",
    )
    # The author has read what they wrote; nobody else yet.
    assert list(message.reads.values_list("user", flat=True)) == [world.owner.pk]
    mails = list(_mails())
    # Nobody is assigned yet: every case worker of the programme is told, the author is not.
    assert {m.to for m in mails} == {world.case_worker.email, world.second_case_worker.email}
    assert all(m.application == app for m in mails)
    assert all(f"/sachbearbeitung/antraege/{app.pk}/#nachrichten" in m.body_text for m in mails)
    assert "Wann beginnt die Prüfung?" not in mails[0].body_text  # the text stays in the portal


def test_a_case_worker_writes_and_the_applicants_people_get_a_mail(client, world, app):
    client.force_login(world.case_worker)
    assert _post_as_staff(client, app).status_code == 302
    message = ThreadMessage.objects.get()
    assert message.from_staff is True
    recipients = {m.to for m in _mails()}
    assert recipients == {
        world.owner.email,
        world.colleague.email,
        world.applicant.contact_email.lower(),
    }
    assert world.case_worker.email not in recipients
    assert f"/antraege/{app.pk}/#nachrichten" in _mails()[0].body_text


def test_reading_the_page_records_who_read_when_and_the_other_side_sees_it(client, world, app):
    client.force_login(world.owner)
    _post_as_applicant(client, app)
    message = ThreadMessage.objects.get()
    client.force_login(world.case_worker)
    page = client.get(file_url(app)).content.decode()
    assert "Wann beginnt die Prüfung?" in page
    read = ThreadRead.objects.get(message=message, user=world.case_worker)
    # Reading again keeps the first time.
    client.get(file_url(app))
    assert ThreadRead.objects.get(message=message, user=world.case_worker).read_at == read.read_at
    client.force_login(world.owner)
    page = client.get(f"/antraege/{app.pk}/").content.decode()
    assert "Gelesen von" in page and world.case_worker.get_full_name() in page
    client.force_login(world.case_worker)
    _post_as_staff(client, app)
    reply = ThreadMessage.objects.latest("id")
    assert "Noch nicht gelesen" in client.get(file_url(app)).content.decode()
    client.force_login(world.colleague)
    client.get(f"/antraege/{app.pk}/")
    assert ThreadRead.objects.filter(user=world.colleague).count() == 2
    assert reply.reads.filter(user=world.colleague).exists()


def test_an_attachment_is_checked_and_staff_open_it_like_every_document(client, world, app):
    client.force_login(world.owner)
    _post_as_applicant(client, app, file=SimpleUploadedFile("kosten.pdf", PDF))
    attachment = ThreadAttachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("kosten.pdf", "application/pdf")
    url = f"/antraege/{app.pk}/dokumente/{DocumentKind.THREAD_ATTACHMENT}/{attachment.pk}/"
    client.force_login(world.case_worker)
    assert url in client.get(file_url(app)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    opening = DocumentOpening.objects.get()
    assert (opening.kind, opening.document_id) == (DocumentKind.THREAD_ATTACHMENT, attachment.pk)
    for persona in ["foreign_case_worker", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404
    client.force_login(world.colleague)
    assert client.get(url).status_code == 200
    assert DocumentOpening.objects.count() == 1


def test_a_file_we_do_not_accept_is_refused_and_nothing_is_written(client, world, app):
    client.force_login(world.owner)
    response = _post_as_applicant(
        client, app, file=SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    )
    assert response.status_code == 302
    assert not ThreadMessage.objects.exists() and not _mails().exists()
    page = client.get(response["Location"]).content.decode()
    assert "nicht annehmen" in page


def test_an_empty_message_is_refused_with_a_german_message(client, world, app):
    client.force_login(world.owner)
    page = client.get(_post_as_applicant(client, app, body="   ")["Location"]).content.decode()
    assert not ThreadMessage.objects.exists()
    assert "Ihre Nachricht: Dieses Feld ist zwingend erforderlich." in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("foreign_case_worker", 404), ("finance", 403), ("outsider", 404), ("owner", 404)],
)
def test_the_case_work_address_refuses_anyone_else(client, world, app, persona, status):
    client.force_login(getattr(world, persona))
    assert _post_as_staff(client, app).status_code == status
    assert (
        not ThreadMessage.objects.exists()
        and not Message.objects.filter(kind=Kind.THREAD_MESSAGE).exists()
    )


@pytest.mark.parametrize("persona", ["outsider", "foreign_case_worker", "case_worker"])
def test_the_applicants_address_refuses_anyone_else(client, world, app, persona):
    client.force_login(getattr(world, persona))
    assert _post_as_applicant(client, app).status_code == 404
    assert not ThreadMessage.objects.exists()


def test_anonymous_is_sent_to_login(client, app):
    response = _post_as_applicant(client, app)
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_the_service_refuses_a_draft_and_people_of_neither_side(world):
    application = draft(world)
    with pytest.raises(RuleViolated, match="sobald der Antrag eingereicht ist"):
        thread_message_create(application=application, actor=world.owner, body="Hallo")
    submitted = advance(application, world, S.SUBMITTED)
    for persona in ["finance", "foreign_case_worker", "outsider"]:
        with pytest.raises(NotPermitted):
            thread_message_create(
                application=submitted, actor=getattr(world, persona), body="Hallo"
            )
    assert not ThreadMessage.objects.exists()


def test_each_message_is_logged(client, world, app, caplog):
    client.force_login(world.owner)
    with caplog.at_level(logging.INFO, logger="grants.services.correspondence"):
        _post_as_applicant(client, app)
    record = next(r for r in caplog.records if r.getMessage() == "message posted")
    assert (record.application_id, record.actor_id, record.from_staff) == (
        app.pk,
        world.owner.pk,
        False,
    )


def test_a_message_is_never_changed(world, app):
    from django.core.exceptions import ValidationError

    message = thread_message_create(application=app, actor=world.owner, body="Hallo")
    message.body = "Anders"
    with pytest.raises(ValidationError):
        message.save()


def test_anonymising_the_application_removes_the_threads_text_and_files(world, app):
    from django.core.files.storage import default_storage

    from grants.models import DocumentOpening, RequestItem
    from privacy.models import AnonymisationRecord
    from privacy.retention import MARK, application_anonymise

    message = thread_message_create(
        application=app,
        actor=world.owner,
        body="Meine Telefonnummer ist 0511 123",
        uploads=[SimpleUploadedFile("ausweis.pdf", PDF)],
    )
    stored = message.attachments.get().file.name
    RequestItem.objects.create(
        application=app, request=app.status_changes.latest("id"), position=1, text="Name"
    )
    DocumentOpening.objects.create(
        application=app,
        actor=world.case_worker,
        kind=DocumentKind.THREAD_ATTACHMENT,
        document_id=1,
        file_name="ausweis.pdf",
        inline=True,
    )
    application_anonymise(application=app, record_class=AnonymisationRecord.RecordClass.WITHDRAWN)
    message.refresh_from_db()
    assert message.body == MARK and not message.attachments.exists()
    assert not default_storage.exists(stored)
    assert RequestItem.objects.get().text == MARK
    assert DocumentOpening.objects.get().file_name == MARK
