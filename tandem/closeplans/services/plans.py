"""Laying a plan out from a template, its steps, and following the deal's close date."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from tandem.closeplans.logic import (
    RemainingStep,
    StepSpec,
    forward_dues,
    schedule_backwards,
    shift_steps,
)
from tandem.closeplans.models import (
    ClosePlan,
    PlanStep,
    PlanTemplate,
    Side,
    StepComment,
    StepStatus,
    TemplateStep,
    UpdateVia,
)
from tandem.closeplans.services.common import STEP_FIELDS, _attribute, _now, _renumber, _today
from tandem.closeplans.services.health import refresh_health
from tandem.core.calendar import company_calendar
from tandem.core.services import apply_changes, check_not_stale, day, full_clean_or_raise
from tandem.crm.models import Stakeholder
from tandem.people.models import Role, User
from tandem.pipeline.models import Deal
from tandem.pipeline.services import check_close_date_not_passed, do_change_close_date


def _locked_deal(deal: Deal) -> Deal:
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related("stage", "account", "owner")
        .get(pk=deal.pk)
    )


def check_plan_editable(deal: Deal) -> None:
    if deal.stage.is_closed:
        raise ValidationError(
            f"This deal is closed as {deal.stage.name}: its close plan stays as it was."
        )


def _default_owners(deal: Deal, steps: list[TemplateStep]) -> list[tuple]:
    """(owner_user, owner_contact) per template step: our steps go to the person of the
    named role (the deal owner when the role is theirs or none is named), the customer's to
    the current stakeholder of the named influence, if any."""
    by_role = {}
    for role in {s.owner_role for s in steps if s.side == Side.US and s.owner_role}:
        if role in (Role.SELLER, deal.owner.role) or role not in Role.values:
            by_role[role] = deal.owner
        else:
            by_role[role] = (
                User.objects.filter(role=role, is_active=True).order_by("id").first() or deal.owner
            )
    theirs = {}
    for stakeholder in (
        Stakeholder.objects.current()
        .filter(account_id=deal.account_id)
        .select_related("contact")
        .order_by("start_date", "id")
    ):
        theirs.setdefault(stakeholder.influence, stakeholder.contact)
    owners = []
    for step in steps:
        if step.side == Side.US:
            owners.append((by_role.get(step.owner_role, deal.owner), None))
        else:
            owners.append((None, theirs.get(step.owner_role)))
    return owners


@transaction.atomic
def do_apply_template(
    deal: Deal,
    template: PlanTemplate,
    by: User | None,
    *,
    replace: bool = False,
    move_close: bool = False,
    now: dt.datetime | None = None,
) -> ClosePlan:
    """Lay the template's steps out backwards from the deal's target close date.

    When the close date is too near for the template, nothing is written and the error names
    the earliest close that fits; with `move_close` the close date moves there first (recorded
    with its reason). A plan with steps is replaced only with `replace`.
    """
    deal = _locked_deal(deal)
    check_plan_editable(deal)
    today = _today(now)
    if not template.is_active:
        raise ValidationError({"template": "This template is retired: pick another one."})
    template_steps = list(template.steps.order_by("position"))
    if not template_steps:
        raise ValidationError({"template": f"The {template.name} template has no steps yet."})
    plan = ClosePlan.objects.select_for_update(of=("self",)).filter(deal=deal).first()
    if plan is not None and not replace and plan.steps.exists():
        raise ValidationError(
            "This deal has a close plan already: edit its steps, or replace the plan.",
            code="has_plan",
        )
    try:
        # The same rule as the close-date form and the API, never confirmed here: no step can
        # be laid out to a day that has gone.
        check_close_date_not_passed(deal.target_close_date, today)
    except ValidationError as exc:
        raise ValidationError(
            f"The target close date ({day(deal.target_close_date)}) has passed: move it to a "
            "date the customer has agreed to, then lay out the plan.",
            code="close_passed",
        ) from exc
    calendar = company_calendar(today)
    specs = [
        StepSpec(step.title, step.side, step.duration_days, step.lead_days)
        for step in template_steps
    ]
    schedule = schedule_backwards(specs, deal.target_close_date, today, calendar)
    if not schedule.fits:
        if not move_close:
            raise ValidationError(
                f"The {template.name} steps need until {day(schedule.earliest_close)}: a close "
                f"on {day(deal.target_close_date)} is too near to do them from today. Move the "
                "close date, or let Tandem move it to the earliest date that fits.",
                code="too_near",
            )

        needed = calendar.count(calendar.on_or_after(today), schedule.earliest_close)
        deal = do_change_close_date(
            deal,
            by,
            schedule.earliest_close,
            f"The {template.name} close plan needs {needed} business days from today.",
            shift_plan=False,
            now=now,
        )
        schedule = schedule_backwards(specs, deal.target_close_date, today, calendar)
    moment = _now(now)
    if plan is None:
        plan = ClosePlan.objects.create(
            deal=deal, template=template, created_by=by, created_at=moment
        )
    else:
        plan.steps.all().delete()
        plan.template = template
        plan.save(update_fields=["template", "updated_at"])
    owners = _default_owners(deal, template_steps)
    bulk_create_with_history(
        [
            PlanStep(
                plan=plan,
                position=planned.position,
                title=source.title,
                side=source.side,
                owner_user=owner_user,
                owner_contact=owner_contact,
                due_date=planned.due,
                duration_days=planned.duration_days,
                value_statement=source.value_statement,
                last_update_at=moment,
                last_update_by=by,
                created_at=moment,
            )
            for planned, source, (owner_user, owner_contact) in zip(
                schedule.steps, template_steps, owners, strict=True
            )
        ],
        PlanStep,
        default_user=by,
        default_date=moment,
    )
    return refresh_health(plan, today=today, calendar=calendar)


def check_step(step: PlanStep, deal: Deal) -> None:
    """The rules every step keeps, whoever writes it."""
    errors = {}
    if step.due_date and step.due_date > deal.target_close_date:
        errors["due_date"] = (
            f"No step can be due after the close date ({day(deal.target_close_date)}): "
            "move the close date first if the customer needs longer."
        )
    if step.side == Side.CUSTOMER:
        if not step.value_statement.strip():
            errors["value_statement"] = (
                "Say what this step gets the customer to: every ask carries its value."
            )
        if step.owner_user_id:
            errors["owner_user"] = "A customer step is owned by one of the customer's people."
    if step.side == Side.US and step.owner_contact_id:
        errors["owner_contact"] = "Our steps are owned by one of our people."
    if (
        step.owner_contact_id
        and "owner_contact" not in errors
        and not Stakeholder.objects.filter(
            account_id=deal.account_id, contact_id=step.owner_contact_id
        ).exists()
    ):
        errors["owner_contact"] = f"Pick one of {deal.account}'s people."
    if errors:
        raise ValidationError(errors)
    full_clean_or_raise(step, exclude=["plan", "position", "last_update_at"])


def _locked_plan(plan: ClosePlan) -> ClosePlan:
    return (
        ClosePlan.objects.select_for_update(of=("self",))
        .select_related("deal__stage")
        .get(pk=plan.pk)
    )


def _touch(step: PlanStep, by: User | None, via: str, moment: dt.datetime) -> None:
    step.last_update_at = moment
    step.last_update_by = by
    step.last_update_via = via


@transaction.atomic
def do_add_step(
    plan: ClosePlan,
    by: User | None,
    *,
    position: int | None = None,
    now: dt.datetime | None = None,
    **fields,
) -> PlanStep:
    """Add a step to a plan, at the end or at `position` (1 is the first)."""
    plan = _locked_plan(plan)
    check_plan_editable(plan.deal)
    moment = _now(now)
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise ValueError(f"PlanStep fields cannot be set here: {', '.join(sorted(unknown))}")
    step = PlanStep(
        plan=plan,
        position=plan.steps.count() + 1,
        last_update_at=moment,
        last_update_by=by,
        created_at=moment,
        **fields,
    )
    check_step(step, plan.deal)
    _attribute(step, by).save()
    if position is not None:
        _renumber(list(plan.steps.order_by("position")), step, position)
    refresh_health(plan, today=_today(now))
    return step


def _locked_step(step: PlanStep) -> PlanStep:
    return (
        PlanStep.objects.select_for_update(of=("self",))
        .select_related("plan__deal__stage")
        .get(pk=step.pk)
    )


@transaction.atomic
def do_update_step(
    step: PlanStep,
    by: User | None,
    changes: dict,
    *,
    version: str | None = None,
    now: dt.datetime | None = None,
) -> PlanStep:
    """Edit a step's title, side, owner, due date, duration or value; `position` reorders."""
    _locked_plan(step.plan)
    step = _locked_step(step)
    check_not_stale(step, version)
    deal = step.plan.deal
    check_plan_editable(deal)
    changes = dict(changes)
    position = changes.pop("position", None)
    if changes.get("side") == Side.CUSTOMER and "owner_user" not in changes:
        changes["owner_user"] = None
    if changes.get("side") == Side.US and "owner_contact" not in changes:
        changes["owner_contact"] = None
    if apply_changes(step, changes, STEP_FIELDS):
        check_step(step, deal)
        _touch(step, by, UpdateVia.INTERNAL, _now(now))
        _attribute(step, by).save()
    if position is not None and position != step.position:
        _renumber(list(step.plan.steps.order_by("position")), step, position)
    refresh_health(step.plan, today=_today(now))
    return step


@transaction.atomic
def do_remove_step(step: PlanStep, by: User | None, *, now: dt.datetime | None = None) -> None:
    plan = _locked_plan(step.plan)
    check_plan_editable(plan.deal)
    step = _locked_step(step)
    _attribute(step, by).delete()
    _renumber(list(plan.steps.order_by("position")))
    refresh_health(plan, today=_today(now))


@transaction.atomic
def do_set_step_status(
    step: PlanStep,
    by: User | None,
    status: str,
    *,
    blocker: str = "",
    via: str = UpdateVia.INTERNAL,
    reason: str = "",
    version: str | None = None,
    now: dt.datetime | None = None,
) -> PlanStep:
    """Mark a step done, blocked (saying by what) or open again."""
    # Locks go deal, plan, step everywhere, so two writers never wait on each other in turn.
    _locked_plan(step.plan)
    step = _locked_step(step)
    check_not_stale(step, version)
    check_plan_editable(step.plan.deal)
    if status not in StepStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    blocker = blocker.strip()
    if status == StepStatus.BLOCKED and not blocker:
        raise ValidationError({"blocker": "Say what blocks this step, so someone can unblock it."})
    today = _today(now)
    step.status = status
    step.blocker = blocker if status == StepStatus.BLOCKED else ""
    step.completed_on = today if status == StepStatus.DONE else None
    _touch(step, by, via, _now(now))
    full_clean_or_raise(step, exclude=["plan"])
    _attribute(step, by, reason).save()
    refresh_health(step.plan, today=today)
    return step


@transaction.atomic
def do_comment(
    step: PlanStep,
    by: User | None,
    body: str,
    *,
    shared: bool = False,
    via: str = UpdateVia.INTERNAL,
    author_name: str = "",
    now: dt.datetime | None = None,
) -> StepComment:
    """Leave a note on a step; news on a step counts as an update, so its checkup waits."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > 4000:
        raise ValidationError({"body": "Keep a note under 4,000 characters."})
    step = _locked_step(step)
    check_plan_editable(step.plan.deal)
    moment = _now(now)
    comment = StepComment.objects.create(
        step=step,
        created_at=moment,
        author_user=by,
        author_name=author_name.strip()[:120]
        or (by.display_name or by.get_username() if by else ""),
        via=via,
        shared=shared or via == UpdateVia.CUSTOMER_LINK,
        body=body,
    )
    # A customer's word on one of our steps is no news from our side: its checkup still asks.
    if not (via == UpdateVia.CUSTOMER_LINK and step.side == Side.US):
        _touch(step, by, via, moment)
        step.save(
            update_fields=["last_update_at", "last_update_by", "last_update_via", "updated_at"]
        )
    return comment


def follow_close_date(
    deal: Deal,
    old_date: dt.date,
    new_date: dt.date,
    by: User | None,
    *,
    shift_plan: bool = True,
    now: dt.datetime | None = None,
) -> None:
    """Move a plan's open steps with its deal's close date (or only pull in the ones the new
    date would leave behind), then judge the plan again. Done steps keep their dates; a
    closed deal's plan stays as it was; no step moves before today, even after a close date
    confirmed in the past (the plan then shows as slipped rather than all overdue)."""
    plan = ClosePlan.objects.select_for_update(of=("self",)).filter(deal=deal).first()
    if plan is None or deal.stage.is_closed:
        return
    today = _today(now)
    calendar = company_calendar(today)
    steps = list(
        plan.steps.select_for_update(of=("self",))
        .exclude(status=StepStatus.DONE)
        .order_by("position")
    )
    if shift_plan:
        dues = shift_steps([s.due_date for s in steps], old_date, new_date, calendar)
    else:
        latest = calendar.on_or_before(new_date)
        dues = [min(s.due_date, latest) if s.due_date > new_date else s.due_date for s in steps]
    # A step is never moved to a day already gone (a close date confirmed in the past would
    # otherwise make every open step overdue at once): it moves no earlier than today, or
    # stays where it was when that was earlier still.
    floor = calendar.on_or_after(today)
    dues = [max(due, min(step.due_date, floor)) for step, due in zip(steps, dues, strict=True)]
    moment = _now(now)
    for step, due in zip(steps, dues, strict=True):
        if step.due_date != due:
            step.due_date = due
            _touch(step, by, UpdateVia.INTERNAL, moment)
            _attribute(step, by, f"The close date moved to {day(new_date)}").save()
    refresh_health(plan, today=today, calendar=calendar)


@transaction.atomic
def do_accept_proposed_close(
    deal: Deal, by: User | None, reason: str = "", *, now: dt.datetime | None = None
) -> Deal:
    """Take the slipped plan's realistic close date: the change is recorded with its reason
    and the steps left are laid out again from today so they lead to it."""
    deal = _locked_deal(deal)
    check_plan_editable(deal)
    plan = ClosePlan.objects.filter(deal=deal).first()
    today = _today(now)
    if plan is None:
        raise ValidationError("This deal has no close plan to take a date from.")
    refresh_health(plan, today=today)
    if plan.proposed_close is None:
        raise ValidationError("The plan has not slipped: there is no new date to accept.")
    proposed = plan.proposed_close
    calendar = company_calendar(today)
    note = f"The close plan slipped: the steps left need until {day(proposed)}."
    reason = f"{note} {reason.strip()}".strip()
    deal = do_change_close_date(
        deal, by, proposed, reason, shift_plan=False, source="closeplans", now=now
    )
    steps = list(
        plan.steps.select_for_update(of=("self",))
        .exclude(status=StepStatus.DONE)
        .order_by("position")
    )
    remaining = [RemainingStep(s.position, s.duration_days, 0, s.status) for s in steps]
    dues = dict(forward_dues(remaining, today, calendar))
    moment = _now(now)
    for step in steps:
        due = min(dues[step.position], calendar.on_or_before(proposed))
        if step.due_date != due:
            step.due_date = due
            _touch(step, by, UpdateVia.INTERNAL, moment)
            _attribute(step, by, f"Re-planned for the new close on {day(proposed)}").save()
    refresh_health(plan, today=today, calendar=calendar)
    return deal
