from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tandem.core.models import TimeStampedModel

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
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_lead_time_days__gte=0), name="supplier_lead_time_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estimates:supplier_edit", args=[self.pk])


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

    history = HistoricalRecords()

    class Meta:
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
        return reverse("estimates:item_detail", args=[self.pk])

    @property
    def effective_lead_time_days(self) -> int:
        if self.lead_time_days is not None:
            return self.lead_time_days
        return self.supplier.default_lead_time_days
