from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tandem.core.links import SignedLink
from tandem.core.models import TimeStampedModel
from tandem.pipeline.models import ProjectType


class Side(models.TextChoices):
    US = "us", "Us"
    CUSTOMER = "customer", "Customer"


class StepStatus(models.TextChoices):
    OPEN = "open", "Open"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"


class UpdateVia(models.TextChoices):
    INTERNAL = "internal", "Tandem"
    CUSTOMER_LINK = "customer_link", "Customer link"


class Health(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    SLIPPED = "slipped", "Slipped"


# Business days are bounded so a typo (365 instead of 3) cannot push a plan years back.
MAX_BUSINESS_DAYS = 260


class PlanTemplate(TimeStampedModel):
    """The usual steps to close a kind of project, laid out backwards from a close date."""

    name = models.CharField(max_length=120, unique=True)
    project_type = models.CharField(max_length=24, choices=ProjectType.choices, db_index=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["project_type", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("closeplans:template_detail", args=[self.pk])


class TemplateStep(models.Model):
    """One step of a template: who does it, how long it takes, what it unlocks."""

    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    side = models.CharField(max_length=10, choices=Side.choices)
    owner_role = models.CharField(
        max_length=60,
        blank=True,
        help_text="Who usually owns it: one of our roles, or the customer's (e.g. Finance)",
    )
    duration_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_BUSINESS_DAYS)],
        help_text="Business days of work; empty or 0 for a milestone",
    )
    lead_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_BUSINESS_DAYS)],
        help_text="Business days before the close it must be done; empty: right before the "
        "next step",
    )
    value_statement = models.CharField(
        max_length=250, blank=True, help_text="What it gets us to, e.g. “a fixed scope”"
    )

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="templatestep_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(side="customer") | ~Q(value_statement=""),
                name="templatestep_customer_has_value",
                violation_error_message="A customer step needs the value it unlocks.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ClosePlan(TimeStampedModel):
    """The steps that lead a deal to its close date, shared by us and the customer.

    Health is kept on the row (refreshed on every change and each morning) so the board and
    lists show it without reading the steps.
    """

    # A deal is closed as lost, never deleted: deleting one with a plan is refused.
    deal = models.OneToOneField(
        "pipeline.Deal", on_delete=models.PROTECT, related_name="close_plan"
    )
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    health = models.CharField(
        max_length=10, choices=Health.choices, default=Health.ON_TRACK, db_index=True
    )
    proposed_close = models.DateField(null=True, blank=True)
    slack_days = models.IntegerField(null=True, blank=True)
    health_reasons = models.JSONField(default=list, blank=True)
    health_checked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["deal"]
        indexes = [
            # A seller's plans in trouble (Today) from their deals, without reading the plans.
            models.Index(fields=["deal", "health"], name="closeplan_deal_health_idx"),
        ]

    def __str__(self) -> str:
        return f"Close plan for {self.deal}"

    @property
    def has_slipped(self) -> bool:
        return self.health == Health.SLIPPED


class PlanStep(TimeStampedModel):
    """One step of a close plan, owned by one of our people or one of the customer's."""

    plan = models.ForeignKey(ClosePlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    side = models.CharField(max_length=10, choices=Side.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
    )
    owner_contact = models.ForeignKey(
        "crm.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_steps",
    )
    due_date = models.DateField()
    duration_days = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_BUSINESS_DAYS)]
    )
    value_statement = models.CharField(max_length=250, blank=True)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN)
    blocker = models.CharField(max_length=250, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    last_update_at = models.DateTimeField()
    last_update_via = models.CharField(
        max_length=16, choices=UpdateVia.choices, default=UpdateVia.INTERNAL
    )
    last_update_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"],
                name="planstep_unique_position",
            ),
            models.CheckConstraint(
                condition=~Q(side="customer") | ~Q(value_statement=""),
                name="planstep_customer_has_value",
                violation_error_message="A customer step needs the value it unlocks.",
            ),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(blocker=""),
                name="planstep_blocked_has_blocker",
                violation_error_message="Say what blocks this step.",
            ),
            models.CheckConstraint(
                condition=Q(owner_user__isnull=True) | Q(owner_contact__isnull=True),
                name="planstep_one_owner",
                violation_error_message="A step has one owner: one of ours or one of theirs.",
            ),
        ]
        indexes = [
            # Checkups read the steps still to do, by due date.
            models.Index(fields=["status", "due_date"], name="planstep_checkup_idx"),
            models.Index(fields=["owner_user", "status", "due_date"], name="planstep_owner_idx"),
            # The steps that fall to a deal's owner, read plan by plan from the index alone
            # (a seller's Today page walks thousands of their plans).
            models.Index(
                fields=["plan", "status", "due_date", "owner_user", "last_update_at"],
                name="planstep_plan_checkup_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == StepStatus.DONE

    @property
    def owner_name(self) -> str:
        if self.owner_user_id:
            return self.owner_user.name
        if self.owner_contact_id:
            return str(self.owner_contact)
        return ""


class StepComment(models.Model):
    """A note on a step: from us (internal unless shared) or from the customer's link."""

    step = models.ForeignKey(PlanStep, on_delete=models.CASCADE, related_name="comments")
    created_at = models.DateTimeField(db_index=True)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=120, blank=True)
    via = models.CharField(max_length=16, choices=UpdateVia.choices, default=UpdateVia.INTERNAL)
    shared = models.BooleanField(default=False, help_text="The customer sees it on the shared plan")
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ShareLink(SignedLink):
    """A private link that shows one deal's plan to the customer without signing in."""

    SALT = "tandem.closeplans.share"

    plan = models.ForeignKey(ClosePlan, on_delete=models.CASCADE, related_name="share_links")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Link to {self.plan}"


class CustomerActivityKind(models.TextChoices):
    TICKED = "ticked", "Ticked off"
    REOPENED = "reopened", "Reopened"
    COMMENTED = "commented", "Commented on"


class CustomerActivity(models.Model):
    """Something the customer did on the shared plan through its link: a step ticked off or
    reopened, or a comment. The seller's "new from the customer" and the notices read these.
    """

    plan = models.ForeignKey(ClosePlan, on_delete=models.CASCADE, related_name="customer_activity")
    step = models.ForeignKey(PlanStep, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        StepComment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=CustomerActivityKind.choices)
    name = models.CharField(max_length=120, help_text="The name the customer gave")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["plan", "at"], name="customeractivity_plan_at_idx"),
            # The plans with customer activity lately, whoever owns them (Today's card).
            models.Index(fields=["at", "plan"], name="customeractivity_at_plan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_kind_display().lower()} {self.step}"


class PlanSeen(models.Model):
    """When one of our people last opened a deal page with its plan: what the customer did
    after that is "new from the customer" for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ClosePlan, on_delete=models.CASCADE, related_name="seen_by")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "plan"], name="planseen_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.plan} at {self.seen_at:%Y-%m-%d %H:%M}"
