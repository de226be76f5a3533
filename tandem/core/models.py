from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed.

    `created_at` takes a value when one is given (imports and the demo company record the past),
    and now otherwise.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
