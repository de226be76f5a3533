"""Forms of the plan-template pages and the company's days off. They parse input; the
services judge it (a customer step's value, a name already taken, a date already off)."""

from django import forms
from django.core.exceptions import ValidationError

from tandem.closeplans.models import MAX_BUSINESS_DAYS, PlanTemplate, Side, TemplateStep
from tandem.core.calendar import YEARS_AHEAD
from tandem.core.forms import DateInput, FriendlyErrorsMixin, StyledFormMixin
from tandem.crm.models import Influence
from tandem.people.models import Role

# Crew are scheduled on projects; they do not own the steps that lead to a sale.
OUR_ROLES = [(value, label) for value, label in Role.choices if value != Role.CREW]
THEIR_ROLES = list(Influence.choices)
OUR_ROLES_GROUP = "Our people"
THEIR_ROLES_GROUP = "The customer's"


def owner_role_label(side: str, value: str) -> str:
    """How a step's owner role reads: our role's name, or the customer's influence."""
    labels = dict(OUR_ROLES if side == Side.US else THEIR_ROLES)
    return labels.get(value, value)


class TemplateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PlanTemplate
        fields = ["name", "project_type", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"is_active": "In use: offered when laying out a close plan"}

    def _post_clean(self):
        # The service validates the model once (a name already taken comes back from it).
        pass


def _days_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_BUSINESS_DAYS,
        label=label,
        help_text=help_text,
        error_messages={
            "invalid": "Enter a whole number of business days.",
            "min_value": "Business days cannot be negative.",
            "max_value": f"At most {MAX_BUSINESS_DAYS} business days (about a year).",
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_BUSINESS_DAYS}),
    )


class TemplateStepForm(StyledFormMixin, forms.Form):
    """One step of a template. The owner role is one of our roles for our steps and one of
    the customer's influences for theirs: when the plan is laid out, that is who gets it."""

    title = forms.CharField(max_length=200)
    side = forms.ChoiceField(choices=Side.choices)
    owner_role = forms.ChoiceField(required=False, label="Usually owned by")
    duration_days = _days_field("Business days of work", "Empty or 0 for a milestone")
    lead_days = _days_field(
        "Done this many business days before the close",
        "Empty: right before the next step starts",
    )
    value_statement = forms.CharField(
        max_length=250,
        required=False,
        label="Gets us to",
        help_text="What doing it unlocks, e.g. “a fixed scope”; required for the customer's steps",
    )

    def __init__(self, *args, step: TemplateStep | None = None, **kwargs):
        if step is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(step, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.step = step
        self.legacy_role = ""
        groups = [(OUR_ROLES_GROUP, OUR_ROLES), (THEIR_ROLES_GROUP, THEIR_ROLES)]
        # Some values (finance) are both ours and theirs: the select marks the first match,
        # so the group of the step's side comes first.
        if self._side() == Side.CUSTOMER:
            groups.reverse()
        choices = [("", "— anyone —"), *groups]
        # A role typed before the choices existed stays until someone picks another one.
        if step is not None and step.owner_role and step.owner_role not in _known_roles():
            self.legacy_role = step.owner_role
            choices.append(("Kept from before", [(step.owner_role, step.owner_role)]))
        self.fields["owner_role"].choices = choices
        # The page hides the other side's group; these name the groups for it.
        self.fields["owner_role"].widget.attrs.update(
            {"data-us-group": OUR_ROLES_GROUP, "data-customer-group": THEIR_ROLES_GROUP}
        )

    def _side(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("side"), "")
        return self.initial.get("side", "")

    def clean(self):
        cleaned = super().clean()
        side, role = cleaned.get("side"), cleaned.get("owner_role")
        if role and side and role != self.legacy_role:
            if side == Side.US and role not in dict(OUR_ROLES):
                self.add_error("owner_role", "Our steps are owned by one of our roles.")
            if side == Side.CUSTOMER and role not in dict(THEIR_ROLES):
                self.add_error(
                    "owner_role", "The customer's steps are owned by one of their people."
                )
        return cleaned

    def step_fields(self) -> dict:
        """The cleaned data as the template services take it."""
        data = dict(self.cleaned_data)
        data["owner_role"] = data.get("owner_role") or ""
        data["value_statement"] = (data.get("value_statement") or "").strip()
        data["title"] = data["title"].strip()
        return data


def _known_roles() -> set[str]:
    return {value for value, _ in OUR_ROLES} | {value for value, _ in THEIR_ROLES}


class MoveForm(FriendlyErrorsMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class ReorderForm(FriendlyErrorsMixin, forms.Form):
    """A template's steps in their new order, as step ids. Anything but exactly the
    template's steps (one missing, one twice, one of another template) is refused: the page
    it came from no longer matches the template."""

    order = forms.MultipleChoiceField(
        error_messages={"invalid_choice": "That step is not part of this template."}
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = list(steps)
        self.fields["order"].choices = [(str(step.pk), step.title) for step in self.steps]

    def clean_order(self):
        wanted = [int(value) for value in self.cleaned_data["order"]]
        if sorted(wanted) != sorted(step.pk for step in self.steps):
            raise ValidationError(
                "The steps changed since this page was opened: here they are as they stand "
                "now. Move them again."
            )
        return wanted

    def moves(self) -> list[tuple[TemplateStep, int]]:
        """(step, new position) for each position change the new order needs, in order."""
        by_pk = {step.pk: step for step in self.steps}
        current = [step.pk for step in sorted(self.steps, key=lambda step: step.position)]
        wanted = self.cleaned_data["order"]
        return [(by_pk[pk], position) for pk, position in reorder_moves(current, wanted)]


def reorder_moves(current: list, wanted: list) -> list[tuple[object, int]]:
    """The moves, as (item, position from 1), that turn `current` into `wanted`.

    A move takes the item out and puts it back at that position, as the template services
    do. One dragged step is one move whichever way it went: the moves are built placing
    items from the front and from the back, and the shorter list wins.
    """
    if sorted(current, key=str) != sorted(wanted, key=str):
        raise ValueError("the new order must hold the same items")
    forward = _moves(list(current), wanted, range(len(wanted)))
    backward = _moves(list(current), wanted, range(len(wanted) - 1, -1, -1))
    return forward if len(forward) <= len(backward) else backward


def _moves(order: list, wanted: list, indexes) -> list[tuple[object, int]]:
    moves = []
    for index in indexes:
        item = wanted[index]
        if order[index] != item:
            order.remove(item)
            order.insert(index, item)
            moves.append((item, index + 1))
    return moves


class PreviewForm(StyledFormMixin, forms.Form):
    close = forms.DateField(label="Lay it out for a close on", widget=DateInput())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_close(self):
        close = self.cleaned_data["close"]
        if close < self.today:
            raise ValidationError("That date has passed: pick a close from today on.")
        if close.year > self.today.year + YEARS_AHEAD:
            # The business calendar (and so the holidays it skips) ends there.
            raise ValidationError(f"Pick a close before {self.today.year + YEARS_AHEAD + 1}.")
        return close


class HolidayForm(StyledFormMixin, forms.Form):
    date = forms.DateField(widget=DateInput())
    name = forms.CharField(max_length=120, help_text="e.g. “Year-end shutdown”")
