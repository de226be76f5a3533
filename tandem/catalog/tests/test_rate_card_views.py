import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.catalog.models import LabourRole, RoleRate
from tandem.catalog.tests.factories import LabourRoleFactory, RoleRateFactory
from tandem.core.services import version_of
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("catalog:role_list")


def _login(client, role):
    client.force_login(UserFactory(role=role))
    return client


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def rigger():
    role = LabourRoleFactory(name="Union rigger (IATSE)", union=True)
    RoleRateFactory(
        role=role,
        effective_from=_days(-300),
        cost_rate=Decimal("61.11"),
        bill_rate=Decimal("97.77"),
    )
    RoleRateFactory(
        role=role,
        effective_from=_days(-30),
        cost_rate=Decimal("68.11"),
        bill_rate=Decimal("104.77"),
        minimum_call_hours=Decimal("4"),
    )
    RoleRateFactory(
        role=role,
        effective_from=_days(40),
        cost_rate=Decimal("70.83"),
        bill_rate=Decimal("108.96"),
        minimum_call_hours=Decimal("4"),
    )
    return role


@pytest.mark.parametrize(
    ("role", "sees_costs", "can_edit"),
    [
        (Role.SELLER, False, False),
        (Role.CREW, False, False),
        (Role.PROJECT_MANAGER, True, True),
        (Role.RESOURCE_MANAGER, True, True),
        (Role.FINANCE, True, False),
        (Role.EXECUTIVE, True, False),
        (Role.ADMIN, True, True),
    ],
)
def test_everyone_reads_the_rate_cards_but_costs_and_edits_are_for_some(
    client, rigger, role, sees_costs, can_edit
):
    _login(client, role)
    listing = client.get(LIST).content.decode()
    assert "104.77" in listing  # current bill rate
    assert "97.77" not in listing  # an old rate is history, not the card
    assert "108.96" in listing  # the upcoming raise
    assert ("68.11" in listing) is sees_costs
    assert ("Cost rate" in listing) is sees_costs
    detail = client.get(rigger.get_absolute_url()).content.decode()
    assert all(bill in detail for bill in ("97.77", "104.77", "108.96"))
    assert ("61.11" in detail) is sees_costs
    assert ("70.83" in detail) is sees_costs
    assert ("New rate" in detail) is can_edit
    upcoming = rigger.rates.get(effective_from=_days(40))
    writes = [
        (reverse("catalog:role_create"), {"name": "Programmer"}),
        (reverse("catalog:role_edit", args=[rigger.pk]), {"name": "Renamed"}),
        (
            reverse("catalog:rate_create", args=[rigger.pk]),
            {"effective_from": _days(60), "cost_rate": "1", "bill_rate": "2"},
        ),
        (reverse("catalog:rate_edit", args=[upcoming.pk]), {"bill_rate": "1"}),
        (reverse("catalog:rate_delete", args=[upcoming.pk]), {}),
    ]
    if not can_edit:
        for url, data in writes:
            assert client.post(url, data).status_code == 403
        assert client.get(reverse("catalog:role_create")).status_code == 403
        assert LabourRole.objects.get().name == "Union rigger (IATSE)"
        assert RoleRate.objects.count() == 3


def test_the_setting_opens_cost_rates_to_sellers(seller_client, rigger, settings):
    assert "68.11" not in seller_client.get(LIST).content.decode()
    settings.TANDEM_SELLERS_SEE_COSTS = True
    assert "68.11" in seller_client.get(LIST).content.decode()


def test_a_role_without_a_rate_yet_says_so(pm_client):
    LabourRoleFactory(name="Programmer")
    RoleRateFactory(role=LabourRoleFactory(name="Later"), effective_from=_days(10))
    body = pm_client.get(LIST).content.decode()
    assert body.count("No rate in effect yet") == 2


@pytest.mark.parametrize("count", [5, 50])
def test_the_rate_card_list_runs_a_constant_number_of_queries(pm_client, count):
    for i in range(count):
        role = LabourRoleFactory(union=i % 2 == 0)
        RoleRateFactory(role=role, effective_from=_days(-100))
        RoleRateFactory(role=role, effective_from=_days(-1))
        RoleRateFactory(role=role, effective_from=_days(30))
    pm_client.get(LIST)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = pm_client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == count
    assert all(r.current_rate.effective_from == _days(-1) for r in response.context["page_obj"])
    # Session, user, roles, their count, upcoming rates, current rates; nothing per role.
    assert len(queries) <= 10


def test_the_list_and_detail_query_counts_do_not_grow_with_roles(pm_client):
    def measure(url):
        pm_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            pm_client.get(url)
        return len(queries)

    role = LabourRoleFactory()
    for days in range(-5, 5):
        RoleRateFactory(role=role, effective_from=_days(days * 30))
    few = measure(LIST), measure(role.get_absolute_url())
    for _ in range(45):
        other = LabourRoleFactory()
        for days in (-60, -1, 20):
            RoleRateFactory(role=other, effective_from=_days(days))
    for days in range(5, 40):
        RoleRateFactory(role=role, effective_from=_days(days * 30))
    assert (measure(LIST), measure(role.get_absolute_url())) == few


def test_a_project_manager_adds_a_role_and_its_first_rate(pm_client):
    response = pm_client.post(
        reverse("catalog:role_create"),
        {"name": " Lighting programmer ", "union": "", "description": "Console", "active": "on"},
    )
    role = LabourRole.objects.get()
    assert response.url == role.get_absolute_url()
    assert role.name == "Lighting programmer"
    form = pm_client.get(reverse("catalog:rate_create", args=[role.pk])).context["form"]
    assert form.initial["effective_from"] == timezone.localdate()
    response = pm_client.post(
        reverse("catalog:rate_create", args=[role.pk]),
        {
            "effective_from": _days(0).isoformat(),
            "cost_rate": "60.00",
            "bill_rate": "115.00",
            "overtime_multiplier": "1.5",
            "minimum_call_hours": "0",
            "currency": "USD",
        },
    )
    assert response.status_code == 302
    rate = role.rates.get()
    assert (rate.cost_rate, rate.bill_rate, rate.effective_from) == (
        Decimal("60.00"),
        Decimal("115.00"),
        _days(0),
    )
    assert rate.history.get().history_user.role == Role.PROJECT_MANAGER


def test_a_new_rate_starts_from_the_terms_of_the_last_one(pm_client, rigger):
    form = pm_client.get(reverse("catalog:rate_create", args=[rigger.pk])).context["form"]
    assert form.initial["minimum_call_hours"] == Decimal("4")


def test_bad_rate_input_is_shown_next_to_the_field_and_kept(pm_client, rigger):
    url = reverse("catalog:rate_create", args=[rigger.pk])
    data = {
        "effective_from": _days(-30).isoformat(),  # the day of an existing rate
        "cost_rate": "12.34",
        "bill_rate": "56.78",
        "overtime_multiplier": "1.5",
        "minimum_call_hours": "4",
        "currency": "USD",
    }
    response = pm_client.post(url, data)
    assert response.status_code == 200
    assert "already has a rate" in response.context["form"].errors["effective_from"][0]
    assert 'value="12.34"' in response.content.decode()
    response = pm_client.post(
        url, data | {"effective_from": _days(90), "overtime_multiplier": "0.5"}
    )
    assert "overtime_multiplier" in response.context["form"].errors
    response = pm_client.post(url, data | {"effective_from": _days(90), "cost_rate": "-5"})
    assert "cost_rate" in response.context["form"].errors
    assert RoleRate.objects.count() == 3


def _rate_data(**changes):
    return {
        "effective_from": _days(90).isoformat(),
        "cost_rate": "120",
        "bill_rate": "100",
        "overtime_multiplier": "1.5",
        "minimum_call_hours": "4",
        "currency": "USD",
    } | changes


def test_a_bill_rate_below_cost_is_refused_beside_the_field_until_confirmed(pm_client, rigger):
    url = reverse("catalog:rate_create", args=[rigger.pk])

    response = pm_client.post(url, _rate_data())

    assert response.status_code == 200
    form = response.context["form"]
    assert "below the cost rate" in form.errors["bill_rate"][0]
    body = response.content.decode()
    assert 'id="below-cost-confirm"' in body
    assert 'name="confirm_below_cost"' in body
    assert 'value="120"' in body
    assert 'value="100"' in body
    assert not rigger.rates.filter(effective_from=_days(90)).exists()

    response = pm_client.post(url, _rate_data(confirm_below_cost="on"), follow=True)

    assert "bills below cost" in response.content.decode()
    assert rigger.rates.get(effective_from=_days(90)).bill_rate == Decimal("100")


def test_the_below_cost_box_is_not_offered_for_a_rate_that_makes_money(pm_client, rigger):
    url = reverse("catalog:rate_create", args=[rigger.pk])

    body = pm_client.post(url, _rate_data(bill_rate="abc")).content.decode()

    assert 'name="confirm_below_cost"' not in body
    assert 'name="confirm_below_cost"' not in pm_client.get(url).content.decode()


def test_a_manager_cannot_back_date_a_rate_and_sees_why_beside_the_date(pm_client, rigger):
    url = reverse("catalog:rate_create", args=[rigger.pk])
    data = _rate_data(effective_from=_days(-2).isoformat(), bill_rate="150")

    response = pm_client.post(url, data | {"confirm_back_dated": "on"})

    assert response.status_code == 200
    error = response.context["form"].errors["effective_from"][0]
    assert "only an admin can back-date" in error
    assert "Estimates already built keep the rates they copied" in error
    # No box to tick: ticking would not help a manager.
    assert 'name="confirm_back_dated"' not in response.content.decode()
    assert rigger.rates.count() == 3


def test_an_admin_back_dates_a_rate_after_ticking_the_box(admin_client_, rigger):
    url = reverse("catalog:rate_create", args=[rigger.pk])
    data = _rate_data(effective_from=_days(-2).isoformat(), bill_rate="150")

    response = admin_client_.post(url, data)

    assert "Tick “Back-date this rate”" in response.context["form"].errors["effective_from"][0]
    assert 'id="back-date-confirm"' in response.content.decode()
    assert not rigger.rates.filter(effective_from=_days(-2)).exists()

    response = admin_client_.post(url, data | {"confirm_back_dated": "on"})

    assert response.status_code == 302
    assert rigger.rates.get(effective_from=_days(-2)).bill_rate == Decimal("150")


def test_a_seller_cannot_post_a_rate_even_confirming(seller_client, rigger):
    url = reverse("catalog:rate_create", args=[rigger.pk])
    data = _rate_data(confirm_below_cost="on", confirm_back_dated="on")

    assert seller_client.post(url, data).status_code == 403
    assert rigger.rates.count() == 3


def test_only_upcoming_rates_can_be_edited_or_withdrawn(pm_client, rigger):
    current = rigger.rates.get(effective_from=_days(-30))
    upcoming = rigger.rates.get(effective_from=_days(40))
    response = pm_client.post(
        reverse("catalog:rate_edit", args=[current.pk]), {"bill_rate": "1"}, follow=True
    )
    assert "cannot be changed" in response.content.decode()
    response = pm_client.post(reverse("catalog:rate_delete", args=[current.pk]), follow=True)
    assert "in effect" in response.content.decode()
    current.refresh_from_db()
    assert current.bill_rate == Decimal("104.77")
    response = pm_client.post(
        reverse("catalog:rate_edit", args=[upcoming.pk]),
        {
            "effective_from": _days(45).isoformat(),
            "cost_rate": "70.83",
            "bill_rate": "109.50",
            "overtime_multiplier": "1.5",
            "minimum_call_hours": "4",
            "currency": "USD",
            "version": version_of(upcoming),
        },
    )
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.bill_rate, upcoming.effective_from) == (Decimal("109.50"), _days(45))
    pm_client.post(reverse("catalog:rate_delete", args=[upcoming.pk]))
    assert not RoleRate.objects.filter(pk=upcoming.pk).exists()
    assert rigger.rates.count() == 2


def test_the_navbar_links_to_the_rate_cards(seller_client):
    assert LIST in seller_client.get(reverse("catalog:catalog_list")).content.decode()
