import pytest

from tandem.estimates.logic.datasets import parse_text, read_dataset

ARFF = """% past booths
@relation 'booths'

@attribute ' Project Id ' numeric
@attribute "screen  area" real   % square metres
@attribute venue {hotel, arena,'convention centre'}
@attribute hours numeric

@data
1, 120, hotel, 300
% a comment inside the data
2, ?, arena, 410

3, 80, 'convention centre', ?
4, 60, hotel, 0
5, 90, ?, -3
Project Id, screen area, venue, hours
6, 200, arena, 620

@data
1, l, hotel, 300
2, h, arena, 410
"""


def test_arff_quirks_are_read_and_skips_counted():
    data = parse_text(ARFF, "Hours", arff=True)
    assert data.columns == ("Project Id", "screen area", "venue", "hours")
    assert data.target == "hours"
    assert data.nominal == frozenset({"venue"})
    assert data.rows == [
        {"Project Id": 1.0, "screen area": 120.0, "venue": "hotel", "hours": 300.0},
        {"Project Id": 2.0, "screen area": None, "venue": "arena", "hours": 410.0},
        {"Project Id": 6.0, "screen area": 200.0, "venue": "arena", "hours": 620.0},
    ]
    # missing target, zero and negative targets
    assert data.skipped == 3
    assert data.header_rows == 1
    assert data.ignored_sections == 1
    assert data.features == ("Project Id", "screen area", "venue")


def test_csv_with_quoted_names_comments_and_missing_tokens(tmp_path):
    path = tmp_path / "past.csv"
    path.write_text(
        '# exported from the old sheet\n"Project " , " Screen Area",Venue,"Hours"\n\n'
        "p1, 120, hotel, 300\np2, -1, arena, 410\np3, 80, hotel, -1\n"
    )
    data = read_dataset(path, "hours", drop=["project"], missing=["-1"])
    assert data.columns == ("Project", "Screen Area", "Venue", "Hours")
    assert data.nominal == frozenset({"Project", "Venue"})
    assert data.features == ("Screen Area", "Venue")
    assert [r["Screen Area"] for r in data.rows] == [120.0, None]
    assert data.skipped == 1
    complete = read_dataset(path, "hours", missing=["-1"], complete=True)
    assert len(complete.rows) == 1
    assert complete.incomplete == 1


def test_arff_detected_by_content_and_tabs_in_declarations(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text(
        "@relation x\n@attribute\tsize\tnumeric\n@attribute effort numeric\n@data\n3,9\n"
    )
    data = read_dataset(path, "effort")
    assert data.rows == [{"size": 3.0, "effort": 9.0}]


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n\n# nothing\n")
    with pytest.raises(ValueError, match="no columns"):
        read_dataset(path, "hours")


def test_unknown_target_lists_the_columns():
    with pytest.raises(ValueError, match=r"unknown target column 'effort'.*screen area"):
        parse_text(ARFF, "effort", arff=True)


def test_nominal_target_and_unknown_drop_are_refused():
    with pytest.raises(ValueError, match="not numeric"):
        parse_text(ARFF, "venue", arff=True)
    with pytest.raises(ValueError, match="unknown column to drop 'colour'"):
        parse_text(ARFF, "hours", arff=True, drop=["colour"])
    with pytest.raises(ValueError, match="cannot drop the target"):
        parse_text(ARFF, "hours", arff=True, drop=["hours"])


def test_wrong_number_of_values_names_the_line():
    with pytest.raises(ValueError, match="line 3: expected 2 values, found 3"):
        parse_text("a,b\n1,2\n1,2,3\n", "b", arff=False)


def test_missing_file_and_sparse_arff_are_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        read_dataset(tmp_path / "nope.csv", "hours")
    with pytest.raises(ValueError, match="sparse"):
        parse_text("@attribute a numeric\n@data\n{0 1}\n", "a", arff=True)
