"""Users choose the language of their mails and, as case workers, the daily digest."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import BouncedAddress, NotificationPreference
from notifications.services import preference_get

URL = "/benachrichtigungen/"
pytestmark = pytest.mark.django_db


def test_the_url_is_named():
    assert reverse("notifications:preferences") == URL


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_applicant_chooses_the_language_of_their_mails(client, world):
    client.force_login(world.owner)
    page = client.get(URL)
    assert page.status_code == 200
    assert "digest" not in page.context["form"].fields

    response = client.post(URL, {"language": "en"})

    assert response.status_code == 302
    world.owner.refresh_from_db()
    assert world.owner.language == "en"
    assert response.cookies["django_language"].value == "en"


def test_a_case_worker_turns_the_digest_off_and_on(client, world):
    client.force_login(world.case_worker)
    assert "digest" in client.get(URL).context["form"].fields

    client.post(URL, {"language": "de"})
    assert preference_get(world.case_worker).digest is False

    client.post(URL, {"language": "de", "digest": "on"})
    assert preference_get(world.case_worker).digest is True


def test_a_user_changes_only_their_own_settings(client, world):
    client.force_login(world.outsider)

    client.post(URL, {"language": "en", "user": world.owner.pk})

    world.owner.refresh_from_db()
    assert world.owner.language == "de"
    assert not NotificationPreference.objects.filter(user=world.owner).exists()


def test_an_unknown_language_is_refused(client, world):
    client.force_login(world.owner)

    response = client.post(URL, {"language": "fr"})

    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    world.owner.refresh_from_db()
    assert world.owner.language == "de"


def test_a_bounced_address_is_shown_to_its_owner(client, world):
    BouncedAddress.objects.create(email=world.owner.email, reason="550 user unknown")
    client.force_login(world.owner)

    assert "kommen nicht an" in client.get(URL).content.decode()

    client.force_login(world.colleague)
    assert "kommen nicht an" not in client.get(URL).content.decode()


def test_other_methods_are_not_allowed(client, world):
    client.force_login(world.owner)

    assert client.put(URL).status_code == 405
