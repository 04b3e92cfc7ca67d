import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import World, build_world


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploads of a test go to a directory of their own, never into the developer's tree.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _outbox_sends_at_once(settings):
    # Account mails go through the outbox; its worker runs right after commit here, so the
    # tests see them in mail.outbox as a person would in the inbox.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _german_afterwards():
    # LocaleMiddleware activates the language of a request in the test's thread and leaves it
    # there; a test that asks for English must not leave later tests speaking English.
    yield
    translation.activate(settings.LANGUAGE_CODE)
