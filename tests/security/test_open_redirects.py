"""A ``next`` parameter leads only to pages of this site: after creating or editing a profile,
deleting an attachment, logging in and passing the second factor."""

import pytest
from django.urls import reverse

from grants.models import Attachment, DocumentType
from tests.factories import PASSWORD, draft

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
]

PROFILE = {
    "kind": "association",
    "name": "Nachbarschaft Linden e. V.",
    "legal_form": "eingetragener Verein",
    "street": "Limmerstraße 1",
    "postal_code": "30451",
    "city": "Hannover",
    "email": "info@linden.example",
    "contact_name": "Ayşe Yılmaz",
    "contact_email": "ayse@linden.example",
    "account_holder": "Nachbarschaft Linden e. V.",
    "iban": "DE89370400440532013000",
}


@pytest.mark.parametrize("target", OFF_SITE)
def test_profile_edit_stays_on_site(client, world, target):
    client.force_login(world.owner)
    url = reverse("applicants:applicant_edit", args=[world.applicant.pk])
    data = {**PROFILE, "name": world.applicant.name}

    response = client.post(f"{url}?next={target}", data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert response["Location"] == reverse("applicants:applicant", args=[world.applicant.pk])


def test_profile_edit_follows_a_local_next(client, world):
    client.force_login(world.owner)
    url = reverse("applicants:applicant_edit", args=[world.applicant.pk])

    response = client.post(f"{url}?next=/antraege/", {**PROFILE, "name": world.applicant.name})

    assert response["Location"] == "/antraege/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_profile_create_stays_on_site(client, world, target):
    from applicants.models import User

    newcomer = User.objects.create_user(email="neu@example.org", password=PASSWORD)
    client.force_login(newcomer)

    response = client.post(f"{reverse('applicants:applicant_create')}?next={target}", PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith("/profil/")


@pytest.mark.parametrize("target", OFF_SITE)
def test_attachment_delete_stays_on_site(client, world, target):
    application = draft(world)
    attachment = Attachment.objects.create(
        application=application,
        document_type=DocumentType.objects.create(
            programme=world.programme, code="beschreibung", name="Projektbeschreibung"
        ),
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=world.owner,
    )
    client.force_login(world.owner)

    response = client.post(
        reverse("portal:attachment_delete", args=[application.pk, attachment.pk]),
        {"next": target},
    )

    assert response["Location"] == reverse("portal:attachments", args=[application.pk])


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_stays_on_site(client, world, target):
    response = client.post(
        reverse("login"), {"username": world.owner.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//", "/\\", "javascript"))
