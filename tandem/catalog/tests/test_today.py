"""The catalog's card on finance's Today page: rate changes with the rate they replace."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.catalog.tests.factories import LabourRoleFactory, RoleRateFactory
from tandem.catalog.today import rate_changes

NOW = dt.datetime(2027, 4, 15, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.TIME_ZONE = "UTC"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def days(n):
    return TODAY + dt.timedelta(days=n)


def test_rates_changed_lately_or_soon_show_beside_the_rate_they_replace(db):
    rigger = LabourRoleFactory(name="Union rigger")
    RoleRateFactory(
        role=rigger, effective_from=days(-400), cost_rate=Decimal("60"), bill_rate=Decimal("95")
    )
    RoleRateFactory(
        role=rigger, effective_from=days(-10), cost_rate=Decimal("64"), bill_rate=Decimal("102")
    )
    hand = LabourRoleFactory(name="Stagehand")
    RoleRateFactory(
        role=hand, effective_from=days(12), cost_rate=Decimal("40"), bill_rate=Decimal("35")
    )
    RoleRateFactory(role=LabourRoleFactory(name="Old"), effective_from=days(-31))
    RoleRateFactory(role=LabourRoleFactory(name="Far"), effective_from=days(31))

    today = rate_changes(None, None)["today"]

    assert today.count == 2
    assert [item.label for item in today.items] == ["Union rigger", "Stagehand"]
    assert today.items[0].note == (
        "Since 5 Apr 2027: cost $64 · bill $102 per hour (was cost $60 · bill $95)"
    )
    assert today.items[1].note.startswith("From 27 Apr 2027")
    assert "was" not in today.items[1].note
    # Billing below cost is allowed, but whoever accounts for it should see it.
    assert today.items[1].tone == "warning"
    assert today.items[0].url == rigger.get_absolute_url()
    assert not today.counts_as_work
