from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tandem.core.models import TimeStampedModel, currency_field


class Stage(models.Model):
    """A step of the sales pipeline; won and lost stages close a deal."""

    name = models.CharField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    probability = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(100)], help_text="Default win probability, %"
    )
    is_won = models.BooleanField(default=False)
    is_lost = models.BooleanField(default=False)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(is_won=True) & Q(is_lost=True)), name="stage_not_won_and_lost"
            ),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_pct"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.is_won or self.is_lost


class ForecastCategory(models.TextChoices):
    COMMIT = "commit", "Commit"
    BEST_CASE = "best_case", "Best case"
    PIPELINE = "pipeline", "Pipeline"
    OMITTED = "omitted", "Omitted"


class ProjectType(models.TextChoices):
    AV_INSTALLATION = "av_installation", "AV installation"
    EVENT_STAGING = "event_staging", "Event staging"
    SERVICE_CONTRACT = "service_contract", "Service contract"
    RENTAL = "rental", "Rental"
    OTHER = "other", "Other"


class DealSource(models.TextChoices):
    REFERRAL = "referral", "Referral"
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"
    EXISTING = "existing", "Existing customer"
    PARTNER = "partner", "Partner"
    TRADE_SHOW = "trade_show", "Trade show"


class LostReason(models.TextChoices):
    PRICE = "price", "Price"
    COMPETITOR = "competitor", "Went with a competitor"
    TIMING = "timing", "Timing / budget moved"
    NO_DECISION = "no_decision", "No decision"
    SCOPE = "scope", "We could not deliver the scope"
    OTHER = "other", "Other"


class DealQuerySet(models.QuerySet):
    def in_pipeline(self):
        """Deals someone is working: not nurtured (closed ones included)."""
        return self.filter(nurture=False)

    def open(self):
        return self.filter(nurture=False, stage__is_won=False, stage__is_lost=False)


class Deal(TimeStampedModel):
    """A sale we are working on with an account (the articles' "opportunity").

    Every change of `target_close_date` goes through `pipeline.services.do_change_close_date`,
    which keeps a CloseDateChange row; nurture takes the deal off the board without losing it.
    """

    name = models.CharField(max_length=200)
    account = models.ForeignKey("crm.Account", on_delete=models.PROTECT, related_name="deals")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_deals"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals")
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = currency_field()
    target_close_date = models.DateField(db_index=True)
    probability = models.PositiveSmallIntegerField(default=10, validators=[MaxValueValidator(100)])
    forecast_category = models.CharField(
        max_length=16, choices=ForecastCategory.choices, default=ForecastCategory.PIPELINE
    )
    requested_delivery_date = models.DateField(null=True, blank=True)
    project_type = models.CharField(
        max_length=24, choices=ProjectType.choices, default=ProjectType.AV_INSTALLATION
    )
    source = models.CharField(max_length=16, choices=DealSource.choices, blank=True)
    next_step = models.CharField(max_length=250, blank=True)
    # When the seller last wrote (or confirmed) the next step: other apps ask for a fresh one
    # after something that changes the deal's course, such as an accepted scenario.
    next_step_updated_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    lost_reason = models.CharField(max_length=16, choices=LostReason.choices, blank=True)
    lost_note = models.TextField(blank=True)
    nurture = models.BooleanField(default=False)
    nurture_since = models.DateField(null=True, blank=True)
    nurture_note = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "next_step_updated_at"])

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["target_close_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="deal_amount_not_negative"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="deal_probability_pct"),
        ]
        indexes = [
            # A board column's first cards, in close-date order, without sorting.
            models.Index(fields=["stage", "target_close_date", "id"], name="deal_board_cards_idx"),
            # The biggest deals first, read in order (the week's biggest slips, on Today).
            models.Index(fields=["amount", "id"], name="deal_amount_idx"),
            # A seller's deals in close-date order, and whether each is open, from the index
            # alone: Today's cards count and sort thousands of them without reading a row.
            models.Index(
                fields=["owner", "target_close_date", "nurture", "stage", "id"],
                name="deal_owner_open_idx",
            ),
            # Covers the board's per-column totals, so they never read the table itself.
            models.Index(
                fields=["stage", "closed_on", "nurture", "currency", "amount", "probability"],
                name="deal_board_totals_idx",
            ),
            # Covers the executive's Today chart (open money by stage and close month), so
            # its sums read the index alone, not the table.
            models.Index(
                fields=["stage", "target_close_date", "nurture", "currency", "amount"],
                name="deal_stage_close_money_idx",
            ),
        ]
        permissions = [("change_own_deal", "Can change deals they own")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pipeline:deal_detail", args=[self.pk])

    @property
    def weighted_amount(self):
        return self.amount * self.probability / 100


class CloseDateChange(models.Model):
    """One move of a deal's target close date: who, when, from, to and why."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="close_date_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(db_index=True)
    old_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField(blank=True)
    # The new date was already past when it was set: someone confirmed it, with a reason.
    set_in_past = models.BooleanField(default=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["deal", "-changed_at"]),
            # The week's pushes counted from the index alone (the executive's Today page).
            models.Index(
                fields=["changed_at", "deal", "old_date", "new_date"],
                name="closedatechange_push_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal}: {self.old_date} → {self.new_date}"

    @property
    def days_moved(self) -> int:
        return (self.new_date - self.old_date).days


class ActivityKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "Email"


class Activity(TimeStampedModel):
    """Something that happened with an account, perhaps about one of its deals: a note, call,
    meeting or email. (It lives with the deals it can be about; its table keeps the name it
    had when it lived in crm.)"""

    kind = models.CharField(max_length=16, choices=ActivityKind.choices, default=ActivityKind.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
    )
    occurred_at = models.DateTimeField(db_index=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="activities")
    deal = models.ForeignKey(
        Deal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    contacts = models.ManyToManyField("crm.Contact", blank=True, related_name="activities")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_activities"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        db_table = "crm_activity"
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["account", "-occurred_at"], name="crm_activit_account_72b763_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
