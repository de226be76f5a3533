"""The demo company's crew roles and rate cards, written through the services.

Every role has had its rate since last January; the union locals agreed a raise that starts
next January, so the rate cards show an upcoming rate too.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tandem.catalog.models import LabourRole, RoleRate
from tandem.catalog.services import do_add_rate, do_create_role

# Name, union, description, cost/h, bill/h, overtime multiplier, minimum call hours, raise %
ROLES = [
    (
        "Union stagehand (IATSE)",
        True,
        "Local crew for load-in, build and strike at union venues.",
        "52.00",
        "78.00",
        "1.5",
        "4",
        Decimal("4"),
    ),
    (
        "Union rigger (IATSE)",
        True,
        "Up and down riggers for points, motors and bridles at union venues.",
        "68.00",
        "104.00",
        "1.5",
        "4",
        Decimal("4"),
    ),
    (
        "Stagehand",
        False,
        "Non-union labour for venues and warehouses without a union agreement.",
        "32.00",
        "55.00",
        "1.5",
        "0",
        None,
    ),
    (
        "LED technician",
        False,
        "Builds, maps and services LED walls.",
        "45.00",
        "85.00",
        "1.5",
        "0",
        None,
    ),
    (
        "Video engineer",
        False,
        "Runs processing, switching and signal flow.",
        "55.00",
        "105.00",
        "1.5",
        "0",
        None,
    ),
    (
        "Lighting programmer",
        False,
        "Programs and runs the lighting console.",
        "60.00",
        "115.00",
        "1.5",
        "0",
        None,
    ),
    (
        "Audio engineer",
        False,
        "Mixes front of house and monitors.",
        "55.00",
        "105.00",
        "1.5",
        "0",
        None,
    ),
    (
        "Project manager",
        False,
        "Our own project manager on site, from advance to settlement.",
        "58.00",
        "110.00",
        "1.0",
        "0",
        None,
    ),
]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def create_rates(ctx) -> None:
    """Add the roles and rates that are not there yet (the demo can be seeded twice)."""
    by = ctx.users.get("pat")
    today = timezone.localdate(ctx.now)
    last_january = dt.date(today.year, 1, 1)
    next_january = dt.date(today.year + 1, 1, 1)
    roles = {role.name: role for role in LabourRole.objects.all()}
    dated = set(RoleRate.objects.values_list("role__name", "effective_from"))
    for name, union, description, cost, bill, overtime, minimum, raise_pct in ROLES:
        role = roles.get(name) or do_create_role(
            by, name=name, union=union, description=description
        )
        terms = {"overtime_multiplier": Decimal(overtime), "minimum_call_hours": Decimal(minimum)}
        if (name, last_january) not in dated:
            do_add_rate(
                role,
                by,
                effective_from=last_january,
                cost_rate=Decimal(cost),
                bill_rate=Decimal(bill),
                # Entered on the day it started, as the rate cards were kept: not back-dated.
                today=last_january,
                now=ctx.now,
                **terms,
            )
        if raise_pct and (name, next_january) not in dated:
            factor = 1 + raise_pct / 100
            do_add_rate(
                role,
                by,
                effective_from=next_january,
                cost_rate=_cents(Decimal(cost) * factor),
                bill_rate=_cents(Decimal(bill) * factor),
                now=ctx.now,
                **terms,
            )
