from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.catalog.models import CatalogItem
from tandem.catalog.tests.factories import CatalogItemFactory, SupplierFactory
from tandem.core.services import version_of
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("catalog:catalog_list")
HEADER = "sku,name,category,unit,unit_cost,list_price,supplier,lead_time_days,active\n"


def _login(client, role):
    client.force_login(UserFactory(role=role))
    return client


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
def test_everyone_sees_the_catalog_but_only_some_see_costs(client, role, sees_costs):
    item = CatalogItemFactory(unit_cost=Decimal("123.45"), list_price=Decimal("678.90"))
    _login(client, role)
    for url in (LIST, item.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "678.90" in body
        assert ("123.45" in body) is sees_costs
        assert ("Unit cost" in body) is sees_costs


def test_the_setting_opens_costs_to_sellers(seller_client, settings):
    CatalogItemFactory(unit_cost=Decimal("123.45"))
    assert "123.45" not in seller_client.get(LIST).content.decode()
    settings.TANDEM_SELLERS_SEE_COSTS = True
    assert "123.45" in seller_client.get(LIST).content.decode()


def test_sellers_cannot_sort_by_cost(seller_client):
    CatalogItemFactory(sku="A", unit_cost=9, list_price=1)
    response = seller_client.get(LIST, {"sort": "cost"})
    assert response.context["sort"] == "sku"


def test_cost_changes_are_hidden_from_the_history_sellers_read(seller, pm_client):
    item = CatalogItemFactory(unit_cost=Decimal("100.00"))
    pm_client.post(
        reverse("catalog:item_edit", args=[item.pk]),
        {
            "sku": item.sku,
            "name": item.name,
            "category": "led",
            "unit": "each",
            "unit_cost": "777.00",
            "list_price": "180.00",
            "supplier": item.supplier_id,
            "active": "on",
            "version": version_of(item),
        },
    )
    item.refresh_from_db()
    assert item.unit_cost == Decimal("777.00")
    seller_client = Client()
    seller_client.force_login(seller)
    assert "777" not in seller_client.get(item.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SELLER, False),
        (Role.FINANCE, False),
        (Role.EXECUTIVE, False),
        (Role.CREW, False),
        (Role.PROJECT_MANAGER, True),
        (Role.RESOURCE_MANAGER, True),
        (Role.ADMIN, True),
    ],
)
def test_only_managers_and_admins_edit_and_import(client, role, allowed):
    item = CatalogItemFactory()
    supplier = item.supplier
    _login(client, role)
    urls = [
        reverse("catalog:item_create"),
        reverse("catalog:item_edit", args=[item.pk]),
        reverse("catalog:catalog_import"),
        reverse("catalog:supplier_create"),
        reverse("catalog:supplier_edit", args=[supplier.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == (200 if allowed else 403)
    data = {
        "sku": "X",
        "name": "Y",
        "category": "led",
        "unit": "each",
        "unit_cost": "1",
        "list_price": "2",
        "supplier": supplier.pk,
    }
    response = client.post(reverse("catalog:item_create"), data)
    assert response.status_code == (302 if allowed else 403)
    assert CatalogItem.objects.filter(sku="X").exists() is allowed
    response = client.post(reverse("catalog:item_deactivate", args=[item.pk]))
    assert response.status_code == (302 if allowed else 403)
    assert ("New item" in client.get(LIST).content.decode()) is allowed


def test_a_refused_edit_keeps_what_was_typed(pm_client):
    item = CatalogItemFactory()
    response = pm_client.post(
        reverse("catalog:item_edit", args=[item.pk]),
        {
            "sku": item.sku,
            "name": "Typed name",
            "category": "led",
            "unit": "each",
            "unit_cost": "-5",
            "list_price": "2",
            "supplier": item.supplier_id,
            "version": version_of(item),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit_cost"]
    assert "Typed name" in response.content.decode()


def test_a_stale_edit_is_refused_and_shown(pm_client):
    item = CatalogItemFactory()
    old = version_of(item)
    CatalogItem.objects.filter(pk=item.pk).update(name="Theirs")
    item.refresh_from_db()
    item.save()
    data = {
        "sku": item.sku,
        "name": "Mine",
        "category": "led",
        "unit": "each",
        "unit_cost": "1",
        "list_price": "2",
        "supplier": item.supplier_id,
        "version": old,
    }
    response = pm_client.post(reverse("catalog:item_edit", args=[item.pk]), data)
    assert "Someone else changed this" in response.content.decode()
    item.refresh_from_db()
    assert item.name == "Theirs"


def test_search_and_filters(pm_client):
    a = SupplierFactory(name="Alpha")
    CatalogItemFactory(sku="LED-26", name="Panel", category="led", supplier=a)
    CatalogItemFactory(sku="PJ-1", name="Projector", category="projection")
    CatalogItemFactory(sku="OLD-1", name="Panel old", category="led", active=False, supplier=a)

    def skus(**params):
        return [i.sku for i in pm_client.get(LIST, params).context["page_obj"]]

    assert skus(q="proj") == ["PJ-1"]
    assert skus(category="led") == ["LED-26", "OLD-1"]
    assert skus(supplier=a.pk, active="yes") == ["LED-26"]
    assert skus(sort="-sku") == ["PJ-1", "OLD-1", "LED-26"]


@pytest.mark.parametrize("path", ["catalog:catalog_list", "catalog:supplier_list"])
def test_lists_run_the_same_queries_at_5_and_50_items(pm_client, path):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert pm_client.get(reverse(path)).status_code == 200
        return len(ctx)

    suppliers = SupplierFactory.create_batch(5)
    for i in range(5):
        CatalogItemFactory(supplier=suppliers[i % 5])
    small = count()
    for i in range(45):
        CatalogItemFactory(supplier=SupplierFactory() if i % 2 else suppliers[0])
    assert count() == small


def _upload(client, text, name="items.csv"):
    return client.post(
        reverse("catalog:catalog_import"),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_import_dry_run_then_confirm(pm_client):
    SupplierFactory(name="Stageline")
    response = _upload(pm_client, HEADER + "A,One,led,each,1,2,Stageline,,\n")
    assert response.context["counts"]["created"] == 1
    assert not CatalogItem.objects.exists()
    response = pm_client.post(reverse("catalog:catalog_import_confirm"), {"mode": "all"})
    assert response.status_code == 302
    assert CatalogItem.objects.get().sku == "A"
    # The stored upload is gone once used.
    response = pm_client.post(reverse("catalog:catalog_import_confirm"), {"mode": "all"})
    assert response.status_code == 302
    assert CatalogItem.objects.count() == 1


def test_import_with_errors_writes_nothing_unless_valid_rows_are_chosen(pm_client):
    SupplierFactory(name="Stageline")
    text = HEADER + "A,One,led,each,1,2,Stageline,,\nB,Two,led,each,x,2,Stageline,,\n"
    response = _upload(pm_client, text)
    body = response.content.decode()
    assert "Import the 1 valid rows" in body
    assert "Unit cost is not a number" in body
    response = pm_client.post(reverse("catalog:catalog_import_confirm"), {"mode": "all"})
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert not CatalogItem.objects.exists()
    pm_client.post(reverse("catalog:catalog_import_confirm"), {"mode": "valid"})
    assert list(CatalogItem.objects.values_list("sku", flat=True)) == ["A"]


def test_import_refuses_a_non_utf8_upload(pm_client):
    response = pm_client.post(
        reverse("catalog:catalog_import"),
        {
            "file": SimpleUploadedFile(
                "x.csv", (HEADER + "A,Caf\xe9,led,each,1,2,S,,\n").encode("cp1252")
            )
        },
    )
    assert "not UTF-8" in response.content.decode()
    assert "catalog_import" not in pm_client.session


def test_import_confirm_is_refused_to_sellers(seller_client):
    assert (
        seller_client.post(reverse("catalog:catalog_import_confirm"), {"mode": "all"}).status_code
        == 403
    )


def test_supplier_pages(pm_client, seller):
    response = pm_client.post(
        reverse("catalog:supplier_create"), {"name": "Rigging Co", "default_lead_time_days": "4"}
    )
    assert response.status_code == 302
    response = pm_client.post(
        reverse("catalog:supplier_create"), {"name": "rigging co", "default_lead_time_days": "-1"}
    )
    assert response.context["form"].errors["default_lead_time_days"]
    seller_client = Client()
    seller_client.force_login(seller)
    assert "Rigging Co" in seller_client.get(reverse("catalog:supplier_list")).content.decode()
