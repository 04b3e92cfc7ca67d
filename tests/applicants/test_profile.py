"""Applicant profiles: members see, owners change, strangers get 404; standard documents with
validity; colleagues invited by e-mail and removed."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applicants import services
from applicants.models import Applicant, Invitation, Membership, StandardDocument
from notifications.models import Kind, Message
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _profile_data(applicant, **changes):
    data = {
        field: getattr(applicant, field) or ""
        for field in services.PROFILE_FIELDS
        if field != "tax_exemption_date"
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("colleague", 200), ("outsider", 404), ("case_worker", 404)],
)
def test_profile_page_per_persona(client, world, persona, status):
    client.force_login(getattr(world, persona))

    response = client.get(reverse("applicants:applicant", args=[world.applicant.pk]))

    assert response.status_code == status


def test_anonymous_profile_is_sent_to_login(client, world):
    response = client.get(reverse("applicants:applicant", args=[world.applicant.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("colleague", 403), ("outsider", 404), ("case_worker", 404)],
)
def test_only_owners_edit_the_profile(client, world, persona, status):
    client.force_login(getattr(world, persona))

    response = client.get(reverse("applicants:applicant_edit", args=[world.applicant.pk]))

    assert response.status_code == status


def test_new_user_creates_profile_and_becomes_owner(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("applicants:applicant_create"),
        {
            "kind": "individual",
            "name": "Mina Rahimi",
            "street": "Lange Laube 1",
            "postal_code": "30159",
            "city": "Hannover",
            "email": "mina@example.org",
            "contact_name": "Mina Rahimi",
            "contact_email": "mina@example.org",
            "account_holder": "Mina Rahimi",
            "iban": "de89 3704 0044 0532 0130 00",
        },
    )

    applicant = Applicant.objects.get(name="Mina Rahimi")
    assert response["Location"] == reverse("applicants:applicant", args=[applicant.pk])
    assert applicant.iban == "DE89370400440532013000"
    assert Membership.objects.get(applicant=applicant).role == Membership.Role.OWNER


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"iban": "DE00 1234 5678 9012 3456 78"}, "iban", "ist ungültig"),
        ({"postal_code": "3015"}, "postal_code", "fünfstellige"),
        ({"email": "kaputt"}, "email", ""),
        (
            {"iban": "DE89370400440532013000", "account_holder": ""},
            "account_holder",
            "Kontoinhaber",
        ),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_profile_input_changes_nothing(client, world, changes, field, message):
    client.force_login(world.owner)
    before = Applicant.objects.filter(pk=world.applicant.pk).values().get()

    response = client.post(
        reverse("applicants:applicant_edit", args=[world.applicant.pk]),
        _profile_data(world.applicant, **changes),
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()
    assert Applicant.objects.filter(pk=world.applicant.pk).values().get() == before


def test_colleague_cannot_change_bank_account_by_post(client, world):
    client.force_login(world.colleague)

    response = client.post(
        reverse("applicants:applicant_edit", args=[world.applicant.pk]),
        _profile_data(world.applicant, iban="DE02120300000000202051"),
    )

    assert response.status_code == 403
    world.applicant.refresh_from_db()
    assert world.applicant.iban == "DE89370400440532013000"


def test_standard_document_with_expiry_warning(client, world):
    client.force_login(world.colleague)
    soon = timezone.localdate() + dt.timedelta(days=20)

    client.post(
        reverse("applicants:document_add", args=[world.applicant.pk]),
        {
            "kind": "tax_exemption",
            "file": SimpleUploadedFile("freistellung.pdf", PDF),
            "valid_until": soon.isoformat(),
        },
    )

    document = StandardDocument.objects.get()
    assert document.content_type == "application/pdf"
    page = client.get(reverse("applicants:applicant", args=[world.applicant.pk])).content.decode()
    assert "läuft am" in page
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert soon.strftime("%d.%m.%Y") in dashboard
    client.force_login(world.outsider)
    assert client.get(reverse("applicants:document", args=[document.pk])).status_code == 404


@pytest.mark.parametrize(
    ("content", "valid_until", "field"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "", "file"),
        (PDF, "2000-01-01", "valid_until"),
    ],
)
def test_bad_documents_are_refused(client, world, content, valid_until, field):
    client.force_login(world.owner)

    response = client.post(
        reverse("applicants:document_add", args=[world.applicant.pk]),
        {
            "kind": "statutes",
            "file": SimpleUploadedFile("satzung.pdf", content),
            "valid_until": valid_until,
        },
    )

    assert field in response.context["form"].errors
    assert not StandardDocument.objects.exists()


def test_only_owners_delete_documents(client, world):
    document = services.standard_document_add(
        applicant=world.applicant,
        actor=world.colleague,
        kind="statutes",
        upload=SimpleUploadedFile("satzung.pdf", PDF),
        valid_until=None,
    )
    url = reverse("applicants:document_delete", args=[document.pk])
    client.force_login(world.colleague)
    assert client.post(url).status_code == 403
    client.force_login(world.owner)
    assert client.post(url).status_code == 302
    assert not StandardDocument.objects.exists()


def test_invitation_is_mailed_and_accepted(client, world):
    newcomer = UserFactory(email="neu@example.org")
    client.force_login(world.owner)

    client.post(
        reverse("applicants:invite", args=[world.applicant.pk]), {"email": "Neu@Example.org"}
    )

    invitation = Invitation.objects.get()
    message = Message.objects.get(kind=Kind.INVITATION)
    assert message.to == "neu@example.org"
    path = re.search(r"/einladung/[^/\s]+/", message.body_text).group(0)
    client.force_login(newcomer)
    client.post(path)
    assert Membership.objects.get(user=newcomer).applicant == world.applicant
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert client.get(path).status_code == 404  # used once


def test_invitation_for_someone_else_is_refused(client, world):
    services.invitation_create(
        applicant=world.applicant, actor=world.owner, email="neu@example.org", base_url="http://x"
    )
    path = re.search(
        r"/einladung/[^/\s]+/", Message.objects.get(kind=Kind.INVITATION).body_text
    ).group(0)
    client.force_login(world.outsider)

    response = client.post(path)

    assert "gilt für neu@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=world.outsider, applicant=world.applicant).exists()


@pytest.mark.parametrize(("persona", "status"), [("colleague", 403), ("outsider", 404)])
def test_only_owners_invite(client, world, persona, status):
    client.force_login(getattr(world, persona))

    response = client.post(
        reverse("applicants:invite", args=[world.applicant.pk]), {"email": "x@example.org"}
    )

    assert response.status_code == status
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_refused(client, world):
    client.force_login(world.owner)

    response = client.post(
        reverse("applicants:invite", args=[world.applicant.pk]), {"email": world.colleague.email}
    )

    assert "bereits zu Ihrer Organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_owner_removes_colleague(client, world):
    membership = Membership.objects.get(user=world.colleague)
    url = reverse("applicants:member_remove", args=[world.applicant.pk, membership.pk])
    client.force_login(world.outsider)
    assert client.post(url).status_code == 404
    client.force_login(world.owner)

    client.post(url)

    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_colleague_cannot_remove_the_owner(client, world):
    owner = Membership.objects.get(user=world.owner)
    client.force_login(world.colleague)

    response = client.post(reverse("applicants:member_remove", args=[world.applicant.pk, owner.pk]))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_last_owner_cannot_leave(client, world):
    owner = Membership.objects.get(user=world.owner)
    client.force_login(world.owner)

    client.post(reverse("applicants:member_remove", args=[world.applicant.pk, owner.pk]))

    assert Membership.objects.filter(pk=owner.pk).exists()
