import os
import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tandem.core import env
from tandem.core.env import (
    env_bool,
    env_choice,
    env_dotted_path,
    env_int,
    env_json_object,
    env_list,
    env_str,
    load_dotenv,
    parse_cache_url,
)

NAME = "TANDEM_TEST_SETTING"


@pytest.fixture
def unset(monkeypatch):
    """Make sure the variables these tests use start out unset."""
    for name in (NAME, "TANDEM_TEST_OTHER", "TANDEM_TEST_QUOTED", "TANDEM_TEST_SINGLE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "Yes", "on", " true "])
def test_a_boolean_reads_the_usual_ways_of_saying_true(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "NO", "off", " off "])
def test_a_boolean_reads_the_usual_ways_of_saying_false(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled", "truee"])
def test_a_boolean_that_is_neither_true_nor_false_stops_start_up_naming_the_variable(
    monkeypatch, raw
):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_bool(NAME, False)

    assert str(excinfo.value) == f"{NAME} must be true or false, got {raw!r}"


@pytest.mark.parametrize("raw", [None, "", "   "])
@pytest.mark.parametrize("default", [True, False])
def test_an_unset_or_blank_boolean_takes_the_default(unset, raw, default):
    if raw is not None:
        unset.setenv(NAME, raw)

    assert env_bool(NAME, default) is default


@pytest.mark.parametrize(("raw", "expected"), [("8000", 8000), (" 42 ", 42), ("-1", -1), ("0", 0)])
def test_a_whole_number_is_read(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)

    assert env_int(NAME, 5) == expected


@pytest.mark.parametrize("raw", ["ten", "1.5", "8000s", "0x10"])
def test_a_number_that_is_not_whole_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int(NAME, 5)

    assert str(excinfo.value) == f"{NAME} must be a whole number, got {raw!r}"


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_an_unset_or_blank_number_takes_the_default(unset, raw):
    if raw is not None:
        unset.setenv(NAME, raw)

    assert env_int(NAME, 5) == 5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a.example.com,b.example.com", ["a.example.com", "b.example.com"]),
        (" a.example.com , b.example.com ,", ["a.example.com", "b.example.com"]),
        ("solo", ["solo"]),
        ("", []),
        (" , ,", []),
    ],
)
def test_a_list_is_split_on_commas_without_blanks(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)

    assert env_list(NAME, "default.example.com") == expected


def test_an_unset_list_takes_the_default(unset):
    assert env_list(NAME, "localhost,127.0.0.1") == ["localhost", "127.0.0.1"]


def test_an_unset_list_without_a_default_is_empty(unset):
    assert env_list(NAME) == []


def test_a_string_is_read_as_is(monkeypatch):
    monkeypatch.setenv(NAME, " postgres://db ")

    assert env_str(NAME, "x") == " postgres://db "


def test_an_unset_string_takes_the_default(unset):
    assert env_str(NAME, "UTC") == "UTC"


def test_a_dotenv_file_sets_variables_skipping_comments_and_blank_lines(unset, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# Local settings\n"
        "\n"
        f"  {NAME} = hello world  \n"
        'TANDEM_TEST_QUOTED="a = b # not a comment"\n'
        "TANDEM_TEST_SINGLE=''\n"
    )

    load_dotenv(dotenv)

    assert os.environ[NAME] == "hello world"
    assert os.environ["TANDEM_TEST_QUOTED"] == "a = b # not a comment"
    assert os.environ["TANDEM_TEST_SINGLE"] == ""


def test_a_dotenv_file_never_overrides_what_the_environment_sets(unset, tmp_path):
    unset.setenv(NAME, "from the environment")
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"{NAME}=from the file\nTANDEM_TEST_OTHER=from the file\n")

    load_dotenv(dotenv)

    assert os.environ[NAME] == "from the environment"
    assert os.environ["TANDEM_TEST_OTHER"] == "from the file"


def test_the_first_line_for_a_variable_wins_within_a_dotenv_file(unset, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"{NAME}=first\n{NAME}=second\n")

    load_dotenv(dotenv)

    assert os.environ[NAME] == "first"


def test_a_malformed_dotenv_line_stops_start_up_naming_the_file_and_line(unset, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"{NAME}=ok\nDEBUG true\n")

    with pytest.raises(ImproperlyConfigured) as excinfo:
        load_dotenv(dotenv)

    assert str(excinfo.value) == f"{dotenv}:2: expected KEY=VALUE, got 'DEBUG true'"


def test_a_dotenv_line_without_a_name_stops_start_up_naming_the_file_and_line(unset, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("=orphan value\n")

    with pytest.raises(ImproperlyConfigured) as excinfo:
        load_dotenv(dotenv)

    assert str(excinfo.value) == f"{dotenv}:1: expected KEY=VALUE, got '=orphan value'"


def test_a_missing_dotenv_file_is_ignored(unset, tmp_path):
    load_dotenv(tmp_path / "missing.env")

    assert NAME not in os.environ


def test_a_missing_secret_key_is_made_once_and_kept(tmp_path):
    from tandem.core.env import persistent_secret_key

    path = tmp_path / "var" / "secret-key"

    first = persistent_secret_key(path)
    second = persistent_secret_key(path)

    assert first == second
    assert len(first) >= 50
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(("raw", "expected"), [("cache", "cache"), (" Cached_DB ", "cached_db")])
def test_a_choice_is_read_whatever_its_case(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)

    assert env_choice(NAME, ("db", "cache", "cached_db"), "db") == expected


@pytest.mark.parametrize("raw", [None, "", " "])
def test_an_unset_or_blank_choice_takes_the_default(unset, raw):
    if raw is not None:
        unset.setenv(NAME, raw)

    assert env_choice(NAME, ("db", "cache"), "db") == "db"


def test_a_choice_not_offered_stops_start_up_naming_the_choices(monkeypatch):
    monkeypatch.setenv(NAME, "file")

    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_choice(NAME, ("db", "cache", "cached_db"), "db")

    assert str(excinfo.value) == f"{NAME} must be one of db, cache, cached_db, got 'file'"


def test_a_dotted_path_is_read_and_blank_takes_the_default(unset):
    default = "django.core.files.storage.FileSystemStorage"
    assert env_dotted_path(NAME, default) == default

    unset.setenv(NAME, " myapp.storage.SharedStorage ")

    assert env_dotted_path(NAME, default) == "myapp.storage.SharedStorage"


@pytest.mark.parametrize("raw", ["FileSystemStorage", "my-app.Storage", "a..B", "a.b c"])
def test_a_class_that_is_not_a_dotted_path_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured, match=f"^{NAME} must be the dotted path"):
        env_dotted_path(NAME, "django.core.files.storage.FileSystemStorage")


def test_a_json_object_is_read_and_blank_is_empty(unset):
    assert env_json_object(NAME) == {}

    unset.setenv(NAME, '{"location": "/srv/media", "file_permissions_mode": 416}')

    assert env_json_object(NAME) == {"location": "/srv/media", "file_permissions_mode": 416}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            '{"secret_key": "s3cr3t"',
            "must be a JSON object: Expecting ',' delimiter at character 23",
        ),
        ('["s3cr3t"]', "must be a JSON object, got a list"),
    ],
)
def test_bad_json_stops_start_up_without_repeating_the_value(monkeypatch, raw, message):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_json_object(NAME)

    assert str(excinfo.value) == f"{NAME} {message}"
    assert "s3cr3t" not in str(excinfo.value)


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("locmem://", {"BACKEND": LOCMEM}),
        ("locmem://tandem", {"BACKEND": LOCMEM, "LOCATION": "tandem"}),
        ("dummy://", {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}),
        (
            "db://tandem_cache",
            {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tandem_cache"},
        ),
    ],
)
def test_a_cache_url_becomes_its_caches_entry(url, expected):
    assert parse_cache_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["redis://cache.internal:6379/1", "redis://:pw@cache.internal", "rediss://cache.internal:6380"],
)
def test_a_redis_url_is_passed_to_djangos_redis_cache_when_redis_is_installed(monkeypatch, url):
    monkeypatch.setattr(env, "find_spec", lambda name: object() if name == "redis" else None)

    assert parse_cache_url(url) == {"BACKEND": REDIS, "LOCATION": url}


def test_a_redis_url_without_the_redis_package_stops_start_up_hiding_its_password(monkeypatch):
    monkeypatch.setattr(env, "find_spec", lambda name: None)

    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_cache_url("redis://:s3cr3t@cache.internal:6379/0")

    assert str(excinfo.value) == (
        "CACHE_URL 'redis://:***@cache.internal:6379/0' needs the Python package redis, which "
        "Tandem does not install: install it next to Tandem, or use db://TABLE for a cache the "
        "app servers share"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "must be locmem://, dummy://, db://TABLE or redis://HOST:PORT/DB, got ''"),
        ("locmem", "must be locmem://, dummy://, db://TABLE or redis://HOST:PORT/DB, got 'locmem'"),
        (
            "memcached://u:s3cr3t@m:11211",
            "must be locmem://, dummy://, db://TABLE or redis://HOST:PORT/DB, "
            "got 'memcached://u:***@m:11211'",
        ),
        ("dummy://x", "dummy:// takes nothing after it, got 'dummy://x'"),
        (
            "locmem://a/b",
            "locmem:// takes an optional name of letters, digits and _, got 'locmem://a/b'",
        ),
        ("db://", "db:// takes a table name such as db://tandem_cache, got 'db://'"),
        (
            "db://cache; drop",
            "db:// takes a table name such as db://tandem_cache, got 'db://cache; drop'",
        ),
        ("redis://", "must be redis://HOST[:PORT][/DB], got 'redis://'"),
        ("redis://cache:port/0", "must be redis://HOST[:PORT][/DB], got 'redis://cache:port/0'"),
        (
            "redis://cache:6379/zero",
            "must be redis://HOST[:PORT][/DB], got 'redis://cache:6379/zero'",
        ),
        (
            "redis://cache/0?timeout=1",
            "must be redis://HOST[:PORT][/DB], got 'redis://cache/0?timeout=1'",
        ),
    ],
)
def test_a_cache_url_tandem_cannot_use_stops_start_up(url, message):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_cache_url(url)

    assert str(excinfo.value) == f"CACHE_URL {message}"


# --- settings.py read from the environment ------------------------------------------------

SHARED_STATE = (
    "CACHE_URL",
    "SESSION_ENGINE",
    "DATABASE_URL_REPLICA",
    "MEDIA_ROOT",
    "STORAGE_BACKEND",
    "STORAGE_OPTIONS",
)
ROOT = Path(env.__file__).resolve().parents[2]


@pytest.fixture
def read_settings(monkeypatch):
    """Run settings.py afresh (not Django's settings) with these variables, the others blank."""

    def read(**variables):
        for name in SHARED_STATE:
            monkeypatch.setenv(name, "")
        monkeypatch.setenv("DATABASE_URL", "postgres://tandem@db.internal:5432/tandem")
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "tandem" / "settings.py"))

    return read


def test_one_app_server_keeps_its_cache_and_files_and_sessions_in_the_database(read_settings):
    settings = read_settings()

    assert settings["CACHES"] == {"default": {"BACKEND": LOCMEM}}
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert settings["MEDIA_ROOT"] == ROOT / "var" / "media"
    assert settings["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {},
    }
    assert list(settings["DATABASES"]) == ["default"]
    assert "DATABASE_ROUTERS" not in settings


def test_several_app_servers_share_a_cache_sessions_files_and_a_replica(read_settings):
    settings = read_settings(
        CACHE_URL="db://tandem_cache",
        SESSION_ENGINE="cache",
        MEDIA_ROOT="/srv/tandem/media",
        STORAGE_BACKEND="myapp.storage.SharedStorage",
        STORAGE_OPTIONS='{"location": "/srv/tandem/media"}',
        DATABASE_URL_REPLICA="postgres://reader@replica.internal:5432/tandem",
    )

    assert settings["CACHES"]["default"]["LOCATION"] == "tandem_cache"
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert settings["MEDIA_ROOT"] == Path("/srv/tandem/media")
    assert settings["STORAGES"]["default"] == {
        "BACKEND": "myapp.storage.SharedStorage",
        "OPTIONS": {"location": "/srv/tandem/media"},
    }
    replica = settings["DATABASES"]["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        "reader",
        "tandem",
    )
    assert replica["TEST"] == {"MIRROR": "default"}
    assert settings["DATABASE_ROUTERS"] == ["tandem.core.db_router.ReplicaRouter"]


@pytest.mark.parametrize("cache_url", ["locmem://", "dummy://"])
def test_sessions_in_a_cache_no_other_process_sees_stop_start_up(read_settings, cache_url):
    with pytest.raises(ImproperlyConfigured, match="SESSION_ENGINE=cache needs a shared cache"):
        read_settings(CACHE_URL=cache_url, SESSION_ENGINE="cache")


def test_every_variable_settings_reads_is_listed_in_the_env_example():
    source = (ROOT / "tandem" / "settings.py").read_text()
    read = set(re.findall(r'env_[a-z_]+\(\s*"([A-Z0-9_]+)"', source))
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))

    assert read - listed == set()
