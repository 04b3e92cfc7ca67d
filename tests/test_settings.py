import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' conftest allows async-unsafe calls; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 64 + "-production-secret-for-the-test-only",
        ALLOWED_HOSTS="foerderportal.example",
        DEBUG="false",
        EMAIL_BACKEND="anymail.backends.postmark.EmailBackend",
        WEBHOOK_SECRET="hook:secret-for-the-test",
        REDIS_URL="redis://127.0.0.1:6379/0",
        TRUSTED_PROXIES="10.0.0.0/8",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_ENV": "production", "ALLOWED_HOSTS": "x.example"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_malformed_boolean_is_a_loud_error():
    result = run_manage("check", DEBUG="vielleicht")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [("LANGUAGE_CODE", "de"), ("TIME_ZONE", "Europe/Berlin"), ("USE_THOUSAND_SEPARATOR", True)],
)
def test_german_defaults(name, expected):
    assert getattr(settings, name) == expected


def test_english_pages_use_day_month_order_and_24_hours():
    moment = dt.datetime(2026, 11, 23, 14, 5)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "23/11/2026 14:05"
    with translation.override("de"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "23.11.2026 14:05"


def test_templates_are_compiled_once_per_process():
    """The cached template loader is on (Django wraps the default loaders in it when none
    are listed): listing loaders explicitly would switch it off and cost 2-3x per page."""
    from django.template import engines

    loaders = engines["django"].engine.loaders
    assert loaders[0][0] == "django.template.loaders.cached.Loader", loaders


def test_passkeys_are_bound_to_the_public_address():
    script = (
        "from django.conf import settings as s; "
        "print(s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS, "
        "s.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", script, PORTAL_BASE_URL="https://foerderportal.example.org/"
    )
    assert result.stdout.strip() == (
        "foerderportal.example.org ['https://foerderportal.example.org'] False"
    )
