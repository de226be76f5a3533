"""Data for trying Tandem out and for measuring it.

- `company`: Northlight AV & Staging, a small AV-integration and event-staging company, built
  through the services like a user's clicks would (`tandem seed demo`).
- `large`: tens of thousands of accounts and deals, bulk-inserted for benchmarks
  (`tandem seed large`).
"""
