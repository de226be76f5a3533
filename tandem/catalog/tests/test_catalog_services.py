from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.catalog import services
from tandem.catalog.models import CatalogItem, Supplier
from tandem.catalog.tests.factories import CatalogItemFactory, SupplierFactory
from tandem.core.services import version_of

pytestmark = pytest.mark.django_db


def test_a_supplier_is_created_with_its_default_lead_time():
    s = services.do_create_supplier(None, name="  Stageline ", default_lead_time_days=10)
    assert s.name == "Stageline"
    assert s.default_lead_time_days == 10


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "default_lead_time_days": -1}, "default_lead_time_days"),
        ({"name": "X", "email": "not-an-email"}, "email"),
        ({"name": "X", "website": "nope"}, "website"),
    ],
)
def test_a_bad_supplier_is_refused_on_its_field(fields, field):
    with pytest.raises(ValidationError) as exc:
        services.do_create_supplier(None, **fields)
    assert field in exc.value.message_dict
    assert not Supplier.objects.exists()


def test_supplier_names_are_unique_whatever_the_case():
    SupplierFactory(name="Stageline")
    with pytest.raises(ValidationError) as exc:
        services.do_create_supplier(None, name="stageline")
    assert "name" in exc.value.message_dict


def test_an_item_is_created_and_its_history_records_who(project_manager):
    supplier = SupplierFactory(default_lead_time_days=12)
    item = services.do_create_item(
        project_manager,
        sku="LED-2.6",
        name="2.6 mm LED panel",
        supplier=supplier,
        unit_cost=Decimal("210.00"),
        list_price=Decimal("380.00"),
        category="led",
    )
    assert item.effective_lead_time_days == 12
    assert item.history.get().history_user == project_manager


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"unit_cost": Decimal("-1")}, "unit_cost"),
        ({"list_price": Decimal("-0.01")}, "list_price"),
        ({"unit_cost": Decimal("1.234")}, "unit_cost"),
        ({"category": "toaster"}, "category"),
        ({"sku": ""}, "sku"),
        ({"lead_time_days": -3}, "lead_time_days"),
    ],
)
def test_a_bad_item_is_refused_on_its_field(changes, field):
    supplier = SupplierFactory()
    data = {
        "sku": "A-1",
        "name": "Thing",
        "supplier": supplier,
        "unit_cost": Decimal("1"),
        "list_price": Decimal("2"),
    } | changes
    with pytest.raises(ValidationError) as exc:
        services.do_create_item(None, **data)
    assert field in exc.value.message_dict
    assert not CatalogItem.objects.exists()


def test_skus_are_unique_whatever_the_case():
    CatalogItemFactory(sku="LED-1")
    with pytest.raises(ValidationError) as exc:
        services.do_create_item(
            None,
            sku="led-1",
            name="x",
            supplier=SupplierFactory(),
            unit_cost=Decimal(1),
            list_price=Decimal(1),
        )
    assert "sku" in exc.value.message_dict


def test_an_inactive_supplier_cannot_take_new_items():
    supplier = SupplierFactory(active=False)
    with pytest.raises(ValidationError) as exc:
        services.do_create_item(
            None, sku="A", name="x", supplier=supplier, unit_cost=1, list_price=1
        )
    assert "supplier" in exc.value.message_dict


def test_the_second_of_two_edits_from_the_same_copy_is_refused():
    item = CatalogItemFactory(list_price=Decimal("100.00"))
    version = version_of(item)
    services.do_update_item(item, None, {"list_price": Decimal("120.00")}, version=version)
    with pytest.raises(ValidationError) as exc:
        services.do_update_item(item, None, {"list_price": Decimal("90.00")}, version=version)
    assert exc.value.code == "stale"
    item.refresh_from_db()
    assert item.list_price == Decimal("120.00")


def test_a_stale_supplier_edit_is_refused():
    supplier = SupplierFactory()
    version = version_of(supplier)
    services.do_update_supplier(supplier, None, {"phone": "1"}, version=version)
    with pytest.raises(ValidationError):
        services.do_update_supplier(supplier, None, {"phone": "2"}, version=version)
    supplier.refresh_from_db()
    assert supplier.phone == "1"


def test_a_refused_update_changes_nothing():
    item = CatalogItemFactory(name="Keep")
    with pytest.raises(ValidationError):
        services.do_update_item(item, None, {"name": "New", "unit_cost": Decimal("-5")})
    item.refresh_from_db()
    assert item.name == "Keep"


def test_deactivating_keeps_the_item_and_records_it():
    item = CatalogItemFactory()
    services.do_deactivate_item(item, None)
    item.refresh_from_db()
    assert not item.active
    assert item.history.count() == 2
    supplier = services.do_deactivate_supplier(item.supplier, None)
    assert not supplier.active


def test_the_demo_catalog_is_seeded_through_the_services_and_only_once():
    import datetime as dt
    from types import SimpleNamespace

    from tandem.demo.catalog import ITEMS, SUPPLIERS, create_catalog

    ctx = SimpleNamespace(users={}, now=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    create_catalog(ctx)
    create_catalog(ctx)
    assert Supplier.objects.count() == len(SUPPLIERS) == 6
    assert CatalogItem.objects.count() == len(ITEMS) >= 40
    assert all(i.list_price >= i.unit_cost for i in CatalogItem.objects.all())
    assert CatalogItem.history.count() == len(ITEMS)
