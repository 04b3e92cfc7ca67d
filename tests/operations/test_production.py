"""Smoke test of the production settings: the app served by gunicorn with DJANGO_ENV=production
against PostgreSQL and Redis, hashed static files by whitenoise, /health/, a login whose session
lives in Redis and the database. PostgreSQL only (runs in CI; Redis at REDIS_URL or
127.0.0.1:6379)."""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from operations.models import Heartbeat
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
PORT = int(os.environ.get("SMOKE_PORT", "8105"))
HOST = "foerderportal.example"
HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def production_env(tmp_path: Path) -> dict[str, str]:
    s = connection.settings_dict
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "smoke-test-" + "x" * 60,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "WEBHOOK_SECRET": "hook:smoke",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
        "TRUSTED_PROXIES": "127.0.0.1",
        "PORT": str(PORT),
        "WEB_CONCURRENCY": "2",
        # The suite's connection options reach libpq of the server too: when the suite runs as
        # the app role (DATABASE_APP_ROLE, tests/conftest.py), so does gunicorn, as in production.
        "PGOPTIONS": s.get("OPTIONS", {}).get("options", ""),
    }


def fetch(method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response, content


@pytest.fixture
def gunicorn(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production smoke test runs on PostgreSQL (CI)")
    env = production_env(tmp_path)
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert collect.returncode == 0, collect.stderr
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                fetch("GET", "/health/", {})
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"gunicorn stopped:\n{server.stdout.read()}")
                time.sleep(0.2)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.mark.django_db(transaction=True)
def test_production_settings_serve_pages_hashed_static_files_and_health(gunicorn):
    Heartbeat.beat("worker")
    Heartbeat.beat("scheduler")
    health, body = fetch("GET", "/health/", {})
    assert health.status == 200, body
    assert b'"status": "ok"' in body

    # Without the proxy's word for HTTPS, the app redirects to it.
    plain, _ = fetch("GET", "/", {"Host": HOST})
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://{HOST}/"

    page, html = fetch("GET", "/", HTTPS)
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security")
    css = re.search(rb'href="(/static/css/foerderportal\.[0-9a-f]{12}\.css)"', html)
    assert css, "static URLs carry a content hash"
    static, content = fetch("GET", css.group(1).decode(), {**HTTPS, "Accept-Encoding": "gzip"})
    assert static.status == 200 and content
    assert "immutable" in static.getheader("Cache-Control")
    assert static.getheader("Content-Encoding") == "gzip"

    # Log in: the session is written through Redis to the database.
    user = UserFactory()
    # The suite hashes with MD5 for speed; the server knows only the production hashers.
    type(user).objects.filter(pk=user.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    )
    login_page, login_html = fetch("GET", "/anmelden/", HTTPS)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", login_page.getheader("Set-Cookie")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login_html).group(1)
    login, _ = fetch(
        "POST",
        "/anmelden/",
        {
            **HTTPS,
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"https://{HOST}/anmelden/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        urlencode(
            {"csrfmiddlewaretoken": token.decode(), "username": user.email, "password": PASSWORD}
        ),
    )
    assert login.status == 302
    session = re.search(r"sessionid=([^;]+)", login.getheader("Set-Cookie")).group(1)
    assert "Secure" in login.getheader("Set-Cookie")
    account, account_html = fetch("GET", "/konto/", {**HTTPS, "Cookie": f"sessionid={session}"})
    assert account.status == 200
    assert user.email.encode() in account_html
