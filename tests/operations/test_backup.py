"""The backup is tried: dump, restore into a new database, and the restored system serves an
application and its attachment (PostgreSQL only, as in production and CI)."""

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import build_world
from tests.privacy.test_retention import submitted

ROOT = Path(__file__).resolve().parent.parent.parent

# Run in the restored system: log in as the owner and fetch the case file and its attachment.
SERVE = """
import hashlib, json
from django.test import Client
from applicants.models import User
from grants.models import Application
app = Application.objects.get(pk={pk})
client = Client()
client.force_login(User.objects.get(pk={owner}))
detail = client.get(f"/antraege/{{app.pk}}/")
attachment = app.attachments.get()
download = client.get(f"/antraege/{{app.pk}}/anlagen/{{attachment.pk}}/")
print(json.dumps({{
    "detail": detail.status_code,
    "file_number_shown": app.file_number in detail.content.decode(),
    "download": download.status_code,
    "content": b"".join(download.streaming_content).decode(),
}}))
"""


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def restore_database():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are for PostgreSQL (runs in CI)")
    settings_dict = connection.settings_dict
    name = f"fp_ops_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{name}"
    )
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_that_serves_the_files(
    restore_database, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }
    world = build_world()
    app = submitted(world)
    archive = tmp_path / "backup.tar"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    assert archive.exists() and not archive.with_name("backup.tar.partial").exists()

    restored_media = tmp_path / "restored-media"
    env = {"DATABASE_URL": restore_database, "PRIVATE_MEDIA_ROOT": str(restored_media)}
    restore = manage("restore", str(archive), **env)
    assert restore.returncode == 0, restore.stderr
    assert manage("migrate", "--check", **env).returncode == 0, "schema complete"

    served = manage("shell", "-c", SERVE.format(pk=app.pk, owner=world.owner.pk), **env)
    assert served.returncode == 0, served.stderr
    result = json.loads(served.stdout.strip().splitlines()[-1])
    assert result == {
        "detail": 200,
        "file_number_shown": True,
        "download": 200,
        "content": "%PDF-1.4 Erika Muster",
    }

    # A second restore into the same, now filled, system is refused.
    again = manage("restore", str(archive), **env)
    assert again.returncode != 0
    assert "is not empty" in again.stderr


def test_backup_refuses_sqlite_with_a_clear_message(tmp_path):
    result = manage(
        "backup", "--output", str(tmp_path / "x.tar"), DATABASE_URL=f"sqlite:///{tmp_path}/db"
    )
    assert result.returncode != 0
    assert "need PostgreSQL" in result.stderr
