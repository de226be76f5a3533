"""Estimates in pure Python: no Django here, only dataclasses, Decimal and plain numbers.

`lines` holds the line items an estimate is built from and `totals` adds them up (cost, price,
margin, expected hours per role, budget range); `analogy` (checked by `backtest`) estimates hours from past
projects. Import from each module directly.
"""
