"""Time an estimate's totals over 2,000 mixed lines: pure Python, no database.

Builds one estimate the size of a large exhibit build (equipment, labour by role with
low/likely/high hours, minimum calls and overtime, subcontractors and expenses) from a fixed
seed, adds it up 5 times to warm up, then 30 times, and prints
`estimate_totals_2000_lines p50=<ms> p95=<ms>` like bench/run.py. Exits 1 when p95 is not
under the issue's 50 ms. Run it with `.venv/bin/python bench/estimate_totals.py`.
"""

import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = 2_000
WARMUP = 5
SAMPLES = 30
LIMIT_MS = 50
ROLES = ["stagehand", "rigger", "LED tech", "programmer", "audio tech", "carpenter"]


def build_lines(count: int = LINES, seed: int = 4) -> list:
    """Return `count` estimate lines in USD: about 60 % equipment, 25 % labour, the rest
    subcontracts and expenses, with the awkward cases mixed in (zero quantities, set unit
    prices, minimum calls, overtime, expenses billed at cost)."""
    from tandem.estimates.logic.lines import (
        EquipmentLine,
        ExpenseLine,
        LabourLine,
        SubcontractLine,
    )

    rng = random.Random(seed)

    def cents(low: int, high: int) -> Decimal:
        return Decimal(rng.randint(low * 100, high * 100)) / 100

    lines = []
    for n in range(count):
        pick = rng.random()
        if pick < 0.6:
            unit_cost = cents(5, 4_000)
            lines.append(
                EquipmentLine(
                    name=f"Item {n}",
                    currency="USD",
                    qty=Decimal(rng.choice([0, 1, 2, 4, 8, 24, 96, 240])),
                    unit_cost=unit_cost,
                    markup_pct=Decimal(rng.choice([0, 15, 25, 35, 50])),
                    lead_time_days=rng.randint(0, 60),
                    unit_price=unit_cost * Decimal("1.3") if rng.random() < 0.1 else None,
                )
            )
        elif pick < 0.85:
            low = Decimal(rng.randint(2, 40))
            likely = low + rng.randint(0, 20)
            high = likely + rng.randint(0, 30)
            cost_rate = cents(30, 90)
            lines.append(
                LabourLine(
                    name=f"Crew {n}",
                    currency="USD",
                    role=rng.choice(ROLES),
                    crew_size=Decimal(rng.randint(1, 12)),
                    hours_low=low,
                    hours_likely=likely,
                    hours_high=high,
                    cost_rate=cost_rate,
                    bill_rate=cost_rate * Decimal("1.6"),
                    overtime_share=Decimal(rng.choice(["0", "0.1", "0.25"])),
                    overtime_multiplier=Decimal("1.5"),
                    minimum_call_hours=Decimal(rng.choice([0, 4, 5])),
                    calls=rng.randint(1, 4),
                )
            )
        elif pick < 0.93:
            lines.append(
                SubcontractLine(
                    name=f"Specialist {n}",
                    currency="USD",
                    cost=cents(500, 40_000),
                    markup_pct=Decimal(rng.choice([10, 15, 20])),
                )
            )
        else:
            lines.append(
                ExpenseLine(
                    name=f"Expense {n}",
                    currency="USD",
                    cost=cents(20, 3_000),
                    markup_pct=Decimal(rng.choice([0, 0, 10])),
                )
            )
    return lines


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tandem.estimates.logic.totals import estimate_totals

    lines = build_lines()
    contingency = Decimal(10)
    for _ in range(WARMUP):
        estimate_totals(lines, contingency, "USD")
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        estimate_totals(lines, contingency, "USD")
        timings.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    print(f"estimate_totals_{LINES}_lines p50={p50:.1f} p95={p95:.1f}", flush=True)
    if p95 >= LIMIT_MS:
        print(f"# estimate totals p95 {p95:.1f} ms is over {LIMIT_MS} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
