import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from tandem.core.env import env_bool, env_int, env_list, env_str, load_dotenv

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
