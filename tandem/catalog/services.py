"""Every write to suppliers, the catalog and the rate cards goes through here."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.catalog.access import can_back_date_rates
from tandem.catalog.models import CatalogItem, LabourRole, RoleRate, Supplier
from tandem.core.currencies import default_currency, normalise_currency
from tandem.core.services import apply_changes, check_not_stale, day, full_clean_or_raise
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


def _check_unique(instance, field: str, message: str) -> None:
    # The database compares case-sensitively; people do not ("Stageline" and "stageline").
    value = getattr(instance, field)
    clash = type(instance).objects.filter(**{f"{field}__iexact": value}).exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({field: message})


def _check_unique_name(supplier: Supplier) -> None:
    _check_unique(supplier, "name", "A supplier with this name exists already.")


def _check_unique_sku(item: CatalogItem) -> None:
    _check_unique(item, "sku", "Another catalog item has this SKU.")


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
    supplier = Supplier.objects.select_for_update(of=("self",)).get(pk=supplier.pk)
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
    supplier = Supplier.objects.select_for_update(of=("self",)).get(pk=supplier.pk)
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
    item = (
        CatalogItem.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .get(pk=item.pk)
    )
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
    item = CatalogItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.active:
        item.active = False
        _attribute(item, by, now).save()
    return item


ROLE_FIELDS = ("name", "union", "description", "active")
RATE_NUMBERS = ("cost_rate", "bill_rate", "overtime_multiplier", "minimum_call_hours")
RATE_FIELDS = ("effective_from", *RATE_NUMBERS, "currency")


def _check_unique_role_name(role: LabourRole) -> None:
    _check_unique(role, "name", "A role with this name exists already.")


@transaction.atomic
def do_create_role(by: User | None, *, name: str, **fields) -> LabourRole:
    fields = _clean_text({"name": name, **fields}, "name")
    unknown = set(fields) - set(ROLE_FIELDS)
    if unknown:
        raise ValueError(f"Role fields cannot be set here: {sorted(unknown)}")
    role = LabourRole(**fields)
    full_clean_or_raise(role)
    _check_unique_role_name(role)
    role.save()
    return role


@transaction.atomic
def do_update_role(
    role: LabourRole, by: User | None, changes: dict, *, version: str | None = None
) -> LabourRole:
    role = LabourRole.objects.select_for_update(of=("self",)).get(pk=role.pk)
    check_not_stale(role, version)
    changes = _clean_text(changes, "name")
    if apply_changes(role, changes, ROLE_FIELDS):
        full_clean_or_raise(role)
        _check_unique_role_name(role)
        role.save()
    return role


def _check_one_rate_per_day(rate: RoleRate) -> None:
    clash = RoleRate.objects.filter(role=rate.role_id, effective_from=rate.effective_from)
    if clash.exclude(pk=rate.pk).exists():
        raise ValidationError(
            {"effective_from": f"{rate.role} already has a rate from {day(rate.effective_from)}."}
        )


def _check_not_in_effect(rate: RoleRate, today: dt.date, doing: str) -> None:
    # Estimates copy the rate they were built with; editing it would rewrite history.
    if rate.effective_from <= today:
        raise ValidationError(
            f"This rate has been in effect since {day(rate.effective_from)}, so it cannot be "
            f"{doing}. Add a new rate from a later date instead.",
            code="in_effect",
        )


def check_rate_confirmed(
    rate: RoleRate,
    by: User | None,
    *,
    today: dt.date,
    confirm_below_cost: bool,
    confirm_back_dated: bool,
    changed: frozenset[str] | None = None,
) -> None:
    """Refuse a rate that bills below cost unless confirmed, and one starting before `today`
    unless an admin confirms it; the messages are keyed by the field they are about.

    `changed` (for an edit) limits the checks to what the edit touched; None checks both.
    `by` None is Tandem itself recording rates it was given (the demo, data loads): there
    is nobody to confirm a date, so only the below-cost check applies.
    """
    errors: dict[str, ValidationError] = {}
    money_changed = changed is None or bool(changed & {"cost_rate", "bill_rate"})
    if rate.bills_below_cost and money_changed and not confirm_below_cost:
        errors["bill_rate"] = ValidationError(
            f"The bill rate {rate.bill_rate} is below the cost rate {rate.cost_rate}: every "
            "hour of this role would lose money. Tick “Bill below cost” to save it anyway.",
            code="below_cost",
        )
    date_changed = changed is None or "effective_from" in changed
    back_dated = isinstance(rate.effective_from, dt.date) and rate.effective_from < today
    if by is not None and back_dated and date_changed:
        # Estimates copy their rates when they are built, so a back-dated rate never reaches
        # them: it only changes what the history says the rate was on those days.
        if not can_back_date_rates(by):
            errors["effective_from"] = ValidationError(
                f"{day(rate.effective_from)} is before today: only an admin can back-date a "
                "rate. Estimates already built keep the rates they copied. Start the rate "
                "today or later.",
                code="back_dated",
            )
        elif not confirm_back_dated:
            errors["effective_from"] = ValidationError(
                f"{day(rate.effective_from)} is before today. Estimates already built keep "
                "the rates they copied; only what is priced from now on uses this rate. "
                "Tick “Back-date this rate” to save it.",
                code="back_dated",
            )
    if errors:
        raise ValidationError(errors)


def _attribute_rate(rate: RoleRate, by: User | None, now: dt.datetime | None) -> RoleRate:
    rate._history_user = by
    if now is not None:
        rate._history_date = now
    return rate


@transaction.atomic
def do_add_rate(
    role: LabourRole,
    by: User | None,
    *,
    effective_from: dt.date,
    cost_rate,
    bill_rate,
    today: dt.date | None = None,
    confirm_below_cost: bool = False,
    confirm_back_dated: bool = False,
    now: dt.datetime | None = None,
    **fields,
) -> RoleRate:
    """Give a role a rate from a date on (`today` by default the company's today).

    A bill rate below the cost rate needs `confirm_below_cost`; a date before today is for
    admins only, with `confirm_back_dated` (see check_rate_confirmed).
    """
    unknown = set(fields) - set(RATE_FIELDS)
    if unknown:
        raise ValueError(f"Rate fields cannot be set here: {sorted(unknown)}")
    # Lock the role so two people adding the same date get a message, not a database error.
    role = LabourRole.objects.select_for_update(of=("self",)).get(pk=role.pk)
    if fields.get("currency") is not None:
        fields["currency"] = normalise_currency(fields["currency"]) or default_currency()
    rate = RoleRate(
        role=role,
        effective_from=effective_from,
        cost_rate=cost_rate,
        bill_rate=bill_rate,
        **fields,
    )
    if now is not None:
        rate.created_at = now
    full_clean_or_raise(rate, exclude=["role"])
    # A clash with an existing day is the first thing to fix, whoever may back-date.
    _check_one_rate_per_day(rate)
    check_rate_confirmed(
        rate,
        by,
        today=today or timezone.localdate(),
        confirm_below_cost=confirm_below_cost,
        confirm_back_dated=confirm_back_dated,
    )
    _attribute_rate(rate, by, now).save()
    return rate


@transaction.atomic
def do_update_rate(
    rate: RoleRate,
    by: User | None,
    changes: dict,
    *,
    today: dt.date,
    version: str | None = None,
    confirm_below_cost: bool = False,
    confirm_back_dated: bool = False,
    now: dt.datetime | None = None,
) -> RoleRate:
    """Change a rate that has not started yet; one in effect is never changed. A change that
    makes it bill below cost, or moves it before today, needs the same confirmations as a
    new rate."""
    rate = RoleRate.objects.select_for_update(of=("self",)).select_related("role").get(pk=rate.pk)
    check_not_stale(rate, version)
    _check_not_in_effect(rate, today, "changed")
    before = {name: getattr(rate, name) for name in RATE_FIELDS}
    if changes.get("currency") is not None:
        changes = {
            **changes,
            "currency": normalise_currency(changes["currency"]) or default_currency(),
        }
    if apply_changes(rate, changes, RATE_FIELDS):
        full_clean_or_raise(rate, exclude=["role"])
        _check_one_rate_per_day(rate)
        check_rate_confirmed(
            rate,
            by,
            today=today,
            confirm_below_cost=confirm_below_cost,
            confirm_back_dated=confirm_back_dated,
            changed=frozenset(n for n in RATE_FIELDS if getattr(rate, n) != before[n]),
        )
        _attribute_rate(rate, by, now).save()
    return rate


@transaction.atomic
def do_delete_rate(
    rate: RoleRate, by: User | None, *, today: dt.date, now: dt.datetime | None = None
) -> None:
    """Withdraw a rate that has not started yet (a raise that was not agreed after all)."""
    rate = RoleRate.objects.select_for_update(of=("self",)).select_related("role").get(pk=rate.pk)
    _check_not_in_effect(rate, today, "deleted")
    _attribute_rate(rate, by, now).delete()
