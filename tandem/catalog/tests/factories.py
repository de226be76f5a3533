import datetime as dt
from decimal import Decimal

import factory

from tandem.catalog.models import CatalogItem, LabourRole, RoleRate, Supplier


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Supplier {n}")
    contact_name = "Dana Ortiz"
    default_lead_time_days = 7


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Item {n}")
    category = "led"
    unit = "each"
    unit_cost = Decimal("100.00")
    list_price = Decimal("180.00")
    supplier = factory.SubFactory(SupplierFactory)


class LabourRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourRole

    name = factory.Sequence(lambda n: f"Role {n:04d}")


class RoleRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleRate

    role = factory.SubFactory(LabourRoleFactory)
    effective_from = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    cost_rate = Decimal("50.00")
    bill_rate = Decimal("90.00")
