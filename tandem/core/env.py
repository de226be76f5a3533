"""Strict parsing of settings from the environment.

A typo in a boolean or a number must stop the process at start-up, not silently fall back to a
default, so every parser raises ImproperlyConfigured with the variable's name.
"""

import json
import os
import re
import secrets
import time
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
}


def load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from `path` into os.environ, never overriding what is set."""
    if not path.is_file():
        return
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key, value)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: Iterable[str], default: str) -> str:
    """Read one of `choices` (case-insensitive); unset or blank takes `default`."""
    choices = tuple(choices)
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def env_dotted_path(name: str, default: str) -> str:
    """Read the dotted path of a class (imported later, by Django); blank takes `default`."""
    value = os.environ.get(name, "").strip() or default
    if not _DOTTED_PATH.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be the dotted path of a class such as {default}, got {value!r}"
        )
    return value


def env_json_object(name: str) -> dict:
    """Read a JSON object (e.g. a backend's options); unset or blank is {}. The value is not
    repeated in errors: it may hold credentials."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(
            f"{name} must be a JSON object: {error.msg} at character {error.pos}"
        ) from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, got a {type(value).__name__}")
    return value


def parse_cache_url(url: str, name: str = "CACHE_URL") -> dict[str, str]:
    """Turn a cache URL into a CACHES entry.

    locmem:// (this process only; optionally locmem://NAME), dummy:// (caches nothing),
    db://TABLE (the database; `tandem createcachetable` makes the table) or
    redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS), which needs the redis package:
    Tandem does not install it, so a Redis URL without it stops start-up. Anything else, an
    unknown scheme included, raises ImproperlyConfigured.
    """
    scheme, sep, rest = url.partition("://")
    backend = CACHE_BACKENDS.get(scheme.lower()) if sep else None
    if backend is None:
        raise ImproperlyConfigured(
            f"{name} must be locmem://, dummy://, db://TABLE or redis://HOST:PORT/DB, "
            f"got {_shown(url)!r}"
        )
    scheme = scheme.lower()
    if scheme == "dummy":
        if rest:
            raise ImproperlyConfigured(
                f"{name} dummy:// takes nothing after it, got {_shown(url)!r}"
            )
        return {"BACKEND": backend}
    if scheme == "locmem":
        if rest and not _IDENTIFIER.fullmatch(rest):
            raise ImproperlyConfigured(
                f"{name} locmem:// takes an optional name of letters, digits and _, got {_shown(url)!r}"
            )
        return {"BACKEND": backend, "LOCATION": rest} if rest else {"BACKEND": backend}
    if scheme == "db":
        if not _IDENTIFIER.fullmatch(rest):
            raise ImproperlyConfigured(
                f"{name} db:// takes a table name such as db://tandem_cache, got {_shown(url)!r}"
            )
        return {"BACKEND": backend, "LOCATION": rest}
    if not _is_redis_url(url):
        raise ImproperlyConfigured(f"{name} must be redis://HOST[:PORT][/DB], got {_shown(url)!r}")
    if find_spec("redis") is None:
        raise ImproperlyConfigured(
            f"{name} {_shown(url)!r} needs the Python package redis, which Tandem does not "
            "install: install it next to Tandem, or use db://TABLE for a cache the app "
            "servers share"
        )
    return {"BACKEND": backend, "LOCATION": url}


def _is_redis_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when the port is not a number
    except ValueError:
        return False
    return bool(
        parts.hostname
        and not parts.query
        and not parts.fragment
        and re.fullmatch(r"(?:/\d+)?", parts.path)
    )


def _shown(url: str) -> str:
    """The URL with any password masked, to repeat in an error."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<an unreadable URL>"
    if password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


def persistent_secret_key(path: Path) -> str:
    """Read the secret key kept at `path`, making a random one (readable by us alone) the
    first time. Safe when several processes start together: one creates the file, the others
    wait for its content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.1)
        raise ImproperlyConfigured(f"{path} is empty: delete it or set SECRET_KEY") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
