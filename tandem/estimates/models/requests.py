from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tandem.core.models import TimeStampedModel


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    IN_PROGRESS = "in_progress", "In progress"
    RETURNED = "returned", "Returned"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


# Requests still waiting on the estimators: the ones that can be overdue.
OPEN_STATUSES = (RequestStatus.REQUESTED, RequestStatus.IN_PROGRESS)


class EstimatorPart(models.TextChoices):
    EVERYTHING = "everything", "Everything"
    EQUIPMENT = "equipment", "Equipment"
    RIGGING = "rigging", "Rigging"
    LABOUR = "labour", "Labour"
    SCHEDULE = "schedule", "Schedule"


class EstimateRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(needed_by__lt=today)


class EstimateRequest(TimeStampedModel):
    """A seller's ask to the estimators for numbers on a deal: the brief and when it is needed.

    Its status runs requested → in progress → returned → accepted; an estimator may decline
    it with a reason, and a seller may send a returned request round again ("what if we did
    half the booth?"). Every change is kept in its history with who made it.
    """

    # A deal is closed as lost, never deleted: deleting one with requests is refused.
    deal = models.ForeignKey(
        "pipeline.Deal", on_delete=models.PROTECT, related_name="estimate_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="estimate_requests_made",
    )
    title = models.CharField(max_length=200)
    brief = models.TextField(help_text="What the client wants, as much as we know.")
    venue = models.CharField(max_length=200, blank=True)
    dimensions = models.CharField(
        max_length=200, blank=True, help_text="Booth or stage size, ceiling height, screen size."
    )
    event_start = models.DateField(null=True, blank=True)
    event_end = models.DateField(null=True, blank=True)
    needed_by = models.DateField(db_index=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    status_note = models.TextField(
        blank=True, help_text="Why it was declined, or what to change in the next round."
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    estimators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="RequestEstimator",
        related_name="estimate_requests_assigned",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = EstimateRequestQuerySet.as_manager()

    class Meta:
        ordering = ["needed_by", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event_start__isnull=True)
                | Q(event_end__isnull=True)
                | Q(event_end__gte=F("event_start")),
                name="request_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECLINED) | ~Q(status_note=""),
                name="request_declined_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "needed_by"], name="request_open_due_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("estimates:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.needed_by < today


class RequestEstimator(models.Model):
    """One estimator on a request and the part of the estimate they own."""

    request = models.ForeignKey(
        EstimateRequest, on_delete=models.CASCADE, related_name="assignments"
    )
    estimator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="estimate_assignments"
    )
    part = models.CharField(
        max_length=20, choices=EstimatorPart.choices, default=EstimatorPart.EVERYTHING
    )

    class Meta:
        ordering = ["request", "part", "estimator__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "estimator", "part"], name="one_estimator_per_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.estimator} · {self.get_part_display()}"


def attachment_path(instance: "RequestAttachment", filename: str) -> str:
    # The stored name is not the user's: two uploads of "floorplan.pdf" must not collide, and
    # the original name is kept on the row for the download.
    return f"estimate-requests/{instance.request_id}/{filename}"


class RequestAttachment(models.Model):
    """A file that came with the brief: floor plans, renders, the venue's rigging plot."""

    request = models.ForeignKey(
        EstimateRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estimates:attachment_download", args=[self.pk])
