"""Two application servers, one PostgreSQL, one Redis, one S3-compatible object store (issue 14):
what a person does through one server holds on the other, because neither keeps state of its own.

PostgreSQL only: two server processes need a database server to share (CI runs it); SQLite is the
embedded single-machine default. The object store is moto's server, as in test_object_storage.
"""

import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from moto.server import ThreadedMotoServer

from grants.models import Attachment, DocumentType
from tests.factories import PASSWORD, UserFactory, build_world, draft
from tests.operations.test_production import HOST, ROOT, production_env

FAILURE_LIMIT = 3
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def object_store() -> Iterator[dict[str, str]]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets per process, across its servers: a fresh name per test.
    bucket = f"foerderportal-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-central-1",
    )
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    try:
        yield {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "eu-central-1",
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
        }
    finally:
        server.stop()


def _start(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.fixture
def two_servers(tmp_path, object_store) -> Iterator[tuple[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("two servers share a database server: PostgreSQL (CI)")
    base = production_env(tmp_path)
    redis.Redis.from_url(base["REDIS_URL"]).flushdb()  # no throttle counts of an earlier run
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=base, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert collect.returncode == 0, collect.stderr
    ports = [_free_port(), _free_port()]
    servers = []
    for port, media in zip(ports, ("media-a", "media-b"), strict=True):
        env = {
            **base,
            **object_store,
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
            # Each server its own local directory: a file can only come from the object store.
            "PRIVATE_MEDIA_ROOT": str(tmp_path / media),
        }
        servers.append(_start(env))
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, server in zip(urls, servers, strict=True):
            for _ in range(150):
                try:
                    requests.get(url + "/health/", timeout=5)
                    break
                except requests.ConnectionError:
                    if server.poll() is not None:
                        pytest.fail(f"gunicorn stopped:\n{server.stdout.read()}")
                    time.sleep(0.2)
        yield urls[0], urls[1]
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def _cookie(response: requests.Response, name: str) -> str:
    match = re.search(rf"{name}=([^;]+)", response.headers.get("Set-Cookie", ""))
    assert match, (name, response.status_code, response.headers)
    return match.group(1)


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _login_post(url: str, email: str, password: str) -> requests.Response:
    page = requests.get(url + "/anmelden/", headers=HTTPS, timeout=20)
    csrf = _cookie(page, "csrftoken")
    return requests.post(
        url + "/anmelden/",
        headers={**HTTPS, "Cookie": f"csrftoken={csrf}", "Referer": f"https://{HOST}/anmelden/"},
        data={"csrfmiddlewaretoken": _token(page.text), "username": email, "password": password},
        allow_redirects=False,
        timeout=20,
    )


def _with_production_password(user) -> None:
    # The suite hashes with MD5 for speed; the servers know only the production hashers.
    type(user).objects.filter(pk=user.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    )


@pytest.mark.django_db(transaction=True)
def test_an_upload_through_one_server_is_served_by_the_other(two_servers):
    first, second = two_servers
    world = build_world()
    DocumentType.objects.create(programme=world.programme, code="satzung", name="Satzung")
    app = draft(world)
    _with_production_password(world.owner)

    login = _login_post(first, world.owner.email, PASSWORD)
    assert login.status_code == 302, login.text[:500]
    session = _cookie(login, "sessionid")

    # The session made by the first server is known to the second (Redis and the database).
    form = requests.get(
        f"{second}/antraege/{app.pk}/anlagen/",
        headers={**HTTPS, "Cookie": f"sessionid={session}"},
        timeout=20,
    )
    assert form.status_code == 200, form.text[:500]
    csrf = _cookie(form, "csrftoken") if "csrftoken" in form.headers.get("Set-Cookie", "") else ""
    document_type = DocumentType.objects.get(programme=world.programme, code="satzung")
    upload = requests.post(
        f"{first}/antraege/{app.pk}/anlagen/",
        headers={
            **HTTPS,
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "Referer": f"https://{HOST}/antraege/{app.pk}/anlagen/",
        },
        data={"csrfmiddlewaretoken": _token(form.text), "document_type": document_type.pk},
        files={"file": ("satzung.pdf", PDF, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    assert upload.status_code == 302, upload.text[:2000]
    attachment = Attachment.objects.get(application=app)

    served = requests.get(
        f"{second}/antraege/{app.pk}/anlagen/{attachment.pk}/",
        headers={**HTTPS, "Cookie": f"sessionid={session}"},
        timeout=20,
    )
    assert served.status_code == 200
    assert served.content == PDF


@pytest.mark.django_db(transaction=True)
def test_the_login_throttle_counts_across_both_servers(two_servers):
    first, second = two_servers
    user = UserFactory()
    _with_production_password(user)

    refused = [_login_post(first, user.email, "falsches Passwort") for _ in range(FAILURE_LIMIT)]
    # Wrong passwords are answered with the form until the limit is reached (axes locks on it).
    assert [r.status_code for r in refused[: FAILURE_LIMIT - 1]] == [200] * (FAILURE_LIMIT - 1)
    # The right password on the other server: the failures counted there too (Redis).
    locked = _login_post(second, user.email, PASSWORD)
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in locked.text
