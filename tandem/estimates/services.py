"""Every write to suppliers and the catalog goes through here."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.core.services import apply_changes, check_not_stale, full_clean_or_raise
from tandem.estimates.models import CatalogItem, Supplier
from tandem.people.models import User

SUPPLIER_FIELDS = (
    "name",
    "contact_name",
    "email",
    "phone",
    "website",
    "default_lead_time_days",
    "notes",
    "active",
)
ITEM_FIELDS = (
    "sku",
    "name",
    "category",
    "unit",
    "unit_cost",
    "list_price",
    "supplier",
    "lead_time_days",
    "active",
)


def _clean_text(changes: dict, *names: str) -> dict:
    changes = dict(changes)
    for name in names:
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    return changes


def _check_unique_name(supplier: Supplier) -> None:
    # The database compares case-sensitively; people do not ("Stageline" and "stageline").
    clash = Supplier.objects.filter(name__iexact=supplier.name).exclude(pk=supplier.pk)
    if clash.exists():
        raise ValidationError({"name": "A supplier with this name exists already."})


def _check_unique_sku(item: CatalogItem) -> None:
    if CatalogItem.objects.filter(sku__iexact=item.sku).exclude(pk=item.pk).exists():
        raise ValidationError({"sku": "Another catalog item has this SKU."})


def _check_supplier_usable(item: CatalogItem, was_supplier_id: int | None) -> None:
    if item.supplier_id and item.supplier_id != was_supplier_id and not item.supplier.active:
        raise ValidationError({"supplier": "This supplier is inactive: pick an active one."})


@transaction.atomic
def do_create_supplier(by: User | None, *, name: str, **fields) -> Supplier:
    fields = _clean_text({"name": name, **fields}, "name", "contact_name", "email", "phone")
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise ValueError(f"Supplier fields cannot be set here: {sorted(unknown)}")
    supplier = Supplier(**fields)
    full_clean_or_raise(supplier)
    _check_unique_name(supplier)
    supplier.save()
    return supplier


@transaction.atomic
def do_update_supplier(
    supplier: Supplier, by: User | None, changes: dict, *, version: str | None = None
) -> Supplier:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    check_not_stale(supplier, version)
    changes = _clean_text(changes, "name", "contact_name", "email", "phone")
    if apply_changes(supplier, changes, SUPPLIER_FIELDS):
        full_clean_or_raise(supplier)
        _check_unique_name(supplier)
        supplier.save()
    return supplier


@transaction.atomic
def do_deactivate_supplier(supplier: Supplier, by: User | None) -> Supplier:
    """Stop offering a supplier; its items stay in the catalog (estimates still use them)."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.active:
        supplier.active = False
        supplier.save(update_fields=["active", "updated_at"])
    return supplier


def _attribute(item: CatalogItem, by: User | None, now: dt.datetime | None) -> CatalogItem:
    # simple_history reads these: who made the change, and when.
    item._history_user = by
    if now is not None:
        item._history_date = now
    return item


@transaction.atomic
def do_create_item(
    by: User | None,
    *,
    sku: str,
    name: str,
    supplier: Supplier,
    unit_cost,
    list_price,
    now: dt.datetime | None = None,
    **fields,
) -> CatalogItem:
    fields = _clean_text(
        {
            "sku": sku,
            "name": name,
            "supplier": supplier,
            "unit_cost": unit_cost,
            "list_price": list_price,
            **fields,
        },
        "sku",
        "name",
    )
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Catalog item fields cannot be set here: {sorted(unknown)}")
    item = CatalogItem(**fields)
    if now is not None:
        item.created_at = now
    full_clean_or_raise(item)
    _check_unique_sku(item)
    _check_supplier_usable(item, None)
    _attribute(item, by, now).save()
    return item


@transaction.atomic
def do_update_item(
    item: CatalogItem,
    by: User | None,
    changes: dict,
    *,
    version: str | None = None,
    now: dt.datetime | None = None,
) -> CatalogItem:
    item = CatalogItem.objects.select_for_update().select_related("supplier").get(pk=item.pk)
    check_not_stale(item, version)
    was_supplier_id = item.supplier_id
    changes = _clean_text(changes, "sku", "name")
    if apply_changes(item, changes, ITEM_FIELDS):
        full_clean_or_raise(item)
        _check_unique_sku(item)
        _check_supplier_usable(item, was_supplier_id)
        _attribute(item, by, now).save()
    return item


@transaction.atomic
def do_deactivate_item(
    item: CatalogItem, by: User | None, *, now: dt.datetime | None = None
) -> CatalogItem:
    """Take an item out of new estimates; it stays for the estimates that already use it."""
    item = CatalogItem.objects.select_for_update().get(pk=item.pk)
    if item.active:
        item.active = False
        _attribute(item, by, now).save()
    return item
