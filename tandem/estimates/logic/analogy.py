"""Predict a target (hours for a role) for a new project by analogy with past projects.

Method (analogy-based estimation, after Shepperd & Schofield 1997, with the refinements that
held up in later comparative studies of effort data):

- **Log scale for the target.** Effort is strongly right-skewed and errors are relative (a
  40 h miss matters on 80 h, not on 4,000 h), so analogues are combined on log effort and the
  prediction is a weighted geometric mean. It is always positive and never outside the range
  of the (adapted) analogues.
- **Features.** Numeric features that are non-negative and skewed on the training rows (more
  than a tenfold spread) are log-transformed (`log1p`), so "50 vs 100 m² of screen" counts
  like "500 vs 1,000"; then every numeric feature is min-max scaled to [0, 1] with bounds fit
  on the training rows only. Nominal features (venue type, project type) count 0 when equal
  and 1 when different. A missing value on either side counts the largest distance, 1:
  unknown is never a reason to look similar. Distance is Euclidean over the features.
- **Number of analogues.** k is chosen among 1, 2, 3, 5 and 7 by leave-one-out on the
  training rows (on a fixed sample of at most 200 of them when there are more, so fitting
  stays fast); the study data sets are small and uneven, and the best k differs between them.
  Ties go to the larger k, which is the steadier choice.
- **Adaptation by size.** When a size driver is named (screen area, function points, lines of
  code), each analogue's effort is scaled by (new size / analogue size) ** b, where b is the
  slope of log effort on log size fit on the training rows (clipped to [0, 1.2]). The plain
  ratio (b = 1) assumes no economies of scale, which the data usually contradict.
- **Combination.** Inverse-rank weights (k, k-1, ..., 1): the nearest analogue counts most
  but one odd neighbour cannot decide alone.
- **Interval.** The 10th and 90th percentiles of the leave-one-out log residuals of the
  training rows, applied to the prediction (an 80 % interval). The spread of three to seven
  analogues is too few points to be calibrated, and it ignores how wrong the method is on
  these data; the leave-one-out residuals measure exactly that. With fewer than five
  residuals the interval falls back to the adapted analogues' range.

Fitting encodes the training rows once into arrays (a scaled number or NaN per numeric
feature, a code or -1 per nominal one) and computes a block of leave-one-out distances at a
time with NumPy, adding the features' terms in the same order as the plain formula, so the
distances, and with them every choice and prediction, are the same to the last bit. Equal
distances go to the earlier training row, as they always have.
"""

import math
import random
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

K_CHOICES = (1, 2, 3, 5, 7)
INNER_SAMPLE = 200
INTERVAL = (0.10, 0.90)
SIZE_EXPONENT = (0.0, 1.2)
SKEW_RATIO = 10.0
# Distances computed at once while fitting (sampled rows x training rows): about 8 MB, so
# tens of thousands of past projects do not need hundreds of megabytes.
BLOCK_CELLS = 1 << 20
MISSING_LABEL = -1

Row = Mapping[str, object]


@dataclass(frozen=True)
class Analogue:
    index: int  # position in the training rows given to fit()
    distance: float
    actual: float
    adjusted: float  # after size adaptation


@dataclass(frozen=True)
class Prediction:
    value: float
    low: float
    high: float
    analogues: tuple[Analogue, ...]


@dataclass(frozen=True)
class _Numeric:
    name: str
    log: bool
    low: float
    span: float

    def scale(self, value: object) -> float | None:
        if value is None:
            return None
        number = float(value)  # type: ignore[arg-type]
        if self.log:
            number = math.log1p(max(number, 0.0))
        return (number - self.low) / self.span if self.span else 0.0


class Model:
    def __init__(
        self,
        *,
        numeric: list[_Numeric],
        nominal: list[str],
        rows: Sequence[Row],
        log_targets: list[float],
        sizes: list[float | None],
        size: str | None,
        exponent: float,
        k: int,
        residuals: list[float],
    ) -> None:
        self.numeric = numeric
        self.nominal = nominal
        # Each nominal feature's labels as codes, learnt from the training rows: equal codes
        # for equal labels, and a label never seen in training matches no past project.
        self.codes: list[dict[object, int]] = [{} for _ in nominal]
        self.numbers, self.labels = self._encode(rows, learn=True)
        self.gaps = np.isnan(self.numbers).any(axis=0)  # numeric columns with a missing value
        self.log_targets = log_targets
        self.sizes = sizes
        self.size = size
        self.exponent = exponent
        self.k = k
        self.residuals = sorted(residuals)

    def predict(self, row: Row) -> Prediction:
        numbers, labels = self._encode([row])
        distances = self._distances(numbers, labels)[0]
        nearest = _nearest(distances, min(self.k, len(self.log_targets)))
        return self._prediction(
            nearest.tolist(), distances, _positive(row.get(self.size)) if self.size else None
        )

    def _encode(self, rows: Sequence[Row], *, learn: bool = False) -> tuple[np.ndarray, np.ndarray]:
        # NaN for an unknown number; a NaN given as a number counts as unknown too.
        numbers = np.array(
            [[_or_nan(f.scale(row.get(f.name))) for f in self.numeric] for row in rows],
            dtype=np.float64,
        ).reshape(len(rows), len(self.numeric))
        labels = np.array(
            [
                [self._code(j, row.get(name), learn) for j, name in enumerate(self.nominal)]
                for row in rows
            ],
            dtype=np.int64,
        ).reshape(len(rows), len(self.nominal))
        return numbers, labels

    def _code(self, feature: int, label: object, learn: bool) -> int:
        # A label unequal to itself (NaN) would never match either: it counts as missing.
        if label is None or label != label:
            return MISSING_LABEL
        codes = self.codes[feature]
        if learn:
            return codes.setdefault(label, len(codes))
        return codes.get(label, MISSING_LABEL)

    def _distances(self, numbers: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Squared distances from each encoded row given to every training row.

        Terms are added feature by feature in the documented order, with the same IEEE
        operations as the one-pair formula, so a distance does not depend on how many rows
        are computed at once.
        """
        total = np.zeros((len(numbers), len(self.log_targets)))
        for j in range(len(self.numeric)):
            # A new value far outside the training range may square to infinity: plain
            # floats do that silently, and so must this.
            with np.errstate(over="ignore", invalid="ignore"):
                difference = self.numbers[:, j] - numbers[:, j, None]
                term = difference * difference
            if self.gaps[j] or np.isnan(numbers[:, j]).any():
                term[np.isnan(term)] = 1.0
            total += term
        for j in range(len(self.nominal)):
            past = self.labels[:, j]
            new = labels[:, j, None]
            total += (past != new) | (new == MISSING_LABEL)
        return total

    def _prediction(
        self,
        nearest: list[int],
        distances: np.ndarray,
        new_size: float | None,
    ) -> Prediction:
        analogues = tuple(
            Analogue(
                index=index,
                distance=math.sqrt(distances[index]),
                actual=math.exp(self.log_targets[index]),
                adjusted=self._adjusted(index, new_size),
            )
            for index in nearest
        )
        value = _combine([a.adjusted for a in analogues])
        if len(self.residuals) >= 5:
            low = value * math.exp(_quantile(self.residuals, INTERVAL[0]))
            high = value * math.exp(_quantile(self.residuals, INTERVAL[1]))
        else:
            low = min(a.adjusted for a in analogues)
            high = max(a.adjusted for a in analogues)
        return Prediction(value, min(low, value), max(high, value), analogues)

    def _adjusted(self, index: int, new_size: float | None) -> float:
        log_value = self.log_targets[index]
        past_size = self.sizes[index]
        if new_size is not None and past_size is not None and self.exponent:
            log_value += self.exponent * (math.log(new_size) - math.log(past_size))
        return math.exp(log_value)


def fit(
    rows: Sequence[Row],
    target: str,
    features: Iterable[str],
    *,
    nominal: Iterable[str] = (),
    size: str | None = None,
    k: int | None = None,
    seed: int = 0,
) -> Model:
    """Learn from past projects; `k=None` chooses the number of analogues by leave-one-out."""
    if not rows:
        raise ValueError("no past projects to learn from")
    nominal_set = set(nominal)
    features = list(dict.fromkeys(features))
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    if size is not None and (size not in features or size in nominal_set):
        raise ValueError(f"size driver {size!r} must be one of the numeric features")
    log_targets = []
    for row in rows:
        value = _positive(row.get(target))
        if value is None:
            raise ValueError(f"every past project needs a positive {target!r}")
        log_targets.append(math.log(value))

    numeric = [_fit_numeric(name, rows) for name in features if name not in nominal_set]
    labels = [name for name in features if name in nominal_set]
    sizes = [_positive(row.get(size)) for row in rows] if size else [None] * len(rows)
    model = Model(
        numeric=numeric,
        nominal=labels,
        rows=rows,
        log_targets=log_targets,
        sizes=sizes,
        size=size,
        exponent=_size_exponent(sizes, log_targets) if size else 0.0,
        k=k or 1,
        residuals=[],
    )
    if len(rows) < 3:
        model.k = min(k or len(rows), len(rows))
        return model

    sample = list(range(len(rows)))
    if len(sample) > INNER_SAMPLE:
        sample = random.Random(seed).sample(sample, INNER_SAMPLE)
    choices = [k] if k else [c for c in K_CHOICES if c < len(rows)]
    # The nearest analogues for the largest k, in order, hold those of every smaller k.
    adjusted = _leave_one_out(model, sample, min(max(choices), len(rows) - 1))
    best: tuple[float, int, list[float]] | None = None
    for choice in choices:
        residuals = [
            log_targets[i] - math.log(_combine(near[:choice]))
            for i, near in zip(sample, adjusted, strict=True)
        ]
        error = statistics.fmean(abs(r) for r in residuals)
        if best is None or error <= best[0] + 1e-12:
            best = (error, choice, residuals)
    assert best is not None
    model.k = best[1]
    model.residuals = sorted(best[2])
    return model


def _leave_one_out(model: Model, sample: list[int], k: int) -> list[list[float]]:
    """The adapted efforts of each sampled row's k nearest other rows, nearest first."""
    adjusted = []
    block = max(1, BLOCK_CELLS // len(model.log_targets))
    for start in range(0, len(sample), block):
        rows = sample[start : start + block]
        distances = model._distances(model.numbers[rows], model.labels[rows])
        distances[np.arange(len(rows)), rows] = np.inf  # a row is not its own analogue
        for i, row_distances in zip(rows, distances, strict=True):
            adjusted.append(
                [model._adjusted(j, model.sizes[i]) for j in _nearest(row_distances, k).tolist()]
            )
    return adjusted


def _nearest(distances: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k smallest distances, ordered by (distance, index)."""
    if k >= len(distances):
        return np.argsort(distances, kind="stable")
    bound = np.partition(distances, k - 1)[k - 1]
    # Every row within the k-th distance, ties included, so the earliest of equals win.
    within = np.flatnonzero(distances <= bound)
    return within[np.argsort(distances[within], kind="stable")[:k]]


def _combine(adjusted: Sequence[float]) -> float:
    # Weighted geometric mean with inverse-rank weights k, k-1, ..., 1.
    weights = range(len(adjusted), 0, -1)
    return math.exp(
        sum(w * math.log(a) for w, a in zip(weights, adjusted, strict=True)) / sum(weights)
    )


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value


def _fit_numeric(name: str, rows: Sequence[Row]) -> _Numeric:
    values = [float(v) for row in rows if (v := row.get(name)) is not None]  # type: ignore[arg-type]
    if not values:
        return _Numeric(name, False, 0.0, 0.0)
    positive = [v for v in values if v > 0]
    log = min(values) >= 0 and len(positive) >= 2 and max(positive) >= SKEW_RATIO * min(positive)
    if log:
        values = [math.log1p(v) for v in values]
    low, high = min(values), max(values)
    return _Numeric(name, log, low, high - low)


def _size_exponent(sizes: list[float | None], log_targets: list[float]) -> float:
    pairs = [(math.log(s), t) for s, t in zip(sizes, log_targets, strict=True) if s is not None]
    if len(pairs) < 3:
        return 1.0
    mean_x = statistics.fmean(x for x, _ in pairs)
    mean_y = statistics.fmean(y for _, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    if not sxx:
        return 1.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in pairs) / sxx
    return min(max(slope, SIZE_EXPONENT[0]), SIZE_EXPONENT[1])


def _positive(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 and math.isfinite(number) else None


def _quantile(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
