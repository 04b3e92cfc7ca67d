import io
import json
import zipfile

import pytest

from applicants.models import Applicant, Membership, User
from grants.models import Application, ApplicationState
from notifications.models import Kind, Message
from privacy.models import AnonymisationRecord
from privacy.retention import MARK
from tests.factories import PASSWORD, ApplicantFactory, UserFactory, draft
from tests.privacy.test_retention import attach, document, erika, rejected, submitted

S = ApplicationState


def export(client, user: User) -> tuple[dict, zipfile.ZipFile]:
    client.force_login(user)
    response = client.get("/konto/daten/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("daten.json")), archive


@pytest.mark.django_db
def test_the_export_has_every_personal_field_of_the_account_and_its_organisation(world, client):
    owner, applicant = world.owner, world.applicant
    Applicant.objects.filter(pk=applicant.pk).update(
        phone="0511 111",
        contact_phone="0511 222",
        account_holder="Verein Kasse",
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
    )
    applicant.refresh_from_db()
    app = submitted(world)
    document(applicant, owner, b"Satzung")
    Message.objects.create(
        kind=Kind.RECEIPT,
        to=owner.email,
        user=owner,
        language="de",
        subject="Eingang",
        body_text="Hallo",
    )
    data, archive = export(client, owner)

    account = data["account"]
    for field in ("email", "first_name", "last_name", "language"):
        assert account[field] == getattr(owner, field)
    assert "password" not in account
    [organisation] = data["organisations"]
    for field in (
        "name", "street", "postal_code", "city", "email", "phone", "contact_name",
        "contact_email", "contact_phone", "account_holder", "iban", "bic",
    ):  # fmt: skip
        assert organisation[field] == getattr(applicant, field), field
    assert organisation["your_role"] == "owner"
    [application] = organisation["applications"]
    assert application["file_number"] == app.file_number
    assert application["summary"] == app.summary
    assert application["cost_lines"][0]["description"] == "Honorare Kursleitung"
    attachment_path = application["attachments"][0]["file"]
    assert archive.read(attachment_path) == b"%PDF-1.4 Erika Muster"
    document_path = organisation["standard_documents"][0]["file"]
    assert archive.read(document_path) == b"Satzung"
    assert "Eingang" in [m["subject"] for m in data["mails"]]


@pytest.mark.django_db
def test_the_export_has_no_one_elses_data(world, client):
    submitted(world)
    other = ApplicantFactory(name="Fremder Verein", contact_name="Otto Fremd")
    Membership.objects.create(user=world.outsider, applicant=other)
    Message.objects.create(
        kind=Kind.RECEIPT, to=world.colleague.email, user=world.colleague, language="de",
        subject="Für die Kollegin", body_text="geheim",
    )  # fmt: skip
    data, _archive = export(client, world.owner)
    text = json.dumps(data)
    for foreign in (
        "Fremder Verein", "Otto Fremd", world.outsider.email, world.colleague.email,
        world.colleague.last_name, world.case_worker.email, world.case_worker.last_name,
        "Für die Kollegin",
    ):  # fmt: skip
        assert foreign not in text, foreign
    # Ids of other people (who uploaded, who decided) are left out too.
    assert "uploaded_by" not in text and "actor" not in text and "assigned_to" not in text


@pytest.mark.django_db
def test_the_export_needs_a_login(client):
    response = client.get("/konto/daten/")
    assert response.status_code == 302
    assert "/anmelden/" in response["Location"]


@pytest.mark.django_db
def test_deletion_is_refused_while_a_case_is_open_and_changes_nothing(world, client):
    Membership.objects.filter(user=world.colleague).delete()
    app = submitted(world)
    client.force_login(world.owner)
    page = client.get("/konto/loeschen/").content.decode()
    assert app.file_number in page
    assert "laufen noch Förderverfahren" in page
    response = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert response.status_code == 200
    world.owner.refresh_from_db()
    assert world.owner.is_active and world.owner.email.endswith("@example.org")
    assert not AnonymisationRecord.objects.exists()


@pytest.mark.django_db
def test_a_colleague_may_leave_an_organisation_with_open_cases(world, client):
    submitted(world)
    client.force_login(world.colleague)
    response = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert response.status_code == 302
    world.colleague.refresh_from_db()
    assert not world.colleague.is_active
    assert world.applicant.memberships.count() == 1
    world.applicant.refresh_from_db()
    assert world.applicant.contact_name != MARK


@pytest.mark.django_db
def test_deletion_needs_the_password(world, client):
    client.force_login(world.outsider)
    response = client.post("/konto/loeschen/", {"password": "falsch"})
    assert response.status_code == 200
    assert "Das Passwort stimmt nicht." in response.content.decode()
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


@pytest.mark.django_db
def test_staff_accounts_are_not_deleted_by_self_service(world, client):
    client.force_login(world.case_worker)
    client.post("/konto/loeschen/", {"password": PASSWORD})
    world.case_worker.refresh_from_db()
    assert world.case_worker.is_active


@pytest.mark.django_db
def test_deletion_anonymises_account_drafts_and_an_organisation_without_kept_files(world, client):
    person = erika()
    user = UserFactory(email="erika@example.org")
    Membership.objects.create(user=user, applicant=person, role=Membership.Role.OWNER)
    world.applicant = person
    world.owner = user
    app = draft(world)
    attach(app, world)

    client.force_login(user)
    response = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == f"anonymisiert-{user.pk}@invalid" and not user.is_active
    assert "_auth_user_id" not in client.session
    app.refresh_from_db()
    assert app.summary == "" and not app.attachments.exists()
    person.refresh_from_db()
    assert person.name == MARK and person.email == "anonymisiert@invalid"
    assert set(AnonymisationRecord.objects.values_list("record_class", flat=True)) == {
        "deleted_account", "draft", "applicant",
    }  # fmt: skip


@pytest.mark.django_db
def test_deletion_keeps_files_under_a_retention_duty_and_says_until_when(world, client):
    Membership.objects.filter(user=world.colleague).delete()
    app = rejected(world)
    client.force_login(world.owner)
    page = client.get("/konto/loeschen/").content.decode()
    assert app.file_number in page and "aufbewahrt bis" in page
    response = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.summary, "the rejected file is kept for its period"
    world.applicant.refresh_from_db()
    assert world.applicant.contact_name != MARK
    assert Application.objects.get(pk=app.pk).state == S.REJECTED
