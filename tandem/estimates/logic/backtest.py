"""Cross-validate the estimation from history against the mean and median baselines.

Every prediction is made by a model fit on the other folds only. Measures (Conte et al.,
Shepperd & MacDonell 2012): MRE = |actual - predicted| / actual; MdMRE and MMRE its median and
mean; PRED(25) the share of predictions within 25 %; MAE the mean absolute error; SA = 1 -
MAE / MAE_p0, where MAE_p0 is the MAE of random guessing (predict the actual of a random
training row), averaged over many draws so the comparison does not hinge on one lucky guess.
"""

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tandem.estimates.logic import analogy

METHODS = ("tandem", "mean", "median")
GUESS_RUNS = 1000


@dataclass
class _Collected:
    actuals: list[float] = field(default_factory=list)
    predicted: dict[str, list[float]] = field(
        default_factory=lambda: {method: [] for method in METHODS}
    )
    fold_mdmre: dict[str, list[float]] = field(
        default_factory=lambda: {method: [] for method in METHODS}
    )
    guess_errors: list[float] = field(default_factory=list)


def measures(
    actuals: Sequence[float], predicted: Sequence[float], mae_p0: float
) -> dict[str, float]:
    if not actuals or len(actuals) != len(predicted):
        raise ValueError("need as many predictions as actuals, at least one")
    mre = [abs(a - p) / a for a, p in zip(actuals, predicted, strict=True)]
    mae = statistics.fmean(abs(a - p) for a, p in zip(actuals, predicted, strict=True))
    return {
        "MdMRE": statistics.median(mre),
        "MMRE": statistics.fmean(mre),
        # A hair of tolerance so an exact 25 % miss counts whatever the float rounding.
        "PRED25": sum(m <= 0.25 + 1e-12 for m in mre) / len(mre),
        "MAE": mae,
        "SA": 1 - mae / mae_p0 if mae_p0 else 0.0,
    }


def folds_for(n: int, *, folds: int | None, repeats: int, seed: int) -> list[list[list[int]]]:
    """Test-index folds per repeat; `folds=None` is leave-one-out (one repeat: it is exact)."""
    if folds is None:
        return [[[i] for i in range(n)]]
    if not 2 <= folds <= n:
        raise ValueError(f"folds must be between 2 and the number of rows ({n})")
    rng = random.Random(seed)
    runs = []
    for _ in range(repeats):
        order = list(range(n))
        rng.shuffle(order)
        runs.append([sorted(order[i::folds]) for i in range(folds)])
    return runs


def cross_validate(
    rows: Sequence[dict],
    target: str,
    features: Sequence[str],
    *,
    nominal: Sequence[str] = (),
    size: str | None = None,
    folds: int | None = 3,
    repeats: int = 20,
    seed: int = 0,
    fit: Callable[..., analogy.Model] = analogy.fit,
) -> dict[str, dict[str, float]]:
    """Repeated k-fold (or leave-one-out when `folds` is None); results keyed by method."""
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    if len(rows) < 3:
        raise ValueError("need at least 3 rows to cross-validate")
    actual_all = [float(row[target]) for row in rows]
    guess_rng = random.Random(seed + 1)
    collected = _Collected()
    for run in folds_for(len(rows), folds=folds, repeats=repeats, seed=seed):
        for test in run:
            test_set = set(test)
            train = [i for i in range(len(rows)) if i not in test_set]
            train_rows = [rows[i] for i in train]
            train_actuals = [actual_all[i] for i in train]
            model = fit(train_rows, target, features, nominal=nominal, size=size, seed=seed)
            mean = statistics.fmean(train_actuals)
            median = statistics.median(train_actuals)
            fold_actuals = [actual_all[i] for i in test]
            fold_predicted = {
                "tandem": [model.predict(rows[i]).value for i in test],
                "mean": [mean] * len(test),
                "median": [median] * len(test),
            }
            for method, values in fold_predicted.items():
                collected.predicted[method].extend(values)
                collected.fold_mdmre[method].append(
                    statistics.median(
                        abs(a - p) / a for a, p in zip(fold_actuals, values, strict=True)
                    )
                )
            collected.actuals.extend(fold_actuals)
            for actual in fold_actuals:
                guesses = guess_rng.choices(train_actuals, k=GUESS_RUNS)
                collected.guess_errors.append(statistics.fmean(abs(actual - g) for g in guesses))
    mae_p0 = statistics.fmean(collected.guess_errors)
    results = {}
    for method in METHODS:
        result = measures(collected.actuals, collected.predicted[method], mae_p0)
        result["fold_MdMRE_median"] = statistics.median(collected.fold_mdmre[method])
        results[method] = result
    return results
