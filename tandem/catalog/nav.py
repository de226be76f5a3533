"""The cost basis (catalog, suppliers, rate cards) under Company in the top navigation."""

from tandem.core.registry import NavItem, needs, register_nav_item

register_nav_item(
    NavItem(
        name="catalog.items",
        label="Catalog",
        url_name="catalog:catalog_list",
        group="Company",
        section="Cost basis",
        order=92,
        active=("catalog:catalog_", "catalog:item_"),
        visible=needs("catalog.view_catalogitem"),
    )
)
register_nav_item(
    NavItem(
        name="catalog.suppliers",
        label="Suppliers",
        url_name="catalog:supplier_list",
        group="Company",
        section="Cost basis",
        order=93,
        active=("catalog:supplier_",),
        visible=needs("catalog.view_supplier"),
    )
)
register_nav_item(
    NavItem(
        name="catalog.rate_cards",
        label="Rate cards",
        url_name="catalog:role_list",
        group="Company",
        section="Cost basis",
        order=94,
        active=("catalog:role_", "catalog:rate_"),
        visible=needs("catalog.view_labourrole"),
    )
)
