"""Pure computation every app shares: the business calendar."""
