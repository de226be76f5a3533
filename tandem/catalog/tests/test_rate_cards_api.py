"""The labour-role endpoints: who reads cost rates, who writes, and the rate history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.catalog.models import LabourRole, RoleRate
from tandem.catalog.tests.factories import LabourRoleFactory, RoleRateFactory
from tandem.core.services import version_of
from tandem.core.tests.api_clients import as_user
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROLES = "/api/v1/labour-roles/"


def role_url(role, action: str = "") -> str:
    return f"{ROLES}{role.pk}/{action + '/' if action else ''}"


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def rigger():
    role = LabourRoleFactory(name="Union rigger (IATSE)", union=True)
    RoleRateFactory(role=role, effective_from=_days(-300), cost_rate=Decimal("61.00"))
    RoleRateFactory(
        role=role,
        effective_from=_days(-30),
        cost_rate=Decimal("68.00"),
        bill_rate=Decimal("104.00"),
        minimum_call_hours=Decimal("4"),
    )
    RoleRateFactory(role=role, effective_from=_days(40), cost_rate=Decimal("70.72"))
    return role


@pytest.mark.parametrize(
    ("role", "sees_costs", "can_write"),
    [
        (Role.SELLER, False, False),
        (Role.CREW, False, False),
        (Role.FINANCE, True, False),
        (Role.EXECUTIVE, True, False),
        (Role.PROJECT_MANAGER, True, True),
        (Role.RESOURCE_MANAGER, True, True),
        (Role.ADMIN, True, True),
    ],
)
def test_everyone_reads_roles_but_only_some_see_cost_rates_or_write(
    rigger, role, sees_costs, can_write
):
    client = as_user(UserFactory(role=role))
    row = client.get(ROLES).data["results"][0]
    current = row["current_rate"]
    assert current["effective_from"] == _days(-30).isoformat()
    assert current["bill_rate"] == "104.00"
    assert current["minimum_call_hours"] == "4.00"
    assert ("cost_rate" in current) is sees_costs
    detail = client.get(role_url(rigger)).data
    assert ("cost_rate" in detail["current_rate"]) is sees_costs
    history = client.get(role_url(rigger, "rates")).data["results"]
    assert [r["effective_from"] for r in history] == [
        _days(40).isoformat(),
        _days(-30).isoformat(),
        _days(-300).isoformat(),
    ]
    assert all(("cost_rate" in r) is sees_costs for r in history)
    created = client.post(ROLES, {"name": "Programmer"}, format="json")
    added = client.post(
        role_url(rigger, "rates"),
        {"effective_from": _days(90).isoformat(), "cost_rate": "1.00", "bill_rate": "2.00"},
        format="json",
    )
    renamed = client.patch(role_url(rigger), {"name": "Rigger"}, format="json")
    expected = (201, 201, 200) if can_write else (403, 403, 403)
    assert (created.status_code, added.status_code, renamed.status_code) == expected
    if not can_write:
        assert LabourRole.objects.get().name == "Union rigger (IATSE)"
        assert RoleRate.objects.count() == 3


def test_signed_out_clients_are_refused(rigger, client):
    assert client.get(ROLES).status_code in (401, 403)


def test_a_role_without_a_rate_in_effect_has_none(seller):
    RoleRateFactory(role=LabourRoleFactory(), effective_from=_days(3))
    assert as_user(seller).get(ROLES).data["results"][0]["current_rate"] is None


def test_a_new_rate_is_checked_by_the_service_and_nothing_is_written(project_manager, rigger):
    client = as_user(project_manager)
    url = role_url(rigger, "rates")
    good = {"effective_from": _days(90).isoformat(), "cost_rate": "70.00", "bill_rate": "110.00"}
    duplicate = client.post(url, good | {"effective_from": _days(-30).isoformat()}, format="json")
    assert duplicate.status_code == 400
    assert "already has a rate" in duplicate.data["effective_from"][0]
    for bad, field in [
        ({"cost_rate": "-1"}, "cost_rate"),
        ({"bill_rate": "many"}, "bill_rate"),
        ({"overtime_multiplier": "0.5"}, "overtime_multiplier"),
        ({"minimum_call_hours": "-1"}, "minimum_call_hours"),
        ({"effective_from": "31/12/2026"}, "effective_from"),
    ]:
        response = client.post(url, good | bad, format="json")
        assert response.status_code == 400
        assert field in response.data
    missing = client.post(url, {"effective_from": _days(90).isoformat()}, format="json")
    assert set(missing.data) >= {"cost_rate", "bill_rate"}
    assert RoleRate.objects.count() == 3
    response = client.post(url, good, format="json")
    assert response.status_code == 201
    assert response.data["overtime_multiplier"] == "1.50"
    assert response.data["currency"] == "USD"
    assert rigger.rates.count() == 4


def test_a_rate_below_cost_needs_confirm_below_cost_as_on_the_page(project_manager, rigger):
    client = as_user(project_manager)
    url = role_url(rigger, "rates")
    below = {"effective_from": _days(90).isoformat(), "cost_rate": "120.00", "bill_rate": "100"}

    refused = client.post(url, below, format="json")
    not_a_flag = client.post(url, below | {"confirm_below_cost": "perhaps"}, format="json")

    assert refused.status_code == 400
    assert "below the cost rate" in refused.data["bill_rate"][0]
    assert not_a_flag.status_code == 400
    assert "confirm_below_cost" in not_a_flag.data
    assert rigger.rates.count() == 3
    saved = client.post(url, below | {"confirm_below_cost": True}, format="json")
    assert saved.status_code == 201
    # A confirmation is a request, not part of the rate.
    assert "confirm_below_cost" not in saved.data


@pytest.mark.parametrize(
    ("role", "confirm", "status", "message"),
    [
        (Role.PROJECT_MANAGER, True, 400, "only an admin can back-date"),
        (Role.RESOURCE_MANAGER, True, 400, "only an admin can back-date"),
        (Role.ADMIN, False, 400, "Tick “Back-date this rate”"),
        (Role.ADMIN, True, 201, None),
        (Role.SELLER, True, 403, None),
    ],
)
def test_back_dating_through_the_api_follows_the_page(rigger, role, confirm, status, message):
    user = UserFactory(role=role, is_superuser=role == Role.ADMIN)
    data = {
        "effective_from": _days(-5).isoformat(),
        "cost_rate": "70.00",
        "bill_rate": "110.00",
        "confirm_back_dated": confirm,
    }

    response = as_user(user).post(role_url(rigger, "rates"), data, format="json")

    assert response.status_code == status
    if message:
        assert message in response.data["effective_from"][0]
    assert rigger.rates.filter(effective_from=_days(-5)).exists() == (status == 201)


def test_role_updates_check_the_version_and_the_name(project_manager, rigger):
    client = as_user(project_manager)
    LabourRoleFactory(name="Stagehand")
    clash = client.patch(role_url(rigger), {"name": "STAGEHAND"}, format="json")
    assert clash.status_code == 400
    assert "name" in clash.data
    stale = client.patch(
        role_url(rigger), {"union": False, "version": "2000-01-01T00:00:00"}, format="json"
    )
    assert stale.status_code == 409
    fresh = client.patch(
        role_url(rigger), {"union": False, "version": version_of(rigger)}, format="json"
    )
    assert fresh.status_code == 200
    assert fresh.data["union"] is False
    assert fresh.data["current_rate"]["effective_from"] == _days(-30).isoformat()


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
def test_the_role_list_takes_the_same_number_of_queries_for_5_or_50_roles(request, persona):
    client = as_user(request.getfixturevalue(persona))

    def make(n):
        for role in LabourRoleFactory.create_batch(n):
            for days in (-100, -1, 30):
                RoleRateFactory(role=role, effective_from=_days(days))

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ROLES)
        rows = response.data["results"]
        assert all(r["current_rate"]["effective_from"] == _days(-1).isoformat() for r in rows)
        return len(queries), len(rows)

    make(5)
    few, shown = measure()
    assert shown == 5
    make(45)
    many, shown = measure()
    assert shown == 50
    # Session, user, permissions (and group's), COUNT(*), the page, the page's rates.
    assert few == many <= 7


def test_the_schema_describes_the_labour_roles_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    assert "/api/v1/labour-roles/{id}/:" in schema
    assert "/api/v1/labour-roles/{id}/rates/:" in schema


@pytest.mark.parametrize(
    ("sent", "status", "kept"), [("eur", 201, "EUR"), ("dol", 400, None), ("", 400, None)]
)
def test_a_rate_takes_a_currency_in_any_case_and_refuses_one_that_is_no_code(
    project_manager, rigger, sent, status, kept
):
    response = as_user(project_manager).post(
        role_url(rigger, "rates"),
        {
            "effective_from": _days(60).isoformat(),
            "cost_rate": "70.00",
            "bill_rate": "110.00",
            "currency": sent,
        },
        format="json",
    )

    assert response.status_code == status, response.data
    if kept:
        assert RoleRate.objects.get(effective_from=_days(60)).currency == kept
    else:
        assert "is not a currency we know" in response.data["currency"][0]
        assert not RoleRate.objects.filter(effective_from=_days(60)).exists()
