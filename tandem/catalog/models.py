"""The cost basis every estimate, project and change order prices from: suppliers, catalog
items, labour roles and their dated cost and bill rates.

The tables keep the names they had when estimating owned them (estimates_*)."""

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

# Landed migrations name the default currency by this path.
from tandem.core.currencies import default_currency  # noqa: F401
from tandem.core.models import TimeStampedModel, currency_field

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Category(models.TextChoices):
    LED = "led", "LED"
    PROCESSING = "processing", "Processing"
    PROJECTION = "projection", "Projection"
    AUDIO = "audio", "Audio"
    RIGGING = "rigging", "Rigging"
    TRUSS = "truss", "Truss"
    LIGHTING = "lighting", "Lighting"
    CABLING = "cabling", "Cabling"
    STAGING = "staging", "Staging"
    OTHER = "other", "Other"


class Unit(models.TextChoices):
    EACH = "each", "Each"
    METRE = "metre", "Metre"
    SQUARE_METRE = "square_metre", "Square metre"
    DAY = "day", "Day"
    WEEK = "week", "Week"
    HOUR = "hour", "Hour"
    SET = "set", "Set"
    PAIR = "pair", "Pair"


class Supplier(TimeStampedModel):
    """Where hardware comes from: who to call and how long they usually take to deliver."""

    name = models.CharField(max_length=120, unique=True)
    contact_name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    default_lead_time_days = models.PositiveSmallIntegerField(
        default=0, help_text="Days from order to delivery, unless an item says otherwise."
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "estimates_supplier"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_lead_time_days__gte=0), name="supplier_lead_time_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:supplier_edit", args=[self.pk])


class CatalogItem(TimeStampedModel):
    """Something an estimate can price: its cost from the supplier and the price we list."""

    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.EACH)
    unit_cost = models.DecimalField(**MONEY)
    list_price = models.DecimalField(**MONEY)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="items")
    lead_time_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty to use the supplier's default."
    )
    active = models.BooleanField(default=True)

    history = HistoricalRecords(table_name="estimates_historicalcatalogitem")

    class Meta:
        db_table = "estimates_catalogitem"
        ordering = ["sku"]
        permissions = [("view_costs", "Can see unit costs")]
        constraints = [
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="item_cost_not_negative"),
            models.CheckConstraint(condition=Q(list_price__gte=0), name="item_price_not_negative"),
            models.CheckConstraint(
                condition=Q(lead_time_days__isnull=True) | Q(lead_time_days__gte=0),
                name="item_lead_time_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:item_detail", args=[self.pk])

    @property
    def effective_lead_time_days(self) -> int:
        if self.lead_time_days is not None:
            return self.lead_time_days
        return self.supplier.default_lead_time_days


class LabourRole(TimeStampedModel):
    """A kind of crew member an estimate books by the hour: stagehand, rigger, programmer."""

    name = models.CharField(max_length=120, unique=True)
    union = models.BooleanField(
        default=False, help_text="Union crews have minimum calls and agreed overtime."
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "estimates_labourrole"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:role_detail", args=[self.pk])


class RoleRateQuerySet(models.QuerySet):
    def on(self, day: dt.date) -> "RoleRateQuerySet":
        """For every role, the one rate in effect on `day` (roles with none are left out)."""
        latest = (
            RoleRate.objects.filter(role=OuterRef("role"), effective_from__lte=day)
            .order_by("-effective_from")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(latest))


class RoleRate(TimeStampedModel):
    """What an hour of a role costs us and what we bill for it, from a date on.

    Rates are append-only once in effect: a raise is a new rate from a later date, never an
    edit, so the history says what any day's rate was. An estimate copies the rates it was
    built with onto its labour lines, so a later raise never changes an estimate already sent.
    """

    role = models.ForeignKey(LabourRole, on_delete=models.PROTECT, related_name="rates")
    effective_from = models.DateField()
    cost_rate = models.DecimalField("Cost rate per hour", **MONEY)
    bill_rate = models.DecimalField("Bill rate per hour", **MONEY)
    overtime_multiplier = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
        validators=[MinValueValidator(1)],
        help_text="Overtime hours are paid and billed at this multiple of the rate.",
    )
    minimum_call_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text="Hours paid per person per call however short the work (union crews).",
    )
    currency = currency_field()

    history = HistoricalRecords(table_name="estimates_historicalrolerate")
    objects = RoleRateQuerySet.as_manager()

    class Meta:
        db_table = "estimates_rolerate"
        ordering = ["role__name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "effective_from"], name="one_rate_per_role_and_day"
            ),
            models.CheckConstraint(condition=Q(cost_rate__gte=0), name="rate_cost_not_negative"),
            models.CheckConstraint(condition=Q(bill_rate__gte=0), name="rate_bill_not_negative"),
            models.CheckConstraint(
                condition=Q(overtime_multiplier__gte=1), name="rate_overtime_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(minimum_call_hours__gte=0), name="rate_minimum_call_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} from {self.effective_from}"

    def in_effect_by(self, day: dt.date) -> bool:
        return self.effective_from <= day

    @property
    def bills_below_cost(self) -> bool:
        # Allowed (a loss leader, a favour), but the people pricing should see it.
        if self.bill_rate is None or self.cost_rate is None:
            return False
        return self.bill_rate < self.cost_rate


def rate_on(role: LabourRole, day: dt.date) -> RoleRate | None:
    """The role's rate in effect on `day`: the latest starting on or before it."""
    return role.rates.filter(effective_from__lte=day).order_by("-effective_from").first()


def rates_on(day: dt.date, roles=None) -> dict[int, RoleRate]:
    """Every role's rate in effect on `day`, by role id, in one query (or only `roles`')."""
    rates = RoleRate.objects.all()
    if roles is not None:
        rates = rates.filter(role__in=roles)
    return {rate.role_id: rate for rate in rates.on(day)}
