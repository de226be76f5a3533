import heapq
import math
import pickle
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.estimates.logic import analogy, backtest


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
    model = analogy.fit(rows, "hours", ["area", "venue"], nominal=["venue"], k=1)
    prediction = model.predict({"area": 95.0, "venue": "arena"})
    assert prediction.value == pytest.approx(1500.0)
    assert [a.index for a in prediction.analogues] == [2]
    assert prediction.low <= prediction.value <= prediction.high


def test_size_adaptation_scales_by_fitted_exponent():
    # hours = 3 * area exactly: the fitted exponent is 1 and adaptation recovers the truth.
    rows = [{"area": a, "hours": 3.0 * a} for a in (10.0, 20.0, 40.0, 80.0, 160.0)]
    model = analogy.fit(rows, "hours", ["area"], size="area", k=1)
    assert model.exponent == pytest.approx(1.0)
    assert model.predict({"area": 50.0}).value == pytest.approx(150.0)


def test_missing_values_count_as_far():
    rows = [
        {"area": 100.0, "hours": 100.0},
        {"area": None, "hours": 5000.0},
        {"area": 300.0, "hours": 300.0},
    ]
    model = analogy.fit(rows, "hours", ["area"], k=1)
    assert model.predict({"area": 120.0}).analogues[0].index == 0
    # unknown area: every past project is at the largest distance; ties go to the earliest
    unknown = model.predict({"area": None}).analogues[0]
    assert (unknown.index, unknown.distance) == (0, 1.0)


def test_k_is_chosen_by_inner_leave_one_out_and_interval_brackets():
    rows = _projects(60)
    model = analogy.fit(rows, "hours", ["area", "venue"], nominal=["venue"], size="area")
    assert model.k in analogy.K_CHOICES
    assert len(model.residuals) == 60
    prediction = model.predict({"area": 100.0, "venue": "arena"})
    assert prediction.low < prediction.value < prediction.high
    assert 200 < prediction.value < 400  # the truth is about 300 h
    assert len(prediction.analogues) == model.k


def test_fit_refuses_bad_input():
    with pytest.raises(ValueError, match="no past projects"):
        analogy.fit([], "hours", ["area"])
    with pytest.raises(ValueError, match="positive 'hours'"):
        analogy.fit([{"area": 1.0, "hours": 0}], "hours", ["area"])
    with pytest.raises(ValueError, match="cannot also be a feature"):
        analogy.fit([{"area": 1.0, "hours": 1.0}], "hours", ["area", "hours"])
    with pytest.raises(ValueError, match="size driver"):
        analogy.fit([{"v": "a", "hours": 1.0}], "hours", ["v"], nominal=["v"], size="v")


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
    model = analogy.fit(rows, "hours", ["x", "kind"], nominal=["kind"])
    prediction = model.predict({"x": new_size, "kind": new_label})
    actuals = [a.actual for a in prediction.analogues]
    assert prediction.value > 0
    assert min(actuals) * (1 - 1e-9) <= prediction.value <= max(actuals) * (1 + 1e-9)
    assert prediction.low <= prediction.value <= prediction.high


# The plain one-pair-at-a-time method, as the module's docstring states it: the vectorised fit
# and prediction must give exactly the same k, residuals, analogues and values. It takes the
# fitted scaling, size exponent and targets from the model (fit() computes those in plain
# Python) and redoes the distances, the neighbours, the combination and the choice of k.
def _reference_point(model, row):
    return (
        tuple(f.scale(row.get(f.name)) for f in model.numeric),
        tuple(row.get(name) for name in model.nominal),
    )


def _reference_distance(a, b):
    total = 0.0
    for x, y in zip(a[0], b[0], strict=True):
        total += 1.0 if x is None or y is None else (x - y) * (x - y)
    for x, y in zip(a[1], b[1], strict=True):
        total += 1.0 if x is None or y is None or x != y else 0.0
    return total


def _reference_predict(model, points, point, size, *, k, exclude=-1):
    k = min(k, len(points) - (exclude >= 0))
    nearest = heapq.nsmallest(
        k,
        ((_reference_distance(point, past), i) for i, past in enumerate(points) if i != exclude),
    )
    new_size = analogy._positive(size)
    adjusted = []
    for _, i in nearest:
        log_value = model.log_targets[i]
        if new_size is not None and model.sizes[i] is not None and model.exponent:
            log_value += model.exponent * (math.log(new_size) - math.log(model.sizes[i]))
        adjusted.append(math.exp(log_value))
    weights = range(len(adjusted), 0, -1)
    value = math.exp(
        sum(w * math.log(a) for w, a in zip(weights, adjusted, strict=True)) / sum(weights)
    )
    return value, [(i, math.sqrt(d), a) for (d, i), a in zip(nearest, adjusted, strict=True)]


def _reference_fit(model, rows, size, k, seed):
    """(k, sorted leave-one-out residuals) chosen one prediction at a time."""
    if len(rows) < 3:
        return min(k or len(rows), len(rows)), []
    points = [_reference_point(model, row) for row in rows]
    sample = list(range(len(rows)))
    if len(sample) > analogy.INNER_SAMPLE:
        sample = random.Random(seed).sample(sample, analogy.INNER_SAMPLE)
    best = None
    for choice in [k] if k else [c for c in analogy.K_CHOICES if c < len(rows)]:
        residuals = [
            model.log_targets[i]
            - math.log(
                _reference_predict(
                    model,
                    points,
                    points[i],
                    rows[i].get(size) if size else None,
                    k=choice,
                    exclude=i,
                )[0]
            )
            for i in sample
        ]
        error = statistics.fmean(abs(r) for r in residuals)
        if best is None or error <= best[0] + 1e-12:
            best = (error, choice, residuals)
    return best[1], sorted(best[2])


def _assert_same_as_reference(rows, new_rows, *, size, k, seed=0):
    features = ["area", "days", "venue", "kind"]
    model = analogy.fit(
        rows, "hours", features, nominal=["venue", "kind"], size=size, k=k, seed=seed
    )
    chosen, residuals = _reference_fit(model, rows, size, k, seed)
    assert (model.k, model.residuals) == (chosen, residuals)
    points = [_reference_point(model, row) for row in rows]
    for row in new_rows:
        value, analogues = _reference_predict(
            model, points, _reference_point(model, row), row.get(size) if size else None, k=model.k
        )
        prediction = model.predict(row)
        assert prediction.value == value
        assert [(a.index, a.distance, a.adjusted) for a in prediction.analogues] == analogues
        assert [a.actual for a in prediction.analogues] == [
            math.exp(model.log_targets[i]) for i, _, _ in analogues
        ]
        if len(residuals) >= 5:
            low = value * math.exp(analogy._quantile(residuals, analogy.INTERVAL[0]))
            high = value * math.exp(analogy._quantile(residuals, analogy.INTERVAL[1]))
        else:
            low, high = min(a for *_, a in analogues), max(a for *_, a in analogues)
        assert (prediction.low, prediction.high) == (min(low, value), max(high, value))


# Few distinct values, so that distances tie often; None for unknown everywhere. Sizes stay
# above 0.01: a size ratio near 1e300 overflows the adaptation in either method.
_numbers = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, 40.0]), st.floats(0.01, 500))
_labels = st.sampled_from([None, "hotel", "arena", "tent"])
_past = st.fixed_dictionaries(
    {
        "area": _numbers,
        "days": _numbers,
        "venue": _labels,
        "kind": _labels,
        "hours": st.one_of(st.sampled_from([10.0, 80.0]), st.floats(0.5, 1e5)),
    }
)
_new = st.fixed_dictionaries(
    {
        "area": _numbers,
        "days": _numbers,
        "venue": st.one_of(_labels, st.just("never seen")),
        "kind": _labels,
    }
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_past, min_size=1, max_size=30),
    new_rows=st.lists(_new, min_size=1, max_size=3),
    size=st.sampled_from([None, "area"]),
    k=st.sampled_from([None, None, 1, 2, 4, 9]),
)
def test_fit_and_predict_match_the_one_pair_at_a_time_method(rows, new_rows, size, k):
    _assert_same_as_reference(rows, new_rows, size=size, k=k)


def test_fit_matches_the_one_pair_at_a_time_method_on_a_sample_of_many_rows():
    rng = random.Random(11)
    rows = [
        {
            "area": rng.choice([None, 50.0, 100.0, rng.uniform(10, 400)]),
            "days": rng.choice([None, 1, 2, 3]),
            "venue": rng.choice([None, "hotel", "arena"]),
            "kind": rng.choice(["booth", "gala"]),
            "hours": rng.uniform(5, 900),
        }
        for _ in range(analogy.INNER_SAMPLE + 15)
    ]
    new_rows = [{"area": 100.0, "days": 2, "venue": "hotel", "kind": "gala"}, {}]
    _assert_same_as_reference(rows, new_rows, size="area", k=None, seed=4)


def test_a_fitted_model_survives_the_cache():
    rows = _projects(30)
    model = analogy.fit(rows, "hours", ["area", "venue"], nominal=["venue"], size="area")
    cached = pickle.loads(pickle.dumps(model))
    row = {"area": 120.0, "venue": "arena"}
    assert cached.predict(row) == model.predict(row)


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
