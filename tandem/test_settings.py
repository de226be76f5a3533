"""Test overrides on top of the one settings module: fast hashing, plain static files (the
browser tests serve files straight from the finders), tasks run at once."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("DEBUG", "false")
if test_url := os.environ.get("TANDEM_TEST_DATABASE_RUN"):
    os.environ["DATABASE_URL"] = test_url
else:
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"

from tandem.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
