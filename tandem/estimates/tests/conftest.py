import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files land on a real disk, in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path
