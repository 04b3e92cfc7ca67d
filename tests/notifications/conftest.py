import pytest

from tests.factories import World, build_world


@pytest.fixture(autouse=True)
def mail_settings(settings):
    # pytest-django forces the locmem backend; anymail's test backend also records
    # anymail_status (the provider's message id), as a real ESP backend would.
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret-for-tests"}
    settings.MAIL_WEBHOOK_ESP = "postmark"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    settings.NOTIFICATIONS_DIGEST_HOUR = 0
    settings.PORTAL_BASE_URL = "https://foerderportal.example.org"
    # Six personas per world: the real password hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def world(db) -> World:
    return build_world()
