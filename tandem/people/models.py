from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SELLER = "seller", "Seller"
    PROJECT_MANAGER = "project_manager", "Project manager"
    RESOURCE_MANAGER = "resource_manager", "Resource manager"
    FINANCE = "finance", "Finance"
    EXECUTIVE = "executive", "Executive"
    ADMIN = "admin", "Admin"
    CREW = "crew", "Crew"


class User(AbstractUser):
    """One of our people: someone who signs in to Tandem, or crew we schedule.

    `role` decides the Django group (and so the permissions) the user belongs to; change it
    through `people.services.do_set_role` so the two never disagree.
    """

    display_name = models.CharField(max_length=150, blank=True)
    title = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SELLER)

    class Meta:
        ordering = ["display_name", "username"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username
