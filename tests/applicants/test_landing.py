"""After login everyone lands where their work is: case workers on case work, finance on the
finance overview, applicants on their applications (issue 13, item 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applicants.models import User
from tests.factories import PASSWORD


def _login(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("case_worker", "casework:start"),
        ("finance", "reporting:overview"),
        ("owner", "portal:dashboard"),
    ],
)
def test_login_lands_on_the_personas_start_page(password_only_client, world, persona, start):
    response = _login(password_only_client, getattr(world, persona))

    assert response["Location"] == reverse(start)


def test_staff_pass_the_second_factor_on_the_way_to_their_start_page(password_only_client, world):
    _login(password_only_client, world.case_worker)

    response = password_only_client.get(reverse("casework:start"))

    assert response.status_code == 302
    assert "next=%2Fsachbearbeitung%2F" in response["Location"]


def test_a_given_next_page_still_wins(password_only_client, world):
    response = password_only_client.post(
        reverse("login") + "?next=/sachbearbeitung/antraege/",
        {"username": world.case_worker.email, "password": PASSWORD},
    )

    assert response["Location"] == "/sachbearbeitung/antraege/"


def test_someone_without_role_or_applicant_lands_on_the_start_page(password_only_client, db):
    User.objects.create_user(email="neu@example.org", password=PASSWORD)

    response = password_only_client.post(
        reverse("login"), {"username": "neu@example.org", "password": PASSWORD}
    )

    assert response["Location"] == reverse("home")


def test_the_start_page_offers_staff_their_area_not_the_admin(client, world):
    client.force_login(world.case_worker)

    page = client.get(reverse("home")).content.decode()

    assert "Zur Sachbearbeitung" in page
    assert "Zur Verwaltung" not in page
