from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from tandem.catalog.models import MONEY, CatalogItem, LabourRole
from tandem.core.models import TimeStampedModel, currency_field

HOURS = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(0)]}
PERCENT = {"max_digits": 7, "decimal_places": 2}


class VenueType(models.TextChoices):
    CONVENTION = "convention", "Convention centre"
    HOTEL = "hotel", "Hotel"
    ARENA = "arena", "Arena"
    THEATRE = "theatre", "Theatre"
    OUTDOOR = "outdoor", "Outdoor"
    CORPORATE = "corporate", "Corporate office"
    OTHER = "other", "Other"


def screen_area_field() -> models.DecimalField:
    """The size driver scenarios and past projects are compared on."""
    return models.DecimalField(
        "Screen area (m²)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class Estimate(TimeStampedModel):
    """One scenario of a deal's estimate ("Full 360° screen", "Half booth") and its versions.

    The lines live on versions: every save writes a new read-only version, and
    `latest_number` says which is current. The size drivers (venue type, screen area, show
    days) describe the scenario so that past projects like it can be found.
    """

    # A deal is closed as lost, never deleted: deleting one with estimates is refused.
    deal = models.ForeignKey("pipeline.Deal", on_delete=models.PROTECT, related_name="estimates")
    request = models.ForeignKey(
        "estimates.EstimateRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="estimates",
    )
    name = models.CharField(max_length=120)
    # The deal's currency when the scenario was made; its lines' money is in it.
    currency = currency_field(company_default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    venue_type = models.CharField(max_length=20, choices=VenueType.choices, blank=True)
    screen_area_m2 = screen_area_field()
    show_days = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    latest_number = models.PositiveIntegerField(default=0)
    # The current version itself, so lists show its figures without a query per scenario.
    latest_version = models.ForeignKey(
        "estimates.EstimateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_version = models.ForeignKey(
        "estimates.EstimateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["deal", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "deal", name="one_scenario_name_per_deal"),
            models.CheckConstraint(
                condition=Q(screen_area_m2__isnull=True) | Q(screen_area_m2__gte=0),
                name="estimate_screen_area_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estimates:estimate_detail", args=[self.pk])

    @property
    def is_accepted(self) -> bool:
        return self.accepted_version_id is not None


class EstimateVersion(models.Model):
    """A saved, read-only state of a scenario: its lines, contingency and their totals.

    The totals are worked out by `logic.totals` when the version is saved and kept here, so
    lists and comparisons need not add the lines up again; they never change afterwards.
    """

    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed, in a line.")
    contingency_pct = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    cost = models.DecimalField(**MONEY)
    price = models.DecimalField(**MONEY)
    margin = models.DecimalField(max_digits=12, decimal_places=2)
    # Wide: selling far below cost gives margins of minus many thousand percent.
    margin_pct = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_low = models.DecimalField(**MONEY)
    budget_high = models.DecimalField(**MONEY)
    longest_lead_time_days = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["estimate", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["estimate", "number"], name="one_version_per_number"),
            models.CheckConstraint(
                condition=Q(budget_low__lte=models.F("budget_high")),
                name="version_budget_low_not_above_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.estimate} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("estimates:version_detail", args=[self.estimate_id, self.number])


class LineKind(models.TextChoices):
    EQUIPMENT = "equipment", "Equipment"
    LABOUR = "labour", "Labour"
    SUBCONTRACT = "subcontract", "Subcontract"
    EXPENSE = "expense", "Expense"


class EstimateLine(models.Model):
    """One line of a version. Which fields matter depends on `kind`:

    - equipment: catalog item, qty × unit cost, priced by markup or a set unit price, lead time;
    - labour: role, crew size × hours (low, likely, high) per person, overtime share and calls,
      with the rate card's rates copied in when the line was first priced;
    - subcontract and expense: a cost and a markup.

    `line_cost`, `line_price` and `expected_hours` are the line's figures from the totals.
    """

    version = models.ForeignKey(EstimateVersion, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    catalog_item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    qty = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    unit_cost = models.DecimalField(**MONEY, default=Decimal("0"))
    unit_price = models.DecimalField(**MONEY, null=True, blank=True)
    markup_pct = models.DecimalField(**PERCENT, default=Decimal("0"))
    lead_time_days = models.PositiveIntegerField(default=0)
    role = models.ForeignKey(
        LabourRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    crew_size = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    hours_low = models.DecimalField(**HOURS, default=Decimal("0"))
    hours_likely = models.DecimalField(**HOURS, default=Decimal("0"))
    hours_high = models.DecimalField(**HOURS, default=Decimal("0"))
    overtime_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0"))
    calls = models.PositiveSmallIntegerField(default=1)
    cost_rate = models.DecimalField(**MONEY, default=Decimal("0"))
    bill_rate = models.DecimalField(**MONEY, default=Decimal("0"))
    overtime_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1"))
    minimum_call_hours = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    cost = models.DecimalField(**MONEY, default=Decimal("0"))
    line_cost = models.DecimalField(**MONEY, default=Decimal("0"))
    line_price = models.DecimalField(**MONEY, default=Decimal("0"))
    expected_hours = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="one_line_per_position"),
            models.CheckConstraint(
                condition=~Q(kind=LineKind.LABOUR) | Q(role__isnull=False),
                name="labour_line_has_role",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_unit_price(self) -> Decimal | None:
        """What one unit costs the client: the set unit price, or the line's price per unit
        when it is priced by markup (None for a line without quantity)."""
        if self.unit_price is not None:
            return self.unit_price
        if self.qty:
            return (self.line_price / self.qty).quantize(Decimal("0.01"))
        return None
