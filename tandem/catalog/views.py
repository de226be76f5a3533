"""Catalog, supplier and rate-card pages, and the catalog CSV import (its pages: import_pages.py)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.catalog import imports as catalog_import
from tandem.catalog import services
from tandem.catalog.access import (
    can_back_date_rates,
    can_edit_catalog,
    can_edit_rates,
    can_edit_suppliers,
    can_see_costs,
    require_catalog_editor,
    require_rate_editor,
    require_supplier_editor,
)
from tandem.catalog.filters import CatalogFilter
from tandem.catalog.forms import (
    CatalogItemForm,
    ImportUploadForm,
    LabourRoleForm,
    RoleRateForm,
    SupplierForm,
)
from tandem.catalog.import_pages import ImportFlow, import_confirm, import_page
from tandem.catalog.models import CatalogItem, LabourRole, RoleRate, Supplier, rates_on
from tandem.core.access import require_perm
from tandem.core.forms import submit
from tandem.core.history import history_for
from tandem.core.pages import paginate, query_without, sort_queryset
from tandem.core.services import day, version_of

ITEM_SORTS = {
    "sku": ("sku",),
    "name": ("name", "id"),
    "category": ("category", "sku"),
    "supplier": ("supplier__name", "sku"),
    "price": ("list_price", "sku"),
    "cost": ("unit_cost", "sku"),
    "lead": ("lead_days", "sku"),
}
CATALOG_IMPORT = ImportFlow(
    namespace="catalog",
    name="catalog",
    title="Import catalog items",
    key_label="SKU",
    list_label="Catalog",
    form_class=ImportUploadForm,
    dry_run=catalog_import.dry_run,
    write=catalog_import.do_import_catalog,
)


def _catalog_items():
    return CatalogItem.objects.select_related("supplier").annotate(
        lead_days=Coalesce("lead_time_days", "supplier__default_lead_time_days")
    )


@require_GET
def catalog_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "catalog.view_catalogitem")
    item_filter = CatalogFilter(request.GET, queryset=_catalog_items(), request=request)
    items = item_filter.qs if item_filter.is_valid() else item_filter.queryset.none()
    sees_costs = can_see_costs(request.user)
    sorts = ITEM_SORTS if sees_costs else {k: v for k, v in ITEM_SORTS.items() if k != "cost"}
    items, sort = sort_queryset(request, items, sorts, "sku")
    return render(
        request,
        "catalog/catalog_list.html",
        {
            "section": "catalog",
            "filter": item_filter,
            "page_obj": paginate(request, items),
            "sort": sort,
            "query_without_sort": query_without(request, "sort", "page"),
            "query_without_page": query_without(request, "page"),
            "sees_costs": sees_costs,
            "can_edit": can_edit_catalog(request.user),
        },
    )


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "catalog.view_catalogitem")
    item = get_object_or_404(_catalog_items(), pk=pk)
    sees_costs = can_see_costs(request.user)
    history = history_for(item)
    if not sees_costs:
        # The history would otherwise tell what the item costs.
        for entry in history:
            entry.changes = [c for c in entry.changes if c.label != "Unit cost"]
    return render(
        request,
        "catalog/item_detail.html",
        {
            "section": "catalog",
            "item": item,
            "history": history,
            "sees_costs": sees_costs,
            "can_edit": can_edit_catalog(request.user),
        },
    )


def _create_page(request, form_class, create, message, template, context, *, done=None):
    """A create form: the service writes; refused input comes back on the form. Goes to the
    new row's page, or to `done`."""
    form = form_class(request.POST or None)

    def write(data):
        data = dict(data)
        data.pop("version", None)
        return create(request.user, **data)

    if created := submit(request, form, write, message):
        return redirect(done or created)
    return render(request, template, {**context, "form": form})


def _edit_page(request, instance, form_class, update, message, template, context, *, done=None):
    """An edit form that refuses a save based on an old copy (the version it was opened at)."""
    form = form_class(
        request.POST or None, instance=instance, initial={"version": version_of(instance)}
    )

    def write(data):
        data = dict(data)
        version = data.pop("version", None)
        return update(instance, request.user, data, version=version)

    if saved := submit(request, form, write, message):
        return redirect(done or saved)
    return render(request, template, {**context, "form": form})


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    require_catalog_editor(request.user)
    return _create_page(
        request,
        CatalogItemForm,
        services.do_create_item,
        lambda i: f"{i.sku} added to the catalog.",
        "catalog/item_form.html",
        {"section": "catalog", "item": None},
    )


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_catalog_editor(request.user)
    item = get_object_or_404(CatalogItem, pk=pk)
    return _edit_page(
        request,
        item,
        CatalogItemForm,
        services.do_update_item,
        lambda i: f"{i.sku} saved.",
        "catalog/item_form.html",
        {"section": "catalog", "item": item},
    )


@require_POST
def item_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require_catalog_editor(request.user)
    item = get_object_or_404(CatalogItem, pk=pk)
    item = services.do_deactivate_item(item, request.user)
    messages.success(request, f"{item.sku} is no longer offered for new estimates.")
    return redirect(item)


@require_GET
def supplier_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "catalog.view_supplier")
    suppliers = Supplier.objects.annotate(item_count=Count("items")).order_by("name")
    return render(
        request,
        "catalog/supplier_list.html",
        {
            "section": "catalog",
            "page_obj": paginate(request, suppliers),
            "query_without_page": query_without(request, "page"),
            "can_edit": can_edit_suppliers(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def supplier_create(request: HttpRequest) -> HttpResponse:
    require_supplier_editor(request.user)
    return _create_page(
        request,
        SupplierForm,
        services.do_create_supplier,
        lambda s: f"Supplier {s.name} added.",
        "catalog/supplier_form.html",
        {"section": "catalog", "supplier": None},
        done="catalog:supplier_list",
    )


@require_http_methods(["GET", "POST"])
def supplier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_supplier_editor(request.user)
    supplier = get_object_or_404(Supplier, pk=pk)
    return _edit_page(
        request,
        supplier,
        SupplierForm,
        services.do_update_supplier,
        lambda s: f"Supplier {s.name} saved.",
        "catalog/supplier_form.html",
        {"section": "catalog", "supplier": supplier},
        done="catalog:supplier_list",
    )


@require_http_methods(["GET", "POST"])
def catalog_import_page(request: HttpRequest) -> HttpResponse:
    require_catalog_editor(request.user)
    return import_page(request, CATALOG_IMPORT)


@require_POST
def catalog_import_confirm(request: HttpRequest) -> HttpResponse:
    require_catalog_editor(request.user)
    return import_confirm(request, CATALOG_IMPORT)


def _upcoming_rates(today: dt.date) -> Prefetch:
    return Prefetch(
        "rates",
        queryset=RoleRate.objects.filter(effective_from__gt=today).order_by("effective_from"),
        to_attr="upcoming_rates",
    )


@require_GET
def role_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "catalog.view_labourrole")
    today = timezone.localdate()
    roles = LabourRole.objects.prefetch_related(_upcoming_rates(today)).order_by("name")
    page_obj = paginate(request, roles)
    current = rates_on(today, roles=[role.pk for role in page_obj])
    for role in page_obj:
        role.current_rate = current.get(role.pk)
    return render(
        request,
        "catalog/role_list.html",
        {
            "section": "rates",
            "page_obj": page_obj,
            "query_without_page": query_without(request, "page"),
            "sees_costs": can_see_costs(request.user),
            "can_edit": can_edit_rates(request.user),
            "today": today,
        },
    )


@require_GET
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "catalog.view_labourrole")
    role = get_object_or_404(LabourRole, pk=pk)
    today = timezone.localdate()
    rates = list(role.rates.order_by("-effective_from"))
    current = next((r for r in rates if r.effective_from <= today), None)
    for rate in rates:
        rate.is_current = rate is current
        rate.is_upcoming = rate.effective_from > today
    return render(
        request,
        "catalog/role_detail.html",
        {
            "section": "rates",
            "role": role,
            "rates": rates,
            "current_rate": current,
            "sees_costs": can_see_costs(request.user),
            "can_edit": can_edit_rates(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def role_create(request: HttpRequest) -> HttpResponse:
    require_rate_editor(request.user)
    return _create_page(
        request,
        LabourRoleForm,
        services.do_create_role,
        lambda r: f"Role {r.name} added: now give it a rate.",
        "catalog/role_form.html",
        {"section": "rates", "role": None},
    )


@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_rate_editor(request.user)
    role = get_object_or_404(LabourRole, pk=pk)
    return _edit_page(
        request,
        role,
        LabourRoleForm,
        services.do_update_role,
        lambda r: f"Role {r.name} saved.",
        "catalog/role_form.html",
        {"section": "rates", "role": role},
    )


def _rate_saved(role: LabourRole):
    def message(rate: RoleRate) -> str:
        text = f"{role.name}: rate from {day(rate.effective_from)} saved."
        if rate.bills_below_cost:
            text += " Note: it bills below cost."
        return text

    return message


@require_http_methods(["GET", "POST"])
def rate_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_rate_editor(request.user)
    role = get_object_or_404(LabourRole, pk=pk)
    latest = role.rates.order_by("-effective_from").first()
    initial = {"effective_from": timezone.localdate()}
    if latest:
        # A raise usually keeps the overtime and minimum-call terms of the rate before it.
        initial |= {
            "overtime_multiplier": latest.overtime_multiplier,
            "minimum_call_hours": latest.minimum_call_hours,
            "currency": latest.currency,
        }
    today = timezone.localdate()
    form = RoleRateForm(
        request.POST or None,
        initial=initial,
        today=today,
        can_back_date=can_back_date_rates(request.user),
    )

    def write(data):
        data = dict(data)
        data.pop("version", None)
        return services.do_add_rate(role, request.user, today=today, **data)

    if submit(request, form, write, _rate_saved(role)):
        return redirect(role)
    return render(
        request,
        "catalog/rate_form.html",
        {"section": "rates", "form": form, "role": role, "rate": None},
    )


@require_http_methods(["GET", "POST"])
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_rate_editor(request.user)
    rate = get_object_or_404(RoleRate.objects.select_related("role"), pk=pk)
    role = rate.role
    today = timezone.localdate()
    if rate.effective_from <= today:
        messages.error(
            request,
            f"The rate from {day(rate.effective_from)} is in effect and cannot be changed: "
            "add a new rate from a later date.",
        )
        return redirect(role)
    form = RoleRateForm(
        request.POST or None,
        instance=rate,
        initial={"version": version_of(rate)},
        today=today,
        can_back_date=can_back_date_rates(request.user),
    )

    def write(data):
        data = dict(data)
        version = data.pop("version", None)
        confirmations = {
            name: data.pop(name) for name in ("confirm_below_cost", "confirm_back_dated")
        }
        return services.do_update_rate(
            rate, request.user, data, today=today, version=version, **confirmations
        )

    if submit(request, form, write, _rate_saved(role)):
        return redirect(role)
    return render(
        request,
        "catalog/rate_form.html",
        {"section": "rates", "form": form, "role": role, "rate": rate},
    )


@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_rate_editor(request.user)
    rate = get_object_or_404(RoleRate.objects.select_related("role"), pk=pk)
    try:
        services.do_delete_rate(rate, request.user, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The rate from {day(rate.effective_from)} was withdrawn.")
    return redirect(rate.role)
