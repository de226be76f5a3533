from django.db import models
from django.db.models import Q

from tandem.catalog.models import LabourRole
from tandem.core.models import TimeStampedModel
from tandem.estimates.models.estimates import VenueType, screen_area_field
from tandem.pipeline.models import ProjectType


class PastProjectSource(models.TextChoices):
    IMPORT = "import", "Imported"
    PROJECT = "project", "Closed project"


class PastProject(TimeStampedModel):
    """A finished project and what it took: the memory that new estimates are compared with.

    The size drivers match an estimate's (project type, venue type, screen area, show days);
    the hours actually worked per role are its `hours` rows.
    """

    reference = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    project_type = models.CharField(max_length=20, choices=ProjectType.choices, blank=True)
    venue_type = models.CharField(max_length=20, choices=VenueType.choices, blank=True)
    screen_area_m2 = screen_area_field()
    show_days = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=PastProjectSource.choices, default=PastProjectSource.IMPORT
    )

    class Meta:
        ordering = ["-completed_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(screen_area_m2__isnull=True) | Q(screen_area_m2__gte=0),
                name="past_project_screen_area_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.name}"


class PastProjectHours(models.Model):
    """The hours one role actually took on a past project."""

    project = models.ForeignKey(PastProject, on_delete=models.CASCADE, related_name="hours")
    role = models.ForeignKey(LabourRole, on_delete=models.PROTECT, related_name="past_hours")
    hours = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["project", "role__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "role"], name="one_actual_per_role"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="past_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.hours} h"
