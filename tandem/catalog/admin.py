from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tandem.catalog.models import CatalogItem, Supplier


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "default_lead_time_days", "active"]
    search_fields = ["name", "contact_name"]
    list_filter = ["active"]


@admin.register(CatalogItem)
class CatalogItemAdmin(SimpleHistoryAdmin):
    list_display = ["sku", "name", "category", "supplier", "unit_cost", "list_price", "active"]
    search_fields = ["sku", "name"]
    list_filter = ["category", "active", "supplier"]
    list_select_related = ["supplier"]
