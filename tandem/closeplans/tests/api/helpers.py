"""What the close plans' API tests share: the endpoints and small readers of answers."""

import datetime as dt

from django.utils import timezone

from tandem.closeplans.models import PlanStep

TEMPLATES = "/api/v1/plan-templates/"
PLANS = "/api/v1/close-plans/"
STEPS = "/api/v1/plan-steps/"
CHECKUPS = "/api/v1/checkups/"


def today() -> dt.date:
    return timezone.localdate()


def titles(response) -> list[str]:
    return [row["title"] for row in response.data["results"]]


def steps_of(plan) -> list[PlanStep]:
    return list(plan.steps.order_by("position"))
