"""Plan templates and their steps: what a plan is laid out from."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.closeplans.models import (
    PlanTemplate,
    Side,
    TemplateStep,
)
from tandem.closeplans.services.common import (
    TEMPLATE_FIELDS,
    TEMPLATE_STEP_FIELDS,
    _renumber,
)
from tandem.core.services import apply_changes, full_clean_or_raise
from tandem.people.models import User


@transaction.atomic
def do_create_template(by: User | None, **fields) -> PlanTemplate:
    """Add a plan template (its steps come with do_add_template_step)."""
    template = PlanTemplate(**fields)
    full_clean_or_raise(template)
    template.save()
    return template


@transaction.atomic
def do_create_template_with_steps(
    by: User | None, *, steps: Iterable[tuple], **fields
) -> PlanTemplate:
    """Add a template and its steps in one go; each step is a tuple in TEMPLATE_STEP_FIELDS
    order (title, side, owner role, duration, lead, value)."""
    template = do_create_template(by, **fields)
    for step in steps:
        do_add_template_step(template, **dict(zip(TEMPLATE_STEP_FIELDS, step, strict=True)))
    return template


@transaction.atomic
def do_update_template(template: PlanTemplate, by: User | None, changes: dict) -> PlanTemplate:
    template = PlanTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    if apply_changes(template, changes, TEMPLATE_FIELDS):
        full_clean_or_raise(template)
        template.save()
    return template


@transaction.atomic
def do_delete_template(template: PlanTemplate, by: User | None) -> None:
    """Delete a template and its steps. Plans laid out from it keep their steps; they only
    lose the link to it (retiring it with is_active=False keeps that link)."""
    PlanTemplate.objects.filter(pk=template.pk).delete()


def check_template_step(step: TemplateStep) -> None:
    if step.side == Side.CUSTOMER and not step.value_statement.strip():
        raise ValidationError(
            {
                "value_statement": "Say what this customer step gets us to: every ask carries its value."
            }
        )
    full_clean_or_raise(step, exclude=["template", "position"])


@transaction.atomic
def do_add_template_step(template: PlanTemplate, **fields) -> TemplateStep:
    """Append a step to a template (or insert it at `position`, 1 being the first)."""
    template = PlanTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    position = fields.pop("position", None)
    count = template.steps.count()
    step = TemplateStep(template=template, position=count + 1, **fields)
    check_template_step(step)
    step.save()
    if position is not None:
        _renumber(list(template.steps.all()), step, position)
    return step


@transaction.atomic
def do_update_template_step(step: TemplateStep, changes: dict) -> TemplateStep:
    step = TemplateStep.objects.select_for_update(of=("self",)).get(pk=step.pk)
    position = changes.pop("position", None) if "position" in changes else None
    if apply_changes(step, changes, TEMPLATE_STEP_FIELDS):
        check_template_step(step)
        step.save()
    if position is not None and position != step.position:
        _renumber(list(step.template.steps.all()), step, position)
    return step


@transaction.atomic
def do_remove_template_step(step: TemplateStep) -> None:
    template = PlanTemplate.objects.select_for_update(of=("self",)).get(pk=step.template_id)
    step.delete()
    _renumber(list(template.steps.all()))
