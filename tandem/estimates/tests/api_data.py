"""What the estimates API tests share: addresses, bodies to send, and rows made through the
services."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.catalog.models import LabourRole
from tandem.catalog.tests.factories import (
    CatalogItemFactory,
    LabourRoleFactory,
    RoleRateFactory,
)
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import LineKind, PastProject

REQUESTS = "/api/v1/estimate-requests/"
ESTIMATES = "/api/v1/estimates/"
VERSIONS = "/api/v1/estimate-versions/"
LINES = "/api/v1/estimate-lines/"
PAST = "/api/v1/past-projects/"
# What sellers never see, on a version and on a line.
VERSION_COSTS = {"cost", "margin"}
LINE_COSTS = {"unit_cost", "cost_rate", "cost", "line_cost", "markup_pct"}


def at(base: str, row, action: str = "") -> str:
    return f"{base}{row.pk}/{action + '/' if action else ''}"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def count_queries(client, url) -> tuple[int, int]:
    """How many queries a list takes, and how many rows it shows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.data
    return len(queries), len(response.data["results"])


# Rate card and catalog


def rigger_with_rate() -> LabourRole:
    """A rigger at cost 60, bill 100 an hour, 4-hour minimum call, from a month ago."""
    role = LabourRoleFactory(name="Rigger")
    RoleRateFactory(
        role=role,
        effective_from=days(-30),
        cost_rate=Decimal("60"),
        bill_rate=Decimal("100"),
        minimum_call_hours=Decimal("4"),
    )
    return role


def led_panel():
    return CatalogItemFactory(
        sku="LED-26", name="LED panel", unit_cost=Decimal("100"), list_price=Decimal("150")
    )


# Lines as the API takes them (JSON) and as the services take them


def equipment(panel, /, **fields) -> dict:
    return {"kind": "equipment", "catalog_item": panel.pk, "qty": "10", **fields}


def labour(role, /, **fields) -> dict:
    hours = {"hours_low": "8", "hours_likely": "10", "hours_high": "12"}
    return {"kind": "labour", "role": role.pk, "crew_size": "2", **hours, **fields}


def freight_json() -> dict:
    return {"kind": "expense", "name": "Freight", "cost": "100"}


def freight() -> dict:
    return {"kind": LineKind.EXPENSE, "name": "Freight", "cost": Decimal("100")}


def service_equipment(item, qty: str = "10") -> dict:
    return {"kind": LineKind.EQUIPMENT, "catalog_item": item, "qty": Decimal(qty)}


def service_labour(role) -> dict:
    return {
        "kind": LineKind.LABOUR,
        "role": role,
        "crew_size": Decimal("2"),
        "hours_low": Decimal("8"),
        "hours_likely": Decimal("10"),
        "hours_high": Decimal("12"),
    }


def service_lines(panel, rigger) -> list[dict]:
    """10 panels (cost 1,000, price 1,500 at list) and 2 riggers for 8/10/12 hours (cost
    1,200, price 2,000 at the expected 10 hours)."""
    return [service_equipment(panel), service_labour(rigger)]


# Requests


def new_request(deal, estimator, /, **overrides) -> dict:
    return {
        "deal": deal.pk,
        "title": "Expo booth, 20 × 20",
        "brief": "Full 360° screen over the booth, two demo stations.",
        "venue": "Las Vegas Convention Center",
        "dimensions": "20 × 20 ft, 16 ft ceiling",
        "event_start": days(40).isoformat(),
        "event_end": days(43).isoformat(),
        "needed_by": days(7).isoformat(),
        "estimators": [{"estimator": estimator.pk, "part": "everything"}],
        **overrides,
    }


def pdf(name: str = "floorplan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n", content_type="application/pdf")


# Past projects


def new_project(role, /, **overrides) -> dict:
    return {
        "reference": "NL-101",
        "name": "Auto show, hall B",
        "project_type": "event_staging",
        "venue_type": "convention",
        "screen_area_m2": "96",
        "show_days": 4,
        "completed_on": days(-40).isoformat(),
        "hours": [{"role": role.pk, "hours": "412.5"}],
        **overrides,
    }


def past_project(n: int, role, **fields) -> PastProject:
    """Past project number `n`, where `role` took 320 hours."""
    return do_create_past_project(
        None,
        reference=f"P-{n:04d}",
        name=f"Project {n}",
        venue_type="convention",
        screen_area_m2=Decimal("100"),
        show_days=3,
        completed_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        hours={role: Decimal("320")},
        **fields,
    )
