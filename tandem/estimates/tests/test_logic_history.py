import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.estimates.logic import backtest, history


def _projects(n, seed=3):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        area = rng.uniform(20, 300)
        venue = rng.choice(["hotel", "arena"])
        rows.append(
            {
                "area": area,
                "venue": venue,
                "hours": 2 * area * (1.5 if venue == "arena" else 1) * rng.uniform(0.9, 1.1),
            }
        )
    return rows


def test_nearest_analogue_wins_with_k_one():
    rows = [
        {"area": 10.0, "venue": "hotel", "hours": 100.0},
        {"area": 100.0, "venue": "hotel", "hours": 900.0},
        {"area": 100.0, "venue": "arena", "hours": 1500.0},
    ]
    model = history.fit(rows, "hours", ["area", "venue"], nominal=["venue"], k=1)
    prediction = model.predict({"area": 95.0, "venue": "arena"})
    assert prediction.value == pytest.approx(1500.0)
    assert [a.index for a in prediction.analogues] == [2]
    assert prediction.low <= prediction.value <= prediction.high


def test_size_adaptation_scales_by_fitted_exponent():
    # hours = 3 * area exactly: the fitted exponent is 1 and adaptation recovers the truth.
    rows = [{"area": a, "hours": 3.0 * a} for a in (10.0, 20.0, 40.0, 80.0, 160.0)]
    model = history.fit(rows, "hours", ["area"], size="area", k=1)
    assert model.exponent == pytest.approx(1.0)
    assert model.predict({"area": 50.0}).value == pytest.approx(150.0)


def test_missing_values_count_as_far():
    rows = [
        {"area": 100.0, "hours": 100.0},
        {"area": None, "hours": 5000.0},
        {"area": 300.0, "hours": 300.0},
    ]
    model = history.fit(rows, "hours", ["area"], k=1)
    assert model.predict({"area": 120.0}).analogues[0].index == 0
    # unknown area: every past project is at the largest distance; ties go to the earliest
    unknown = model.predict({"area": None}).analogues[0]
    assert (unknown.index, unknown.distance) == (0, 1.0)


def test_k_is_chosen_by_inner_leave_one_out_and_interval_brackets():
    rows = _projects(60)
    model = history.fit(rows, "hours", ["area", "venue"], nominal=["venue"], size="area")
    assert model.k in history.K_CHOICES
    assert len(model.residuals) == 60
    prediction = model.predict({"area": 100.0, "venue": "arena"})
    assert prediction.low < prediction.value < prediction.high
    assert 200 < prediction.value < 400  # the truth is about 300 h
    assert len(prediction.analogues) == model.k


def test_fit_refuses_bad_input():
    with pytest.raises(ValueError, match="no past projects"):
        history.fit([], "hours", ["area"])
    with pytest.raises(ValueError, match="positive 'hours'"):
        history.fit([{"area": 1.0, "hours": 0}], "hours", ["area"])
    with pytest.raises(ValueError, match="cannot also be a feature"):
        history.fit([{"area": 1.0, "hours": 1.0}], "hours", ["area", "hours"])
    with pytest.raises(ValueError, match="size driver"):
        history.fit([{"v": "a", "hours": 1.0}], "hours", ["v"], nominal=["v"], size="v")


@settings(max_examples=60, deadline=None)
@given(
    past=st.lists(
        st.tuples(
            st.floats(0, 1000),
            st.sampled_from(["a", "b", "c"]),
            st.floats(0.01, 1e6),
        ),
        min_size=1,
        max_size=25,
    ),
    new_size=st.floats(0, 1000),
    new_label=st.sampled_from(["a", "b", "c"]),
)
def test_prediction_is_positive_and_within_the_analogues(past, new_size, new_label):
    rows = [{"x": x, "kind": kind, "hours": hours} for x, kind, hours in past]
    model = history.fit(rows, "hours", ["x", "kind"], nominal=["kind"])
    prediction = model.predict({"x": new_size, "kind": new_label})
    actuals = [a.actual for a in prediction.analogues]
    assert prediction.value > 0
    assert min(actuals) * (1 - 1e-9) <= prediction.value <= max(actuals) * (1 + 1e-9)
    assert prediction.low <= prediction.value <= prediction.high


def test_measures_on_a_hand_computed_example():
    # actual 100, 200, 400; predicted 110, 150, 400 -> MRE 0.1, 0.25, 0
    result = backtest.measures([100, 200, 400], [110, 150, 400], mae_p0=120)
    assert result["MdMRE"] == pytest.approx(0.1)
    assert result["MMRE"] == pytest.approx(0.35 / 3)
    assert result["PRED25"] == pytest.approx(1.0)
    assert result["MAE"] == pytest.approx(20.0)
    assert result["SA"] == pytest.approx(1 - 20 / 120)
    with pytest.raises(ValueError, match="as many predictions"):
        backtest.measures([1.0], [], mae_p0=1)


def test_folds_cover_every_row_once_per_repeat_and_are_seeded():
    runs = backtest.folds_for(10, folds=3, repeats=4, seed=5)
    assert len(runs) == 4
    for run in runs:
        assert sorted(i for fold in run for i in fold) == list(range(10))
    assert runs == backtest.folds_for(10, folds=3, repeats=4, seed=5)
    assert runs != backtest.folds_for(10, folds=3, repeats=4, seed=6)
    assert backtest.folds_for(4, folds=None, repeats=9, seed=0) == [[[0], [1], [2], [3]]]
    with pytest.raises(ValueError, match="between 2"):
        backtest.folds_for(4, folds=5, repeats=1, seed=0)


def test_cross_validation_is_reproducible_and_beats_the_median():
    rows = _projects(40)
    kwargs = {"nominal": ["venue"], "size": "area", "seed": 2}
    kfold = backtest.cross_validate(rows, "hours", ["area", "venue"], folds=4, repeats=3, **kwargs)
    assert kfold == backtest.cross_validate(
        rows, "hours", ["area", "venue"], folds=4, repeats=3, **kwargs
    )
    loo = backtest.cross_validate(rows, "hours", ["area", "venue"], folds=None, **kwargs)
    assert loo == backtest.cross_validate(rows, "hours", ["area", "venue"], folds=None, **kwargs)
    for result in (kfold, loo):
        assert set(result) == {"tandem", "mean", "median"}
        assert result["tandem"]["MdMRE"] < result["median"]["MdMRE"]
        assert result["tandem"]["MAE"] < result["median"]["MAE"]
        assert result["tandem"]["SA"] > result["median"]["SA"]
    # leave-one-out folds hold one row each: the median of fold MdMREs is the MdMRE
    assert loo["tandem"]["fold_MdMRE_median"] == pytest.approx(loo["tandem"]["MdMRE"])
    assert not math.isnan(kfold["tandem"]["fold_MdMRE_median"])
