from django.db import models
from django.utils import timezone

from tandem.core.currencies import currency_choices, default_currency, validate_currency


def currency_field(*, company_default: bool = True, **kwargs) -> models.CharField:
    """A currency column: an active ISO 4217 code (tandem.core.currencies), the company's by
    default unless `company_default` is False. Every model that keeps money in a currency
    declares it with this."""
    if company_default:
        kwargs.setdefault("default", default_currency)
    return models.CharField(
        max_length=3,
        choices=currency_choices,
        validators=[validate_currency],
        error_messages={
            "invalid_choice": "“%(value)s” is not a currency we know. Choose one from the list."
        },
        **kwargs,
    )


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed.

    `created_at` takes a value when one is given (imports and the demo company record the past),
    and now otherwise.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxEvent(models.Model):
    """A domain event as it was emitted, kept for the consumers that act after the commit
    (notices now; webhooks, signals and health later). `processed_at` is set once every
    later handler has run; `attempts` counts the drains that tried."""

    name = models.CharField(max_length=80)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(processed_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class CompanyHoliday(models.Model):
    """A day the company does not work beyond public holidays (a shutdown, a company day)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        # The table keeps the name it had when close plans owned the calendar.
        db_table = "closeplans_companyholiday"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"


class PeriodicRun(models.Model):
    """One run of a periodic job for one period (a day): so a second run knows it is one."""

    job = models.CharField(max_length=60)
    period = models.CharField(max_length=30)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        # The table keeps the name it had when notifications owned the scheduler.
        db_table = "notifications_periodicrun"
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="periodicrun_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
