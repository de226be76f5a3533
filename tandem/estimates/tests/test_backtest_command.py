import json
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

COMMAND = "estimate-backtest"


@pytest.fixture
def past_csv(tmp_path):
    rng = random.Random(11)
    lines = ['"Project ", " Screen Area ",Venue,Hours']
    for i in range(30):
        area = rng.uniform(20, 300)
        venue = rng.choice(["hotel", "arena"])
        hours = 2 * area * (1.5 if venue == "arena" else 1) * rng.uniform(0.9, 1.1)
        lines.append(f"p{i},{area:.1f},{venue},{hours:.1f}")
    lines += ["p98,50,hotel,?", "p99,60,arena,0"]
    path = tmp_path / "past.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(*args):
    out = StringIO()
    call_command(COMMAND, *args, stdout=out)
    return out.getvalue()


def test_json_reports_every_method_and_the_skipped_rows(past_csv):
    args = [str(past_csv), "--target", "hours", "--drop", "project", "--size", "screen area"]
    output = _run(*args, "--folds", "3", "--repeats", "2", "--seed", "4", "--json")
    result = json.loads(output)
    for method in ("tandem", "mean", "median"):
        assert set(result[method]) == {"MdMRE", "MMRE", "PRED25", "MAE", "SA", "fold_MdMRE_median"}
    assert result["data"]["rows"] == 30
    assert result["data"]["skipped"] == 2
    assert result["data"]["protocol"] == "3-fold x 2"
    assert result["tandem"]["MdMRE"] < result["median"]["MdMRE"]
    assert result["tandem"]["MAE"] < result["median"]["MAE"]
    # same seed, same numbers
    assert output == _run(*args, "--folds", "3", "--repeats", "2", "--seed", "4", "--json")
    loo = json.loads(_run(*args, "--loo", "--json"))
    assert loo["data"]["protocol"] == "loo"


def test_table_is_readable(past_csv):
    output = _run(str(past_csv), "--target", "Hours", "--drop", "Project", "--repeats", "1")
    assert "30 rows used, 2 skipped" in output
    assert "3-fold x 1" in output
    lines = output.splitlines()
    assert lines[2].split()[:3] == ["method", "MdMRE", "MMRE"]
    assert [line.split()[0] for line in lines[3:]] == ["tandem", "mean", "median"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--target", "effort"], "unknown target column 'effort'"),
        (["--target", "hours", "--drop", "colour"], "unknown column to drop"),
        (["--target", "hours", "--loo", "--folds", "3"], "--loo cannot be combined"),
        (["--target", "hours", "--folds", "1"], "at least 2"),
        (["--target", "hours", "--folds", "31"], "more than the 30 usable rows"),
        (["--target", "hours", "--repeats", "0"], "--repeats must be at least 1"),
        (["--target", "hours", "--size", "venue"], "numeric column"),
    ],
)
def test_bad_arguments_are_refused_clearly(past_csv, extra, message):
    with pytest.raises(CommandError, match=message):
        _run(str(past_csv), *extra)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "nope.arff"), "--target", "hours")


def test_too_few_rows_is_refused(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("area,hours\n1,2\n3,4\n")
    with pytest.raises(CommandError, match="only 2 usable rows"):
        _run(str(path), "--target", "hours")
