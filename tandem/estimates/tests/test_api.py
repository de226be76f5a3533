"""The scenario endpoints and their read-only versions and lines: who builds and accepts,
who sees costs, bad lines, stale saves, copies, diffs, filters and query counts."""

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tandem.catalog.tests.factories import (
    CatalogItemFactory,
    LabourRoleFactory,
    RoleRateFactory,
)
from tandem.core.tests.api_clients import as_user
from tandem.estimates.models import Estimate, EstimateLine, EstimateVersion, LineKind, RequestStatus
from tandem.estimates.requests.services import do_create_request
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.estimates.tests.api_data import (
    ESTIMATES,
    LINE_COSTS,
    LINES,
    PAST,
    REQUESTS,
    VERSION_COSTS,
    VERSIONS,
    at,
    count_queries,
    days,
    equipment,
    freight,
    freight_json,
    labour,
    led_panel,
    rigger_with_rate,
    service_equipment,
    service_labour,
    service_lines,
)
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm_api(project_manager) -> APIClient:
    return as_user(project_manager)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return as_user(admin_user)


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, name="Expo booth", amount=Decimal("1000"))


@pytest.fixture
def rigger():
    return rigger_with_rate()


@pytest.fixture
def panel():
    return led_panel()


@pytest.fixture
def estimate(deal, project_manager):
    return do_create_estimate(project_manager, deal, name="Full booth")


@pytest.fixture
def saved(estimate, project_manager, panel, rigger):
    """The full booth saved once: price 3,500, cost 2,200 (see service_lines)."""
    return do_save_version(
        estimate, project_manager, base_number=0, lines=service_lines(panel, rigger)
    )


@pytest.fixture
def asked(deal, seller, project_manager):
    return do_create_request(
        seller,
        deal,
        title="Expo booth",
        brief="Full 360° screen.",
        needed_by=days(7),
        estimators=[(project_manager, "everything")],
    )


# Scenarios: building ----------------------------------------------------------------------


def test_a_project_manager_opens_a_scenario_and_saves_a_version(pm_api, deal, asked, panel, rigger):
    created = pm_api.post(
        ESTIMATES,
        {
            "deal": deal.pk,
            "name": "Full booth",
            "request": asked.pk,
            "venue_type": "convention",
            "screen_area_m2": "120.5",
            "show_days": 3,
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    assert created.data["latest_version"] is None
    assert created.data["currency"] == "USD"
    estimate = Estimate.objects.get()

    saved = pm_api.post(
        at(ESTIMATES, estimate, "versions"),
        {
            "base_number": 0,
            "contingency_pct": "10",
            "note": "First pass",
            "lines": [
                equipment(panel),
                labour(rigger),
                {"kind": "subcontract", "name": "Union steward", "cost": "300", "markup_pct": "20"},
            ],
        },
        format="json",
    )

    assert saved.status_code == 201, saved.data
    assert (saved.data["number"], saved.data["is_latest"], saved.data["note"]) == (
        1,
        True,
        "First pass",
    )
    # 1,500 + 2,000 + 360 = 3,860, plus 10 % contingency.
    assert saved.data["price"] == "4246.00"
    assert saved.data["cost"] == "2500.00"
    assert [line["name"] for line in saved.data["lines"]] == [
        "LED panel",
        "Rigger",
        "Union steward",
    ]
    riggers = saved.data["lines"][1]
    assert (riggers["cost_rate"], riggers["bill_rate"], riggers["expected_hours"]) == (
        "60.00",
        "100.00",
        "20.00",
    )
    detail = pm_api.get(at(ESTIMATES, estimate)).data
    assert detail["latest_number"] == 1
    assert detail["latest_version"]["price"] == "4246.00"
    assert detail["latest_version"]["budget_low"] == "3806.00"
    assert detail["latest_version"]["budget_high"] == "4686.00"
    asked.refresh_from_db()
    assert asked.status == RequestStatus.IN_PROGRESS


@pytest.mark.parametrize("persona", ["seller", "finance", "executive"])
def test_only_estimators_open_save_and_copy_scenarios(request, deal, saved, panel, persona):
    client = as_user(request.getfixturevalue(persona))
    estimate = saved.estimate

    attempts = [
        client.post(ESTIMATES, {"deal": deal.pk, "name": "Mine"}, format="json"),
        client.post(
            at(ESTIMATES, estimate, "versions"),
            {"base_number": 1, "lines": [equipment(panel)]},
            format="json",
        ),
        client.post(at(ESTIMATES, estimate, "copy"), {"name": "Half"}, format="json"),
    ]

    assert [r.status_code for r in attempts] == [403, 403, 403]
    assert Estimate.objects.count() == 1
    assert EstimateVersion.objects.count() == 1


def test_a_scenario_for_a_request_of_another_deal_is_refused(pm_api, asked):
    other = DealFactory()

    response = pm_api.post(
        ESTIMATES, {"deal": other.pk, "name": "Full", "request": asked.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.data["request"] == ["That request belongs to another deal."]
    assert not Estimate.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "FULL BOOTH"}, "name"),
        ({"screen_area_m2": "-3"}, "screen_area_m2"),
        ({"screen_area_m2": "huge"}, "screen_area_m2"),
        ({"show_days": -1}, "show_days"),
        ({"venue_type": "moon"}, "venue_type"),
        ({"deal": 999999}, "deal"),
    ],
)
def test_a_bad_scenario_is_a_400_on_the_field(pm_api, deal, estimate, change, field):
    response = pm_api.post(ESTIMATES, {"deal": deal.pk, "name": "Half", **change}, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert Estimate.objects.count() == 1


def _post_version(client, estimate, **body):
    return client.post(at(ESTIMATES, estimate, "versions"), body, format="json")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"qty": "lots"}, "qty"),
        ({"qty": "-1"}, "qty"),
        ({"qty": "1.234"}, "qty"),
        ({"kind": "robot"}, "kind"),
        ({"catalog_item": 999999}, "catalog_item"),
        ({"catalog_item": "LED-26"}, "catalog_item"),
        ({"markup_pct": "-101"}, "markup_pct"),
        ({"unit_price": "-5"}, "unit_price"),
        ({"lead_time_days": -2}, "lead_time_days"),
    ],
)
def test_a_bad_equipment_line_is_a_400_on_the_line_and_saves_nothing(
    pm_api, estimate, panel, line, field
):
    response = _post_version(
        pm_api, estimate, base_number=0, lines=[freight_json(), equipment(panel, **line)]
    )

    assert response.status_code == 400
    # As DRF reports a list's errors: by the index of each line in error.
    assert list(response.json()["lines"]) == ["1"]
    assert field in response.json()["lines"]["1"]
    assert not EstimateVersion.objects.exists()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"role": 999999}, "role"),
        ({"crew_size": "-2"}, "crew_size"),
        ({"hours_low": "-1"}, "hours_low"),
        ({"hours_high": "ten"}, "hours_high"),
        ({"overtime_share": "1.5"}, "overtime_share"),
        ({"calls": 0}, "calls"),
    ],
)
def test_a_bad_labour_line_is_a_400_on_the_line_and_saves_nothing(
    pm_api, estimate, rigger, line, field
):
    response = _post_version(pm_api, estimate, base_number=0, lines=[labour(rigger, **line)])

    assert response.status_code == 400
    assert field in response.json()["lines"]["0"]
    assert not EstimateVersion.objects.exists()


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ({"hours_low": "12", "hours_likely": "10"}, "hours must run low <= likely <= high"),
        ({"role": None}, "Line 1: a labour line needs a role."),
    ],
)
def test_a_line_the_service_refuses_is_a_400_naming_the_line(pm_api, estimate, rigger, line, words):
    response = _post_version(pm_api, estimate, base_number=0, lines=[labour(rigger, **line)])

    assert response.status_code == 400
    assert words in response.data["lines"][0]
    assert not EstimateVersion.objects.exists()


def test_a_role_without_a_rate_says_what_to_do(pm_api, estimate):
    drone = LabourRoleFactory(name="Drone pilot")

    response = _post_version(pm_api, estimate, base_number=0, lines=[labour(drone)])

    assert response.status_code == 400
    assert response.data["lines"][0].startswith("Drone pilot has no rate in effect on")
    assert "add one on the rate card first" in response.data["lines"][0]
    assert not EstimateVersion.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": []}, "base_number"),
        ({"base_number": 0}, "lines"),
        ({"base_number": -1, "lines": []}, "base_number"),
        ({"base_number": "latest", "lines": []}, "base_number"),
        ({"base_number": 0, "lines": "all of them"}, "lines"),
        ({"base_number": 0, "lines": [], "contingency_pct": "150"}, "contingency_pct"),
        ({"base_number": 0, "lines": [], "note": "x" * 301}, "note"),
        ({"base_number": 0, "lines": [], "scenario": {"show_days": "many"}}, "scenario"),
    ],
)
def test_a_bad_save_is_a_400_and_saves_nothing(pm_api, estimate, body, field):
    response = _post_version(pm_api, estimate, **body)

    assert response.status_code == 400
    assert field in response.data
    assert not EstimateVersion.objects.exists()


def test_a_version_without_lines_is_saved(pm_api, estimate):
    response = _post_version(pm_api, estimate, base_number=0, lines=[])

    assert response.status_code == 201, response.data
    assert (response.data["price"], response.data["margin_pct"]) == ("0.00", None)


def test_fields_of_another_kind_are_ignored(pm_api, estimate, panel, rigger):
    response = _post_version(
        pm_api,
        estimate,
        base_number=0,
        lines=[equipment(panel, role=rigger.pk, hours_low="5", cost="9")],
    )

    assert response.status_code == 201, response.data
    line = EstimateLine.objects.get()
    assert (line.role, line.hours_low, line.cost) == (None, Decimal("0"), Decimal("0"))


def test_a_save_may_rename_the_scenario_but_not_to_a_name_in_use(
    pm_api, deal, estimate, project_manager
):
    do_create_estimate(project_manager, deal, name="Half booth")

    clash = _post_version(
        pm_api, estimate, base_number=0, lines=[freight_json()], scenario={"name": "half booth"}
    )
    renamed = _post_version(
        pm_api,
        estimate,
        base_number=0,
        lines=[freight_json()],
        scenario={"name": "Full 360° screen", "screen_area_m2": "140"},
    )

    assert clash.status_code == 400
    assert clash.data["scenario"] == ["This deal has a scenario called “half booth” already."]
    assert renamed.status_code == 201
    estimate.refresh_from_db()
    assert (estimate.name, estimate.screen_area_m2, estimate.latest_number) == (
        "Full 360° screen",
        Decimal("140.00"),
        1,
    )


def test_the_second_of_two_saves_of_the_same_version_is_a_409_and_writes_nothing(
    pm_api, admin_api, estimate, panel
):
    first = _post_version(admin_api, estimate, base_number=0, lines=[equipment(panel)])
    second = _post_version(pm_api, estimate, base_number=0, lines=[equipment(panel, qty="5")])

    assert first.status_code == 201
    assert second.status_code == 409
    assert "was saved as version 1 while you were editing version 0" in second.data["detail"]
    assert second.data["latest"] == 1
    version = EstimateVersion.objects.get()
    assert second.data["latest_url"] == f"http://testserver{VERSIONS}{version.pk}/"
    assert second.data["diff_url"] == f"http://testserver{ESTIMATES}{estimate.pk}/diff/?from=0&to=1"
    assert EstimateLine.objects.get().qty == Decimal("10.00")


def test_a_stale_save_points_at_what_changed_meanwhile(
    pm_api, saved, project_manager, panel, rigger
):
    estimate = saved.estimate
    do_save_version(
        estimate, project_manager, base_number=1, lines=service_lines(panel, rigger)[:1]
    )

    response = _post_version(pm_api, estimate, base_number=1, lines=[])

    assert response.status_code == 409
    assert response.data["latest"] == 2
    assert response.data["diff_url"] == (
        f"http://testserver{ESTIMATES}{estimate.pk}/diff/?from=1&to=2"
    )
    diff = pm_api.get(response.data["diff_url"])
    assert [(c["change"], c["name"]) for c in diff.data["lines"]] == [("removed", "Rigger")]
    assert estimate.versions.count() == 2


def test_a_save_on_a_version_never_reached_is_a_409_with_nothing_to_show(pm_api, estimate):
    response = _post_version(pm_api, estimate, base_number=3, lines=[freight_json()])

    assert response.status_code == 409
    assert response.data["latest"] == 0
    assert response.data["latest_url"] is response.data["diff_url"] is None
    assert not EstimateVersion.objects.exists()


def test_a_line_carried_from_an_earlier_version_keeps_its_rates(
    pm_api, saved, rigger, project_manager
):
    RoleRateFactory(
        role=rigger, effective_from=days(0), cost_rate=Decimal("80"), bill_rate=Decimal("130")
    )
    carried = saved.lines.get(kind=LineKind.LABOUR)

    response = _post_version(
        pm_api,
        saved.estimate,
        base_number=1,
        lines=[labour(rigger, source=carried.pk), labour(rigger, name="Extra riggers")],
    )

    assert response.status_code == 201, response.data
    assert [line["bill_rate"] for line in response.data["lines"]] == ["100.00", "130.00"]


# Scenarios: copy, accept, diff ------------------------------------------------------------


def test_a_copy_starts_from_the_latest_version(pm_api, saved):
    response = pm_api.post(
        at(ESTIMATES, saved.estimate, "copy"),
        {"name": "Half booth", "screen_area_m2": "60"},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["name"] == "Half booth"
    assert response.data["copied_from"] == saved.estimate.pk
    assert response.data["screen_area_m2"] == "60.00"
    assert response.data["latest_version"]["price"] == "3500.00"
    assert response.data["latest_version"]["note"] == "Copied from Full booth v1"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "full booth"}, "name"),
        ({"name": "Half", "show_days": "x"}, "show_days"),
    ],
)
def test_a_bad_copy_is_a_400(pm_api, saved, body, field):
    response = pm_api.post(at(ESTIMATES, saved.estimate, "copy"), body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert Estimate.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "code"), [("seller", 200), ("project_manager", 200), ("other_seller", 403)]
)
def test_the_deals_editors_accept_a_scenario_and_the_deal_amount_follows(
    request, deal, saved, persona, code
):
    client = as_user(request.getfixturevalue(persona))

    response = client.post(at(ESTIMATES, saved.estimate, "accept"))

    assert response.status_code == code
    deal.refresh_from_db()
    if code == 200:
        assert (response.data["is_accepted"], response.data["accepted_number"]) == (True, 1)
        assert deal.amount == Decimal("3500.00")
    else:
        assert deal.amount == Decimal("1000.00")


def test_finance_cannot_accept_a_scenario(finance, deal, saved):
    response = as_user(finance).post(at(ESTIMATES, saved.estimate, "accept"))

    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.amount == Decimal("1000.00")


def test_a_scenario_without_a_version_cannot_be_accepted(seller, estimate):
    response = as_user(seller).post(at(ESTIMATES, estimate, "accept"))

    assert response.status_code == 400
    assert "no saved version" in response.data["non_field_errors"][0]


def test_the_diff_shows_the_figures_and_lines_that_changed(
    pm_api, saved, panel, rigger, project_manager
):
    estimate = saved.estimate
    equipment = {**service_lines(panel, rigger)[0], "qty": Decimal("5")}
    freight = {"kind": LineKind.EXPENSE, "name": "Freight", "cost": Decimal("200")}
    do_save_version(estimate, project_manager, base_number=1, lines=[freight, equipment])

    response = pm_api.get(at(ESTIMATES, estimate, "diff"))

    assert response.status_code == 200
    assert (response.data["from_number"], response.data["to_number"]) == (1, 2)
    figures = {row["field"]: (row["old"], row["new"]) for row in response.data["figures"]}
    assert figures["price"] == ("3500.00", "950.00")
    assert figures["cost"] == ("2200.00", "700.00")
    changes = [(c["change"], c["name"]) for c in response.data["lines"]]
    assert changes == [("added", "Freight"), ("changed", "LED panel"), ("removed", "Rigger")]
    changed = response.data["lines"][1]["fields"]
    assert {"field": "qty", "old": "10.00", "new": "5.00"} in changed
    assert response.data["lines"][0]["old"] is None
    assert response.data["lines"][0]["new"]["cost"] == "200.00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "one"}, "from"),
        ({"from": 7}, "from"),
        ({"to": 3}, "to"),
        ({"to": 0}, "to"),
        ({"to": "-1"}, "to"),
    ],
)
def test_a_diff_of_versions_that_do_not_exist_is_a_400(pm_api, saved, params, field):
    response = pm_api.get(at(ESTIMATES, saved.estimate, "diff"), params)

    assert response.status_code == 400
    assert field in response.data


def test_the_diff_from_version_0_shows_every_line_added(pm_api, saved):
    response = pm_api.get(at(ESTIMATES, saved.estimate, "diff"))

    assert response.status_code == 200
    assert (response.data["from_number"], response.data["to_number"]) == (0, 1)
    assert [(c["change"], c["name"]) for c in response.data["lines"]] == [
        ("added", "LED panel"),
        ("added", "Rigger"),
    ]
    figures = {row["field"]: (row["old"], row["new"]) for row in response.data["figures"]}
    assert figures["price"] == (None, "3500.00")


def test_a_scenario_without_versions_has_nothing_to_diff(pm_api, estimate):
    response = pm_api.get(at(ESTIMATES, estimate, "diff"))

    assert response.status_code == 400
    assert response.data["to"] == ["This scenario has no saved version yet."]


# Costs: who sees them --------------------------------------------------------------------


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_seller_with_a_token_sees_prices_but_no_costs(seller, saved, project_manager):
    estimate = saved.estimate
    half = [service_equipment(saved.lines.get(kind=LineKind.EQUIPMENT).catalog_item, qty="5")]
    do_save_version(estimate, project_manager, base_number=1, lines=[*half, freight()])
    client = _token_client(seller)

    scenario = client.get(at(ESTIMATES, estimate)).data["latest_version"]
    listed = client.get(ESTIMATES).data["results"][0]["latest_version"]
    version = client.get(at(VERSIONS, saved)).data
    versions = client.get(VERSIONS).data["results"]
    lines = client.get(LINES).data["results"]
    diff = client.get(at(ESTIMATES, estimate, "diff")).data

    for figures in (scenario, listed, version, *versions):
        assert not VERSION_COSTS & set(figures)
        assert {"price", "margin_pct", "budget_low", "budget_high"} <= set(figures)
    assert version["price"] == "3500.00"
    assert version["margin_pct"] == "37.14"
    for line in version["lines"] + lines:
        assert not LINE_COSTS & set(line)
        assert {"line_price", "bill_rate", "overtime_multiplier", "minimum_call_hours"} <= set(line)
    # Cost and margin changed too, but only their percent and the prices are shown.
    assert [row["field"] for row in diff["figures"]] == [
        "price",
        "margin_pct",
        "budget_low",
        "budget_high",
    ]
    changes = [(c["change"], c["name"]) for c in diff["lines"]]
    assert changes == [("changed", "LED panel"), ("added", "Freight"), ("removed", "Rigger")]
    assert [f["field"] for f in diff["lines"][0]["fields"]] == ["qty", "line_price"]
    for change in diff["lines"]:
        assert not LINE_COSTS & (set(change["old"] or {}) | set(change["new"] or {}))


@pytest.mark.parametrize("persona", ["project_manager", "finance", "executive"])
def test_the_people_who_may_see_costs_see_them(request, saved, persona):
    client = as_user(request.getfixturevalue(persona))

    version = client.get(at(VERSIONS, saved)).data
    scenario = client.get(at(ESTIMATES, saved.estimate)).data

    assert (version["cost"], version["margin"]) == ("2200.00", "1300.00")
    assert scenario["latest_version"]["cost"] == "2200.00"
    assert set(version["lines"][0]) >= LINE_COSTS
    assert version["lines"][0]["unit_cost"] == "100.00"


def test_the_setting_opens_costs_to_sellers(seller, saved, settings):
    settings.TANDEM_SELLERS_SEE_COSTS = True

    version = as_user(seller).get(at(VERSIONS, saved)).data

    assert version["cost"] == "2200.00"
    assert version["lines"][1]["cost_rate"] == "60.00"


# Versions and lines: read only -----------------------------------------------------------


def test_versions_and_lines_cannot_be_changed_through_the_api(admin_api, saved):
    line = saved.lines.first()
    attempts = [
        admin_api.put(at(VERSIONS, saved), {"note": "x"}, format="json"),
        admin_api.patch(at(VERSIONS, saved), {"note": "x"}, format="json"),
        admin_api.delete(at(VERSIONS, saved)),
        admin_api.post(VERSIONS, {"estimate": saved.estimate_id}, format="json"),
        admin_api.patch(at(LINES, line), {"qty": "1"}, format="json"),
        admin_api.delete(at(LINES, line)),
        admin_api.post(LINES, {}, format="json"),
        admin_api.delete(at(ESTIMATES, saved.estimate)),
        admin_api.patch(at(ESTIMATES, saved.estimate), {"name": "x"}, format="json"),
    ]

    assert [r.status_code for r in attempts] == [405] * len(attempts)
    saved.refresh_from_db()
    assert saved.note == ""
    assert EstimateLine.objects.count() == 2


def test_versions_lines_and_scenarios_filter_as_the_pages_do(
    seller, deal, saved, project_manager, panel
):
    estimate = saved.estimate
    other = do_create_estimate(project_manager, DealFactory(), name="Elsewhere")
    do_save_version(other, project_manager, base_number=0, lines=[freight()])
    second = do_save_version(
        estimate, project_manager, base_number=1, lines=[service_equipment(panel)]
    )
    do_accept_estimate(estimate, seller)
    client = as_user(seller)

    def ids(url, **params):
        response = client.get(url, params)
        assert response.status_code == 200, response.data
        return [row["id"] for row in response.data["results"]]

    assert ids(VERSIONS, estimate=estimate.pk) == [second.pk, saved.pk]
    assert ids(LINES, version=saved.pk, kind="labour") == [saved.lines.get(kind=LineKind.LABOUR).pk]
    assert ids(LINES, version=second.pk) == [second.lines.get().pk]
    assert ids(ESTIMATES, deal=deal.pk) == [estimate.pk]
    assert ids(ESTIMATES, accepted="true") == [estimate.pk]
    assert ids(ESTIMATES, accepted="false") == [other.pk]
    assert client.get(LINES, {"kind": "catering"}).status_code == 400


def test_signed_out_clients_are_refused(saved, asked):
    client = APIClient()

    for url in (REQUESTS, ESTIMATES, VERSIONS, LINES, PAST, at(ESTIMATES, saved.estimate, "diff")):
        assert client.get(url).status_code == 401
    assert client.post(at(ESTIMATES, saved.estimate, "accept")).status_code == 401


# Query counts ----------------------------------------------------------------------------


def _scenarios(n, deal, by, panel):
    for _ in range(n):
        estimate = do_create_estimate(by, deal, name=f"Scenario {Estimate.objects.count()}")
        do_save_version(estimate, by, base_number=0, lines=[service_equipment(panel)])


def _versions(n, estimate, by, panel):
    for _ in range(n):
        estimate.refresh_from_db()
        do_save_version(
            estimate, by, base_number=estimate.latest_number, lines=[service_equipment(panel)]
        )


def _version_of(n, estimate, by, rigger):
    """A version of `n` lines, every other one labour, the others each with its own item."""
    estimate.refresh_from_db()
    lines = [
        service_labour(rigger) if i % 2 else service_equipment(CatalogItemFactory())
        for i in range(n)
    ]
    return do_save_version(estimate, by, base_number=estimate.latest_number, lines=lines)


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
def test_the_scenario_list_takes_the_same_number_of_queries_for_5_or_50_scenarios(
    request, persona, deal, project_manager, panel
):
    client = as_user(request.getfixturevalue(persona))
    url = f"{ESTIMATES}?deal={deal.pk}"
    _scenarios(5, deal, project_manager, panel)
    few, shown_few = count_queries(client, url)
    _scenarios(45, deal, project_manager, panel)

    many, shown_many = count_queries(client, url)

    assert (shown_few, shown_many) == (5, 50)
    # Session, user, the user's permissions and their group's, the deal filtered by,
    # COUNT(*), and the page with each scenario's deal and current version.
    assert few == many == 7


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
def test_the_version_list_takes_the_same_number_of_queries_for_5_or_50_versions(
    request, persona, estimate, project_manager, panel
):
    client = as_user(request.getfixturevalue(persona))
    url = f"{VERSIONS}?estimate={estimate.pk}"
    _versions(5, estimate, project_manager, panel)
    few, shown_few = count_queries(client, url)
    _versions(45, estimate, project_manager, panel)

    many, shown_many = count_queries(client, url)

    assert (shown_few, shown_many) == (5, 50)
    # Session, user, the user's permissions and their group's, the scenario filtered by,
    # COUNT(*), and the page with each version's scenario and author.
    assert few == many == 7


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
def test_the_line_list_takes_the_same_number_of_queries_for_5_or_50_lines(
    request, persona, estimate, project_manager, rigger
):
    client = as_user(request.getfixturevalue(persona))
    five = _version_of(5, estimate, project_manager, rigger)
    fifty = _version_of(50, estimate, project_manager, rigger)

    few, shown_few = count_queries(client, f"{LINES}?version={five.pk}")
    many, shown_many = count_queries(client, f"{LINES}?version={fifty.pk}")

    assert (shown_few, shown_many) == (5, 50)
    # Session, user, the user's permissions and their group's, the version filtered by,
    # COUNT(*), and the page with each line's role and catalog item.
    assert few == many == 7


def test_accepting_a_version_replaced_since_answers_409(
    seller, project_manager, deal, saved, panel, rigger
):
    do_save_version(
        saved.estimate, project_manager, base_number=1, lines=service_lines(panel, rigger)[:1]
    )

    response = as_user(seller).post(
        at(ESTIMATES, saved.estimate, "accept"), {"number": 1}, format="json"
    )

    assert response.status_code == 409
    assert "since you looked at version 1" in response.data["detail"]
    saved.estimate.refresh_from_db()
    assert not saved.estimate.is_accepted
