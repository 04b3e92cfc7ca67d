import pytest

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


@pytest.fixture
def world(db) -> World:
    return build_world()
