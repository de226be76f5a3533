"""Test overrides on top of the one settings module: fast hashing, plain static files (the
browser tests serve files straight from the finders), tasks run at once, and what a local .env
may set for several app servers (cache, sessions, replica) back at its default."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("DEBUG", "false")
if test_url := os.environ.get("TANDEM_TEST_DATABASE_RUN"):
    os.environ["DATABASE_URL"] = test_url
else:
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
for name in ("DATABASE_URL_REPLICA", "CACHE_URL", "SESSION_ENGINE"):
    os.environ[name] = ""

from tandem.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
