"""Failed logins are counted by django-axes per normalised address and per real client address
(behind the proxy), successful ones never; a lock-out is a cool-off with a German message, and
the admin has no login of its own to try around it."""

import datetime as dt
import ipaddress
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from applicants.models import User
from tests.factories import PASSWORD

LIMIT = 10


@pytest.fixture
def anna(db) -> User:
    return User.objects.create_user(email="anna@example.org", password=PASSWORD)


def _login(client, username, password=PASSWORD, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


# Each spelling names the same account: case, spaces, full-width letters (NFKC).
SPELLINGS = [
    "anna@example.org",
    "ANNA@example.org",
    "  anna@example.org ",
    "Anna@Example.Org",
    "ａｎｎａ@example.org",
    "ａｎｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ",
]


def test_spellings_of_the_address_count_against_one_account(client, anna):
    # From ten different machines, so only the per-account counter can stop the eleventh.
    for attempt in range(LIMIT):
        spelling = SPELLINGS[attempt % len(SPELLINGS)]
        _login(client, spelling, "falsch", REMOTE_ADDR=f"198.51.100.{attempt + 1}")

    response = _login(client, "anna@example.org", REMOTE_ADDR="198.51.100.200")

    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in response.content.decode()
    assert "15 Minuten" in response.content.decode()
    assert not _logged_in(client)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_logs_in(client, anna, spelling):
    response = _login(client, spelling)

    assert response.status_code == 302
    assert _logged_in(client)


def test_successful_logins_are_not_counted(client, anna):
    for _ in range(LIMIT + 5):
        assert _login(client, "anna@example.org").status_code == 302
        client.post(reverse("logout"))

    assert _login(client, "anna@example.org").status_code == 302


def test_client_address_comes_from_the_proxy_header(client, db, settings):
    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/24")]
    User.objects.create_user(email="bert@example.org", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # One client guesses at many accounts, and puts a forged address in front of its own.
    for n in range(LIMIT):
        _login(
            client,
            f"guess{n}@example.org",
            "falsch",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
            **proxy,
        )

    blocked = _login(client, "bert@example.org", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    other = _login(client, "bert@example.org", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)

    assert blocked.status_code == 429
    assert other.status_code == 302
    assert _logged_in(client)


def test_without_a_trusted_proxy_the_header_is_ignored(client, db, settings):
    settings.TRUSTED_PROXY_NETWORKS = []
    User.objects.create_user(email="bert@example.org", password=PASSWORD)
    for n in range(LIMIT):
        _login(
            client,
            f"guess{n}@example.org",
            "falsch",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            REMOTE_ADDR="203.0.113.7",
        )

    response = _login(client, "bert@example.org", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429


def test_lock_out_is_a_cool_off(client, anna, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    for _ in range(LIMIT):
        _login(client, "anna@example.org", "falsch")
    assert _login(client, "anna@example.org").status_code == 429

    time.sleep(1.5)

    assert _login(client, "anna@example.org").status_code == 302


def test_admin_login_offers_no_way_around_the_lock(client, anna):
    anna.is_staff = anna.is_superuser = True
    anna.save()
    for _ in range(LIMIT):
        _login(client, "anna@example.org", "falsch")

    for _ in range(3):
        client.post("/admin/login/", {"username": "anna@example.org", "password": PASSWORD})

    assert not _logged_in(client)
    assert _login(client, "anna@example.org").status_code == 429
