"""Time fitting and one prediction from history over 5,000 generated past projects.

Prints `estimate_history_fit_5000 p50=<ms> p95=<ms>` (a whole fit, choosing k by
leave-one-out: what a role's first prediction waits for on a cold cache) and
`estimate_history_5000 p50=<ms> p95=<ms>` (one prediction; the issue: < 50 ms). Exits 1 when
either p95 is over its limit.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tandem.estimates.logic import analogy  # noqa: E402

PAST = 5_000
SAMPLES = 50
LIMIT_MS = 50
FIT_SAMPLES = 5
# The estimate editor fits one model per role on a cold cache, one after the other.
FIT_LIMIT_MS = 2_000


def _project(rng: random.Random) -> dict:
    area = rng.uniform(10, 400)
    days = rng.randint(1, 12)
    return {
        "screen_area": area,
        "crew_days": days,
        "truss_m": rng.uniform(0, 120),
        "audio_zones": rng.randint(0, 8),
        "venue": rng.choice(["convention", "hotel", "arena", "outdoor", "theatre"]),
        "project_type": rng.choice(["booth", "keynote", "concert", "gala"]),
        "union": rng.choice(["yes", "no"]),
        "hours": 20 + 1.4 * area**0.9 * (0.7 + 0.6 * rng.random()) + 8 * days,
    }


def main() -> int:
    rng = random.Random(7)
    past = [_project(rng) for _ in range(PAST)]
    features = [
        "screen_area",
        "crew_days",
        "truss_m",
        "audio_zones",
        "venue",
        "project_type",
        "union",
    ]
    fits = []
    for _ in range(FIT_SAMPLES):
        start = time.perf_counter()
        model = analogy.fit(
            past, "hours", features, nominal=("venue", "project_type", "union"), size="screen_area"
        )
        fits.append((time.perf_counter() - start) * 1000)
    fit_p50 = statistics.median(fits)
    fit_p95 = statistics.quantiles(fits, n=20, method="inclusive")[-1]
    print(f"estimate_history_fit_{PAST} p50={fit_p50:.1f} p95={fit_p95:.1f}")
    timings = []
    for _ in range(SAMPLES):
        new = _project(rng)
        start = time.perf_counter()
        model.predict(new)
        timings.append((time.perf_counter() - start) * 1000)
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"estimate_history_{PAST} p50={p50:.1f} p95={p95:.1f}")
    return 0 if p95 < LIMIT_MS and fit_p95 < FIT_LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
