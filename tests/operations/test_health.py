import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import OperationalError
from django.utils import timezone

from notifications.models import Kind, Message
from operations.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def alive(settings, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.HEALTH_MIN_FREE_MB = 1
    Heartbeat.beat("worker")
    Heartbeat.beat("scheduler")


def get_health(client) -> tuple[int, dict]:
    response = client.get("/health/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_it_says_ok_when_everything_is_alive(client, alive):
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "worker", "scheduler", "mail", "disk"}
    assert body["checks"]["migrations"]["pending"] == 0


def test_it_needs_no_login_no_session_and_no_known_host(client, alive, settings):
    settings.ALLOWED_HOSTS = ["foerderportal.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert response["Cache-Control"] == "no-store"


def test_it_fails_when_the_worker_has_not_beaten_for_too_long(client, alive, settings):
    settings.HEALTH_WORKER_MAX_AGE_MINUTES = 10
    Heartbeat.objects.filter(name="worker").update(
        beat_at=timezone.now() - dt.timedelta(minutes=11)
    )
    status, body = get_health(client)
    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["age_seconds"] >= 660
    assert body["checks"]["scheduler"]["ok"] is True


def test_it_fails_when_the_worker_never_beat(client, alive):
    Heartbeat.objects.filter(name="worker").delete()
    status, body = get_health(client)
    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "last_beat": None, "max_age_minutes": 10}


def test_it_fails_when_the_database_is_gone(client, alive, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3 refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    status, body = get_health(client)
    assert status == 503
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["worker"] == {"ok": False, "error": "database unavailable"}
    assert body["checks"]["disk"]["ok"] is True
    # The host name of the database stays in the logs, not on a public page.
    assert "10.1.2.3" not in json.dumps(body)


def test_it_reports_the_mail_backlog_and_fails_on_an_old_unsent_mail(client, alive, settings):
    settings.HEALTH_MAIL_MAX_AGE_MINUTES = 60
    for minutes in (5, 61):
        Message.objects.create(
            kind=Kind.RECEIPT,
            to="a@example.org",
            language="de",
            subject="s",
            body_text="b",
            created_at=timezone.now() - dt.timedelta(minutes=minutes),
        )
    status, body = get_health(client)
    assert status == 503
    assert body["checks"]["mail"]["unsent"] == 2
    assert body["checks"]["mail"]["ok"] is False
    Message.objects.filter(created_at__lt=timezone.now() - dt.timedelta(minutes=60)).update(
        state=Message.State.SENT, sent_at=timezone.now()
    )
    status, body = get_health(client)
    assert status == 200
    assert body["checks"]["mail"]["unsent"] == 1


def test_it_fails_when_the_private_files_disk_is_nearly_full(client, alive, settings):
    settings.HEALTH_MIN_FREE_MB = 10**12
    status, body = get_health(client)
    assert status == 503
    assert body["checks"]["disk"]["ok"] is False
    assert body["checks"]["disk"]["writable"] is True


def test_other_methods_go_to_the_normal_stack(client, alive):
    assert client.post("/health/").status_code == 404
