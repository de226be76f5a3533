"""Moving the cost basis from estimates to catalog keeps every row, history and permission."""

import datetime as dt
from decimal import Decimal

from tandem.core.tests.migrating import migrate

BEFORE = [("estimates", "0004_deal_protected"), ("catalog", None)]
AFTER = [("estimates", "0005_catalog_moves_out"), ("catalog", "0001_initial")]


def test_the_catalog_and_rate_cards_are_there_after_the_move(back_to_latest):
    old = migrate(BEFORE)
    supplier = old.get_model("estimates", "Supplier").objects.create(name="Brightline LED")
    old.get_model("estimates", "CatalogItem").objects.create(
        sku="LED-P26",
        name="LED panel 2.6 mm",
        category="video",
        unit="each",
        unit_cost=Decimal("410.00"),
        list_price=Decimal("690.00"),
        supplier=supplier,
    )
    role = old.get_model("estimates", "LabourRole").objects.create(name="Union rigger")
    old.get_model("estimates", "RoleRate").objects.create(
        role=role,
        effective_from=dt.date(2027, 1, 1),
        cost_rate=Decimal("62.00"),
        bill_rate=Decimal("118.00"),
    )
    content_type = old.get_model("contenttypes", "ContentType")
    item_type, _ = content_type.objects.get_or_create(app_label="estimates", model="catalogitem")
    old.get_model("auth", "Permission").objects.get_or_create(
        content_type=item_type, codename="view_costs", defaults={"name": "Can see unit costs"}
    )

    new = migrate(AFTER)

    item = new.get_model("catalog", "CatalogItem").objects.select_related("supplier").get()
    assert (item.sku, item.supplier.name, item.unit_cost) == (
        "LED-P26",
        "Brightline LED",
        Decimal("410.00"),
    )
    rate = new.get_model("catalog", "RoleRate").objects.select_related("role").get()
    assert (rate.role.name, rate.bill_rate) == ("Union rigger", Decimal("118.00"))
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=item_type.pk)
    assert moved.app_label == "catalog"
    assert (
        new.get_model("auth", "Permission")
        .objects.filter(content_type=moved, codename="view_costs")
        .exists()
    )

    back = migrate(BEFORE)
    assert back.get_model("estimates", "CatalogItem").objects.get().sku == "LED-P26"
