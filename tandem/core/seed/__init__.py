"""Data for trying Tandem out and for measuring it.

- `demo`: Northlight AV & Staging, a small AV-integration and event-staging company, built
  through the services like a user's clicks would (`tandem seed demo`).
- `large`: tens of thousands of accounts and deals, bulk-inserted for benchmarks
  (`tandem seed large`).
"""

from tandem.core.seed.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from tandem.core.seed.large import FULL, Scale, data_exists, delete_sales_data, seed_large

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "FULL",
    "Scale",
    "data_exists",
    "delete_sales_data",
    "seed_demo",
    "seed_large",
]
