from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tandem.core.models import TimeStampedModel


class Industry(models.TextChoices):
    CORPORATE = "corporate", "Corporate"
    EDUCATION = "education", "Education"
    EVENTS = "events", "Events & exhibitions"
    GOVERNMENT = "government", "Government"
    HEALTHCARE = "healthcare", "Healthcare"
    HOSPITALITY = "hospitality", "Hospitality"
    HOUSE_OF_WORSHIP = "worship", "House of worship"
    MEDIA = "media", "Media & broadcast"
    RETAIL = "retail", "Retail"
    SPORTS = "sports", "Sports & venues"
    TECHNOLOGY = "technology", "Technology"
    OTHER = "other", "Other"


class Tier(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    KEY = "key", "Key"
    STANDARD = "standard", "Standard"


class AccountStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CUSTOMER = "customer", "Customer"
    FORMER = "former", "Former customer"
    PARTNER = "partner", "Partner"


class Account(TimeStampedModel):
    """A customer organisation, or one we hope will become a customer."""

    name = models.CharField(max_length=200, db_index=True)
    industry = models.CharField(max_length=32, choices=Industry.choices, default=Industry.OTHER)
    website = models.URLField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_accounts"
    )
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    status = models.CharField(
        max_length=16, choices=AccountStatus.choices, default=AccountStatus.PROSPECT
    )
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:account_detail", args=[self.pk])

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        parts = (self.street, place, self.region, self.country)
        return ", ".join(part for part in parts if part)


class Contact(TimeStampedModel):
    """A person we know, wherever they work: their roles at accounts are Stakeholder periods."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, db_index=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("crm:contact_detail", args=[self.pk])


class ContactEmail(models.Model):
    """One email address of a contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(db_index=True)
    label = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "email"], name="contactemail_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class ContactPhone(models.Model):
    """One phone number of a contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    label = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.number


class Influence(models.TextChoices):
    DECISION_MAKER = "decision_maker", "Decision maker"
    CHAMPION = "champion", "Champion"
    USER = "user", "User"
    FINANCE = "finance", "Finance"
    BLOCKER = "blocker", "Blocker"
    OTHER = "other", "Other"


class StakeholderQuerySet(models.QuerySet):
    def current(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def former(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(end_date__lt=day)


class Stakeholder(TimeStampedModel):
    """A contact's role at an account for a period; no end date means they are still there."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="stakeholders")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="stakeholders")
    title = models.CharField(max_length=150, blank=True)
    influence = models.CharField(max_length=20, choices=Influence.choices, default=Influence.OTHER)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="stakeholder_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["account", "end_date"])]

    def __str__(self) -> str:
        return f"{self.contact} — {self.title or self.get_influence_display()} at {self.account}"

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)
