import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.catalog import services
from tandem.catalog.models import LabourRole, RoleRate, rate_on, rates_on
from tandem.catalog.tests.factories import LabourRoleFactory, RoleRateFactory
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
JAN = dt.date(2026, 1, 1)
NEXT_JAN = dt.date(2027, 1, 1)


def _rate(role, day, cost="50", bill="90", **fields):
    return services.do_add_rate(
        role, None, effective_from=day, cost_rate=Decimal(cost), bill_rate=Decimal(bill), **fields
    )


@pytest.fixture
def rigger():
    role = services.do_create_role(None, name="Union rigger (IATSE)", union=True)
    _rate(role, JAN, cost="68", bill="104", minimum_call_hours=Decimal("4"))
    _rate(role, NEXT_JAN, cost="70.72", bill="108.16", minimum_call_hours=Decimal("4"))
    return role


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 12, 31), None),
        (JAN, JAN),
        (dt.date(2026, 6, 30), JAN),
        (dt.date(2026, 12, 31), JAN),
        (NEXT_JAN, NEXT_JAN),
        (dt.date(2030, 1, 1), NEXT_JAN),
    ],
)
def test_rate_on_picks_the_latest_rate_starting_on_or_before_the_day(rigger, day, expected):
    rate = rate_on(rigger, day)
    assert (rate.effective_from if rate else None) == expected
    by_role = rates_on(day)
    assert (by_role[rigger.pk].effective_from if rigger.pk in by_role else None) == expected


def test_rates_on_answers_for_every_role_in_one_query():
    roles = LabourRoleFactory.create_batch(6)
    for i, role in enumerate(roles):
        RoleRateFactory(role=role, effective_from=JAN, bill_rate=Decimal(60 + i))
        RoleRateFactory(role=role, effective_from=TODAY + dt.timedelta(days=1))
    RoleRateFactory(role=roles[0], effective_from=TODAY, bill_rate=Decimal("99"))
    LabourRoleFactory()  # no rate at all: left out
    with CaptureQueriesContext(connection) as queries:
        current = rates_on(TODAY)
        assert len(current) == 6
    assert len(queries) == 1
    assert current[roles[0].pk].bill_rate == Decimal("99")
    assert [current[r.pk].bill_rate for r in roles[1:]] == [Decimal(60 + i) for i in range(1, 6)]
    assert set(rates_on(TODAY, roles=roles[:2])) == {roles[0].pk, roles[1].pk}


def test_a_rate_takes_the_company_currency_and_union_defaults(settings):
    settings.TANDEM_CURRENCY = "CAD"
    rate = _rate(LabourRoleFactory(), JAN)
    assert rate.currency == "CAD"
    assert rate.overtime_multiplier == Decimal("1.5")
    assert rate.minimum_call_hours == 0
    assert rate.history.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cost_rate": Decimal("-1")}, "cost_rate"),
        ({"bill_rate": Decimal("-0.01")}, "bill_rate"),
        ({"overtime_multiplier": Decimal("0.99")}, "overtime_multiplier"),
        ({"minimum_call_hours": Decimal("-2")}, "minimum_call_hours"),
        ({"cost_rate": "lots"}, "cost_rate"),
        ({"effective_from": "someday"}, "effective_from"),
        ({"effective_from": None}, "effective_from"),
    ],
)
def test_bad_rates_are_refused_and_nothing_is_written(fields, field):
    role = LabourRoleFactory()
    values = {"effective_from": JAN, "cost_rate": Decimal("50"), "bill_rate": Decimal("90")}
    with pytest.raises(ValidationError) as error:
        services.do_add_rate(role, None, **(values | fields))
    assert field in error.value.message_dict
    assert not RoleRate.objects.exists()
    assert not RoleRate.history.exists()


def test_a_second_rate_on_the_same_day_is_refused(rigger):
    with pytest.raises(ValidationError) as error:
        _rate(rigger, JAN, cost="1", bill="2")
    assert "already has a rate" in error.value.message_dict["effective_from"][0]
    assert rigger.rates.get(effective_from=JAN).cost_rate == Decimal("68")
    assert rigger.rates.count() == 2


def test_a_bill_rate_below_cost_is_refused_unless_confirmed_and_then_flagged():
    role = LabourRoleFactory()
    with pytest.raises(ValidationError) as error:
        _rate(role, JAN, cost="90", bill="80")
    assert error.value.error_dict["bill_rate"][0].code == "below_cost"
    assert "Tick “Bill below cost”" in error.value.message_dict["bill_rate"][0]
    assert not RoleRate.objects.exists()

    rate = _rate(role, JAN, cost="90", bill="80", confirm_below_cost=True)
    assert rate.bills_below_cost
    # Billing at cost loses nothing: no confirmation asked.
    assert not _rate(rate.role, NEXT_JAN, cost="80", bill="80").bills_below_cost


def _by(role):
    return UserFactory(role=role, is_superuser=role == Role.ADMIN)


@pytest.mark.parametrize(
    "role", [Role.PROJECT_MANAGER, Role.RESOURCE_MANAGER, Role.FINANCE, Role.SELLER]
)
def test_only_an_admin_may_back_date_a_rate_even_when_confirming(role):
    rigger = LabourRoleFactory()
    with pytest.raises(ValidationError) as error:
        services.do_add_rate(
            rigger,
            _by(role),
            effective_from=TODAY - dt.timedelta(days=1),
            cost_rate=Decimal("50"),
            bill_rate=Decimal("90"),
            today=TODAY,
            confirm_back_dated=True,
        )
    message = error.value.message_dict["effective_from"][0]
    assert message.startswith("22 Nov 2026 is before today: only an admin can back-date")
    assert "Estimates already built keep the rates they copied" in message
    assert not RoleRate.objects.exists()


def test_an_admin_back_dates_a_rate_only_when_confirming():
    rigger, admin = LabourRoleFactory(), _by(Role.ADMIN)
    values = {
        "effective_from": dt.date(2026, 10, 1),
        "cost_rate": Decimal("50"),
        "bill_rate": Decimal("90"),
        "today": TODAY,
    }
    with pytest.raises(ValidationError) as error:
        services.do_add_rate(rigger, admin, **values)
    assert "Tick “Back-date this rate”" in error.value.message_dict["effective_from"][0]
    assert not RoleRate.objects.exists()

    rate = services.do_add_rate(rigger, admin, **values, confirm_back_dated=True)
    assert rate.effective_from == dt.date(2026, 10, 1)
    assert rate.history.get().history_user == admin


def test_a_rate_starting_today_or_later_is_not_back_dated():
    manager = _by(Role.PROJECT_MANAGER)
    for day in (TODAY, NEXT_JAN):
        services.do_add_rate(
            LabourRoleFactory(), manager, effective_from=day, cost_rate=1, bill_rate=2, today=TODAY
        )
    assert RoleRate.objects.count() == 2


def test_both_confirmations_are_asked_for_at_once():
    with pytest.raises(ValidationError) as error:
        services.do_add_rate(
            LabourRoleFactory(),
            _by(Role.ADMIN),
            effective_from=JAN,
            cost_rate=Decimal("90"),
            bill_rate=Decimal("80"),
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"bill_rate", "effective_from"}


def test_an_upcoming_rate_moved_before_today_or_below_cost_needs_the_same_confirmations(rigger):
    upcoming = rigger.rates.get(effective_from=NEXT_JAN)
    manager = _by(Role.PROJECT_MANAGER)
    with pytest.raises(ValidationError) as error:
        services.do_update_rate(
            upcoming, manager, {"effective_from": dt.date(2026, 11, 1)}, today=TODAY
        )
    assert "only an admin" in error.value.message_dict["effective_from"][0]
    with pytest.raises(ValidationError) as error:
        services.do_update_rate(upcoming, manager, {"bill_rate": Decimal("70")}, today=TODAY)
    assert "bill_rate" in error.value.message_dict
    upcoming.refresh_from_db()
    assert (upcoming.effective_from, upcoming.bill_rate) == (NEXT_JAN, Decimal("108.16"))

    services.do_update_rate(
        upcoming, manager, {"bill_rate": Decimal("70")}, today=TODAY, confirm_below_cost=True
    )
    # Once confirmed, editing something else does not ask again.
    services.do_update_rate(upcoming, manager, {"minimum_call_hours": Decimal("5")}, today=TODAY)
    upcoming.refresh_from_db()
    assert (upcoming.bill_rate, upcoming.minimum_call_hours) == (Decimal("70"), Decimal("5"))


def test_unknown_fields_are_a_programming_error():
    with pytest.raises(ValueError, match="created_at"):
        services.do_add_rate(
            LabourRoleFactory(), None, effective_from=JAN, cost_rate=1, bill_rate=2, created_at=JAN
        )
    assert not RoleRate.objects.exists()
    with pytest.raises(ValueError, match="hourly"):
        services.do_create_role(None, name="X", hourly=True)


def test_a_rate_in_effect_is_never_edited_or_deleted(rigger):
    current = rigger.rates.get(effective_from=JAN)
    with pytest.raises(ValidationError, match="in effect"):
        services.do_update_rate(current, None, {"bill_rate": Decimal("1")}, today=TODAY)
    with pytest.raises(ValidationError, match="in effect"):
        services.do_delete_rate(current, None, today=TODAY)
    # A rate starting today is in effect already: an estimate may have been built with it.
    with pytest.raises(ValidationError, match="in effect"):
        services.do_update_rate(
            rigger.rates.get(effective_from=NEXT_JAN), None, {"bill_rate": 1}, today=NEXT_JAN
        )
    current.refresh_from_db()
    assert current.bill_rate == Decimal("104")
    assert rigger.rates.count() == 2


def test_a_future_rate_may_be_edited_or_withdrawn(rigger):
    upcoming = rigger.rates.get(effective_from=NEXT_JAN)
    upcoming = services.do_update_rate(
        upcoming,
        None,
        {"bill_rate": Decimal("110.00"), "effective_from": dt.date(2027, 2, 1)},
        today=TODAY,
    )
    assert upcoming.bill_rate == Decimal("110.00")
    assert rate_on(rigger, dt.date(2027, 1, 15)).effective_from == JAN
    with pytest.raises(ValidationError) as error:
        services.do_update_rate(upcoming, None, {"effective_from": JAN}, today=TODAY)
    assert "effective_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.do_update_rate(
            upcoming, None, {"overtime_multiplier": Decimal("0.5")}, today=TODAY
        )
    upcoming.refresh_from_db()
    assert upcoming.overtime_multiplier == Decimal("1.5")
    assert upcoming.effective_from == dt.date(2027, 2, 1)
    services.do_delete_rate(upcoming, None, today=TODAY)
    assert list(rigger.rates.values_list("effective_from", flat=True)) == [JAN]


def test_a_stale_rate_edit_is_refused(rigger):
    upcoming = rigger.rates.get(effective_from=NEXT_JAN)
    with pytest.raises(ValidationError, match="Someone else"):
        services.do_update_rate(
            upcoming, None, {"bill_rate": Decimal("1")}, today=TODAY, version="2000-01-01"
        )


def test_role_names_are_unique_whatever_the_case(rigger):
    with pytest.raises(ValidationError) as error:
        services.do_create_role(None, name="  union RIGGER (iatse) ")
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.do_create_role(None, name="   ")
    other = services.do_create_role(None, name="Rigger")
    with pytest.raises(ValidationError):
        services.do_update_role(other, None, {"name": "UNION RIGGER (IATSE)"})
    assert LabourRole.objects.count() == 2
    assert services.do_update_role(other, None, {"union": True}).union


def test_the_demo_rate_cards_are_seeded_once_with_a_union_raise_next_january():
    from types import SimpleNamespace

    from tandem.demo.rates import ROLES, create_rates

    ctx = SimpleNamespace(users={}, now=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    create_rates(ctx)
    create_rates(ctx)
    assert LabourRole.objects.count() == len(ROLES) >= 8
    union = LabourRole.objects.filter(union=True)
    assert union.count() == 2
    assert RoleRate.objects.count() == len(ROLES) + union.count()
    rigger = LabourRole.objects.get(name="Union rigger (IATSE)")
    now_rate, next_rate = rate_on(rigger, TODAY), rate_on(rigger, NEXT_JAN)
    assert now_rate.effective_from == JAN
    assert next_rate.effective_from == NEXT_JAN
    assert next_rate.cost_rate > now_rate.cost_rate
    assert now_rate.minimum_call_hours == 4
    stagehand = LabourRole.objects.get(name="Stagehand")
    assert rate_on(stagehand, NEXT_JAN).effective_from == JAN
    assert all(not r.bills_below_cost for r in RoleRate.objects.all())
