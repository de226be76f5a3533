"""The supplier and catalog endpoints: who reads costs, who writes, and the CSV import."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.catalog.imports import MAX_BYTES
from tandem.catalog.models import CatalogItem, Supplier
from tandem.catalog.tests.factories import CatalogItemFactory, SupplierFactory
from tandem.core.tests.api_clients import as_user
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUPPLIERS = "/api/v1/suppliers/"
ITEMS = "/api/v1/catalog-items/"
IMPORT = f"{ITEMS}import/"
HEADER = "sku,name,category,unit,unit_cost,list_price,supplier,lead_time_days,active\n"


def item_url(item, action: str = "") -> str:
    return f"{ITEMS}{item.pk}/{action + '/' if action else ''}"


def supplier_url(supplier, action: str = "") -> str:
    return f"{SUPPLIERS}{supplier.pk}/{action + '/' if action else ''}"


def skus(response) -> list[str]:
    return [row["sku"] for row in response.data["results"]]


@pytest.fixture
def stageline():
    return SupplierFactory(name="Stageline", default_lead_time_days=10)


def _new_item(supplier, /, **overrides) -> dict:
    return {
        "sku": "LED-P39",
        "name": "LED panel 3.9 mm",
        "category": "led",
        "unit": "each",
        "unit_cost": "410.00",
        "list_price": "690.00",
        "supplier": supplier.pk,
        **overrides,
    }


# Reading: everyone signed in, costs for some


@pytest.mark.parametrize(
    ("role", "sees_costs"),
    [
        (Role.SELLER, False),
        (Role.CREW, False),
        (Role.PROJECT_MANAGER, True),
        (Role.RESOURCE_MANAGER, True),
        (Role.FINANCE, True),
        (Role.EXECUTIVE, True),
        (Role.ADMIN, True),
    ],
)
def test_everyone_reads_the_catalog_but_only_some_see_unit_costs(role, sees_costs, stageline):
    item = CatalogItemFactory(
        supplier=stageline, unit_cost=Decimal("123.45"), list_price=Decimal("678.90")
    )
    client = as_user(UserFactory(role=role))

    listed = client.get(ITEMS)
    one = client.get(item_url(item))

    assert listed.status_code == one.status_code == 200
    for row in (listed.data["results"][0], one.data):
        assert row["list_price"] == "678.90"
        assert row["supplier_name"] == "Stageline"
        assert row["effective_lead_time_days"] == 10
        # Absent, not null: nothing hints that there is a cost to see.
        assert ("unit_cost" in row) is sees_costs
        if sees_costs:
            assert row["unit_cost"] == "123.45"


def test_the_setting_opens_unit_costs_to_sellers(seller, settings, stageline):
    CatalogItemFactory(supplier=stageline, unit_cost=Decimal("123.45"))
    client = as_user(seller)
    assert "unit_cost" not in client.get(ITEMS).data["results"][0]

    settings.TANDEM_SELLERS_SEE_COSTS = True

    assert client.get(ITEMS).data["results"][0]["unit_cost"] == "123.45"


def test_sorting_by_unit_cost_is_ignored_for_those_who_cannot_see_costs(seller, finance):
    # Cost order is the reverse of SKU order: a seller sorting by cost must not learn it.
    CatalogItemFactory(sku="A-1", unit_cost=Decimal("30"), list_price=Decimal("1"))
    CatalogItemFactory(sku="B-1", unit_cost=Decimal("20"), list_price=Decimal("1"))
    CatalogItemFactory(sku="C-1", unit_cost=Decimal("10"), list_price=Decimal("1"))

    for ordering in ("unit_cost", "-unit_cost"):
        response = as_user(seller).get(ITEMS, {"ordering": ordering})
        assert response.status_code == 200
        assert skus(response) == ["A-1", "B-1", "C-1"]
    assert skus(as_user(finance).get(ITEMS, {"ordering": "unit_cost"})) == ["C-1", "B-1", "A-1"]


def test_the_catalog_filters_are_the_pages_filters(seller, stageline):
    other = SupplierFactory(name="Brightline")
    CatalogItemFactory(sku="LED-1", name="Panel", category="led", supplier=stageline)
    CatalogItemFactory(sku="LED-2", name="Panel frame", category="led", supplier=other)
    CatalogItemFactory(sku="AUD-1", name="Line array", category="audio", supplier=stageline)
    CatalogItemFactory(sku="OLD-1", name="Old panel", category="led", active=False)
    client = as_user(seller)

    assert skus(client.get(ITEMS, {"q": "panel"})) == ["LED-1", "LED-2", "OLD-1"]
    assert skus(client.get(ITEMS, {"category": "audio"})) == ["AUD-1"]
    assert skus(client.get(ITEMS, {"supplier": stageline.pk})) == ["AUD-1", "LED-1"]
    assert skus(client.get(ITEMS, {"active": "no"})) == ["OLD-1"]
    assert skus(client.get(ITEMS, {"ordering": "supplier__name,-sku"})) == [
        "LED-2",
        "LED-1",
        "AUD-1",
        "OLD-1",
    ]


def test_a_bad_filter_value_is_a_400(seller):
    response = as_user(seller).get(ITEMS, {"category": "spaceships"})
    assert response.status_code == 400
    assert "category" in response.data


def test_everyone_reads_the_suppliers(finance, stageline):
    SupplierFactory(name="Brightline", active=False)
    client = as_user(finance)

    assert [r["name"] for r in client.get(SUPPLIERS).data["results"]] == [
        "Brightline",
        "Stageline",
    ]
    assert [r["name"] for r in client.get(SUPPLIERS, {"active": "true"}).data["results"]] == [
        "Stageline"
    ]
    assert client.get(supplier_url(stageline)).data["default_lead_time_days"] == 10


def test_anonymous_requests_are_refused(stageline):
    client = APIClient()
    assert client.get(ITEMS).status_code == 401
    assert client.post(SUPPLIERS, {"name": "Sneaky"}).status_code == 401
    assert not Supplier.objects.filter(name="Sneaky").exists()


# Writing: project managers, resource managers and admins


@pytest.mark.parametrize("persona", ["seller", "finance", "executive"])
def test_only_catalog_keepers_write(request, persona, stageline):
    item = CatalogItemFactory(supplier=stageline, name="Original")
    client = as_user(request.getfixturevalue(persona))
    version = client.get(item_url(item)).data["version"]

    attempts = [
        client.post(ITEMS, _new_item(stageline), format="json"),
        client.patch(item_url(item), {"name": "Mine", "version": version}, format="json"),
        client.post(item_url(item, "deactivate")),
        client.post(SUPPLIERS, {"name": "Brightline"}, format="json"),
        client.patch(supplier_url(stageline), {"name": "Mine"}, format="json"),
        client.post(supplier_url(stageline, "deactivate")),
        client.post(IMPORT, {"file": _csv("X-1,Panel,led,each,1,2,Stageline,,\n")}),
    ]

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    item.refresh_from_db()
    stageline.refresh_from_db()
    assert (item.name, item.active) == ("Original", True)
    assert (stageline.name, stageline.active) == ("Stageline", True)
    assert CatalogItem.objects.count() == 1
    assert Supplier.objects.count() == 1


def test_a_project_manager_adds_a_supplier_and_an_item(project_manager):
    client = as_user(project_manager)

    supplier = client.post(
        SUPPLIERS,
        {
            "name": "  Brightline ",
            "email": "orders@brightline.example",
            "default_lead_time_days": 5,
        },
        format="json",
    )
    assert supplier.status_code == 201, supplier.data
    assert supplier.data["name"] == "Brightline"
    item = client.post(
        ITEMS,
        _new_item(Supplier.objects.get(name="Brightline"), lead_time_days=None),
        format="json",
    )

    assert item.status_code == 201, item.data
    assert item.data["unit_cost"] == "410.00"
    assert item.data["effective_lead_time_days"] == 5
    saved = CatalogItem.objects.get(sku="LED-P39")
    assert saved.unit_cost == Decimal("410.00")
    # The service wrote it, so the history knows who.
    assert saved.history.first().history_user == project_manager


def test_a_project_manager_edits_an_item_with_the_version_read(project_manager, stageline):
    item = CatalogItemFactory(supplier=stageline, list_price=Decimal("100.00"))
    client = as_user(project_manager)
    version = client.get(item_url(item)).data["version"]

    response = client.patch(
        item_url(item), {"list_price": "120.50", "version": version}, format="json"
    )

    assert response.status_code == 200, response.data
    assert response.data["list_price"] == "120.50"
    assert response.data["version"] != version
    item.refresh_from_db()
    assert item.list_price == Decimal("120.50")


@pytest.mark.parametrize(
    ("url", "make", "field"),
    [
        (item_url, lambda s: CatalogItemFactory(supplier=s, name="Original"), "name"),
        (supplier_url, lambda s: SupplierFactory(name="Original"), "name"),
    ],
)
def test_an_edit_based_on_a_stale_version_is_a_409_and_changes_nothing(
    project_manager, stageline, url, make, field
):
    row = make(stageline)
    client = as_user(project_manager)
    version = client.get(url(row)).data["version"]
    # Someone else saves in between.
    type(row).objects.filter(pk=row.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=1))

    response = client.patch(url(row), {field: "Mine", "version": version}, format="json")

    assert response.status_code == 409
    assert response.data["detail"].startswith("Someone else changed this")
    row.refresh_from_db()
    assert getattr(row, field) == "Original"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"list_price": "-1.00"}, "list_price"),
        ({"unit_cost": "-0.01"}, "unit_cost"),
        ({"unit_cost": "cheap"}, "unit_cost"),
        ({"list_price": "1.234"}, "list_price"),
        ({"supplier": 999999}, "supplier"),
        ({"supplier": "Stageline"}, "supplier"),
        ({"lead_time_days": -3}, "lead_time_days"),
        ({"lead_time_days": "soon"}, "lead_time_days"),
        ({"category": "spaceships"}, "category"),
        ({"unit": 7}, "unit"),
        ({"sku": ""}, "sku"),
        ({"name": ["a", "list"]}, "name"),
        ({"active": "perhaps"}, "active"),
    ],
)
def test_bad_input_is_a_400_on_the_field_and_writes_nothing(
    project_manager, stageline, change, field
):
    client = as_user(project_manager)

    response = client.post(ITEMS, _new_item(stageline, **change), format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not CatalogItem.objects.exists()


@pytest.mark.parametrize("missing", ["sku", "name", "unit_cost", "list_price", "supplier"])
def test_a_missing_required_field_is_a_400(project_manager, stageline, missing):
    body = _new_item(stageline)
    del body[missing]

    response = as_user(project_manager).post(ITEMS, body, format="json")

    assert response.status_code == 400
    assert missing in response.data
    assert not CatalogItem.objects.exists()


def test_the_services_rules_come_back_as_field_errors(project_manager, stageline):
    CatalogItemFactory(sku="LED-P39", supplier=stageline)
    gone = SupplierFactory(name="Gone", active=False)
    client = as_user(project_manager)

    clash = client.post(ITEMS, _new_item(stageline, sku="led-p39"), format="json")
    inactive = client.post(ITEMS, _new_item(gone, sku="NEW-1"), format="json")
    same_name = client.post(SUPPLIERS, {"name": "STAGELINE"}, format="json")

    assert clash.status_code == inactive.status_code == same_name.status_code == 400
    assert clash.data["sku"] == ["Another catalog item has this SKU."]
    assert "inactive" in inactive.data["supplier"][0]
    assert same_name.data["name"] == ["A supplier with this name exists already."]
    assert CatalogItem.objects.count() == 1
    assert Supplier.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Brightline", "default_lead_time_days": -1}, "default_lead_time_days"),
        ({"name": "Brightline", "default_lead_time_days": "a week"}, "default_lead_time_days"),
        ({"name": "Brightline", "email": "not-an-address"}, "email"),
        ({"name": "Brightline", "website": "nowhere"}, "website"),
    ],
)
def test_a_bad_supplier_is_a_400_and_writes_nothing(project_manager, body, field):
    response = as_user(project_manager).post(SUPPLIERS, body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not Supplier.objects.exists()


def test_a_bad_patch_keeps_the_item_as_it_was(project_manager, stageline):
    item = CatalogItemFactory(supplier=stageline, name="Original", list_price=Decimal("5.00"))

    response = as_user(project_manager).patch(
        item_url(item), {"name": "New", "list_price": "-5"}, format="json"
    )

    assert response.status_code == 400
    item.refresh_from_db()
    assert (item.name, item.list_price) == ("Original", Decimal("5.00"))


def test_deactivating_keeps_the_rows(project_manager, stageline):
    item = CatalogItemFactory(supplier=stageline)
    client = as_user(project_manager)

    item_answer = client.post(item_url(item, "deactivate"))
    supplier_answer = client.post(supplier_url(stageline, "deactivate"))

    assert item_answer.status_code == supplier_answer.status_code == 200
    assert item_answer.data["active"] is False
    assert supplier_answer.data["active"] is False
    item.refresh_from_db()
    stageline.refresh_from_db()
    assert (item.active, stageline.active) == (False, False)
    assert stageline.items.get() == item


# Import


def _csv(body: str, header: str = HEADER, name: str = "items.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (header + body).encode(), content_type="text/csv")


MIXED = (
    "NEW-1,Panel,LED,each,10,20,stageline,5,yes\n"
    "NEW-2,Bad price,led,each,ten,20,Stageline,,\n"
    "NEW-3,Who?,led,each,1,2,Nobody,,\n"
    "OLD-1,Renamed,led,each,100,180,Stageline,,\n"
)


@pytest.fixture
def old_item(stageline):
    return CatalogItemFactory(
        sku="OLD-1", name="Was", supplier=stageline, unit_cost=100, list_price=180
    )


def test_the_dry_run_is_the_default_and_writes_nothing(project_manager, old_item):
    response = as_user(project_manager).post(IMPORT, {"file": _csv(MIXED)})

    assert response.status_code == 200
    assert response.data["mode"] == "dry_run"
    assert response.data["written"] is False
    assert response.data["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "error": 2}
    rows = response.data["rows"]
    assert [(r["line"], r["sku"], r["result"]) for r in rows] == [
        (2, "NEW-1", "created"),
        (3, "NEW-2", "error"),
        (4, "NEW-3", "error"),
        (5, "OLD-1", "updated"),
    ]
    assert rows[1]["errors"] == ["Unit cost is not a number: “ten”."]
    assert "Unknown supplier" in rows[2]["errors"][0]
    assert rows[3]["changed"] == ["name"]
    assert list(CatalogItem.objects.values_list("sku", "name")) == [("OLD-1", "Was")]


def test_importing_all_refuses_a_file_with_errors_with_a_409_and_writes_nothing(
    project_manager, old_item
):
    response = as_user(project_manager).post(IMPORT, {"file": _csv(MIXED), "mode": "all"})

    assert response.status_code == 409
    assert response.data["written"] is False
    assert "nothing was imported" in response.data["detail"]
    assert response.data["counts"]["error"] == 2
    assert list(CatalogItem.objects.values_list("sku", "name")) == [("OLD-1", "Was")]


def test_importing_all_writes_a_clean_file(project_manager, old_item):
    body = (
        "NEW-1,Panel,LED,each,10,20,stageline,5,yes\nOLD-1,Renamed,led,each,100,180,Stageline,,\n"
    )

    response = as_user(project_manager).post(IMPORT, {"file": _csv(body), "mode": "all"})

    assert response.status_code == 200
    assert response.data["written"] is True
    assert response.data["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "error": 0}
    assert dict(CatalogItem.objects.values_list("sku", "name")) == {
        "NEW-1": "Panel",
        "OLD-1": "Renamed",
    }
    assert CatalogItem.objects.get(sku="NEW-1").history.first().history_user == project_manager


def test_importing_the_valid_rows_skips_the_others(project_manager, old_item):
    response = as_user(project_manager).post(IMPORT, {"file": _csv(MIXED), "mode": "valid"})

    assert response.status_code == 200
    assert response.data["written"] is True
    assert response.data["counts"]["error"] == 2
    assert dict(CatalogItem.objects.values_list("sku", "name")) == {
        "NEW-1": "Panel",
        "OLD-1": "Renamed",
    }


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("h.csv", HEADER.encode()), "no items"),
        (SimpleUploadedFile("b.xlsx", b"PK\x03\x04\x00\x00binary"), "binary"),
        (
            SimpleUploadedFile(
                "l.csv", (HEADER + "X,Caf\xe9,led,each,1,2,S,,\n").encode("latin-1")
            ),
            "UTF-8",
        ),
        (_csv("X,Panel,led,each,1,2,Stageline\n", header="sku,name,price\n"), "Missing column"),
    ],
)
@pytest.mark.parametrize("mode", ["dry_run", "all", "valid"])
def test_an_unreadable_file_is_a_400_whatever_the_mode(
    project_manager, stageline, upload, words, mode
):
    upload.seek(0)

    response = as_user(project_manager).post(IMPORT, {"file": upload, "mode": mode})

    assert response.status_code == 400
    assert response.data["written"] is False
    assert words in " ".join(response.data["file_errors"])
    assert not CatalogItem.objects.exists()


def test_a_file_over_20_mb_is_refused(project_manager, stageline):
    line = "X-{:07d},Panel,led,each,1,2,Stageline,,\n"
    body = "".join(line.format(i) for i in range(MAX_BYTES // len(line.format(0)) + 10))

    response = as_user(project_manager).post(IMPORT, {"file": _csv(body), "mode": "valid"})

    assert response.status_code == 400
    assert "files up to 20 MB" in response.data["file_errors"][0]
    assert response.data["rows"] == []
    assert not CatalogItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "file"),
        ({"file": "not a file"}, "file"),
        ({"file": SimpleUploadedFile("e.csv", b"")}, "file"),
        ({"mode": "sometimes"}, "mode"),
    ],
)
def test_a_bad_import_request_is_a_400(project_manager, stageline, data, field):
    if field == "mode":
        data = {**data, "file": _csv("X,Panel,led,each,1,2,Stageline,,\n")}

    response = as_user(project_manager).post(IMPORT, data)

    assert response.status_code == 400
    assert field in response.data
    assert not CatalogItem.objects.exists()


# Schema and query counts


def test_the_schema_lists_the_catalog_paths_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = out.read_text()
    for path in [
        "/api/v1/suppliers/{id}/deactivate/:",
        "/api/v1/catalog-items/{id}/:",
        "/api/v1/catalog-items/{id}/deactivate/:",
        "/api/v1/catalog-items/import/:",
    ]:
        assert path in schema


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.data["results"])


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
@pytest.mark.parametrize(
    ("url", "make"),
    [
        (ITEMS, lambda n: CatalogItemFactory.create_batch(n)),
        (f"{ITEMS}?ordering=lead_days&category=led", lambda n: CatalogItemFactory.create_batch(n)),
        (SUPPLIERS, lambda n: SupplierFactory.create_batch(n)),
    ],
)
def test_lists_take_the_same_number_of_queries_for_5_or_50_rows(request, persona, url, make):
    client = as_user(request.getfixturevalue(persona))
    make(5)
    few, shown = _queries(client, url)
    assert shown == 5
    make(45)

    many, shown = _queries(client, url)

    assert shown == 50
    # Session, user, the user's permissions and their group's, COUNT(*), the page.
    assert few == many == 6


def test_lists_are_paginated(seller):
    CatalogItemFactory.create_batch(55)

    first = as_user(seller).get(ITEMS)
    second = as_user(seller).get(ITEMS, {"page": 2})

    assert first.data["count"] == 55
    assert len(first.data["results"]) == 50
    assert len(second.data["results"]) == 5
    assert not set(skus(first)) & set(skus(second))
