"""The customer's private link to a plan, and what the customer does through it."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.closeplans.models import (
    ClosePlan,
    CustomerActivityKind,
    PlanStep,
    ShareLink,
    Side,
    StepComment,
    StepStatus,
    UpdateVia,
)
from tandem.closeplans.services.common import _now
from tandem.closeplans.services.news import do_record_customer_activity
from tandem.closeplans.services.plans import check_plan_editable, do_comment, do_set_step_status
from tandem.core.links import mark_used, new_link, open_link, revoke_link
from tandem.people.models import User


def share_token(link: ShareLink) -> str:
    """The value the customer's URL carries: the link's random token, signed."""
    return link.signed_token()


@transaction.atomic
def do_create_share_link(
    plan: ClosePlan, by: User | None, *, days: int | None = None, now: dt.datetime | None = None
) -> ShareLink:
    """Make a private link to the plan for the customer; it works for `days` days."""
    check_plan_editable(plan.deal)
    days = settings.TANDEM_SHARE_LINK_DAYS if days is None else days
    return new_link(ShareLink, by, days=days, now=_now(now), plan=plan)


def do_revoke_share_link(
    link: ShareLink, by: User | None, *, now: dt.datetime | None = None
) -> ShareLink:
    return revoke_link(link, by, now=_now(now))


def open_share_link(value: str, *, now: dt.datetime | None = None) -> ShareLink:
    """Return the live link a customer URL carries, or raise core.links.LinkRefused."""
    links = ShareLink.objects.select_related("plan__deal__account", "plan__deal__stage")
    return open_link(links, value, now=_now(now))


def _customer_step(link: ShareLink, step_id, now) -> PlanStep:
    link = open_share_link(share_token(link), now=now)
    step = (
        PlanStep.objects.select_for_update(of=("self",))
        .filter(pk=step_id, plan_id=link.plan_id)
        .first()
    )
    if step is None:
        raise ValidationError("That step is not part of this plan.")
    if link.plan.deal.stage.is_closed:
        raise ValidationError("This deal is closed: its plan can no longer change.")
    return step


@transaction.atomic
def do_customer_mark_step(
    link: ShareLink, step_id, done: bool, name: str, *, now: dt.datetime | None = None
) -> PlanStep:
    """The customer ticks (or unticks) one of their own steps through the link."""
    step = _customer_step(link, step_id, now)
    if step.side != Side.CUSTOMER:
        raise ValidationError("Only your own steps can be ticked off here.")
    if step.status == StepStatus.BLOCKED and done is False:
        return step
    status = StepStatus.DONE if done else StepStatus.OPEN
    if step.status == status:
        return step
    mark_used(link, now=_now(now))
    who = name.strip()[:120] or "the customer"
    step = do_set_step_status(
        step,
        None,
        status,
        via=UpdateVia.CUSTOMER_LINK,
        reason=f"From the customer link, by {who}",
        now=now,
    )
    kind = CustomerActivityKind.TICKED if done else CustomerActivityKind.REOPENED
    do_record_customer_activity(link.plan, step, kind, name, now=now)
    return step


@transaction.atomic
def do_customer_comment(
    link: ShareLink, step_id, body: str, name: str, *, now: dt.datetime | None = None
) -> StepComment:
    """The customer leaves a comment on a step of the shared plan."""
    step = _customer_step(link, step_id, now)
    if not name.strip():
        raise ValidationError({"name": "Tell us your name, so we know who wrote."})
    mark_used(link, now=_now(now))
    comment = do_comment(step, None, body, via=UpdateVia.CUSTOMER_LINK, author_name=name, now=now)
    do_record_customer_activity(
        link.plan, step, CustomerActivityKind.COMMENTED, name, comment=comment, now=now
    )
    return comment
