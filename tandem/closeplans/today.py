"""Close plans' cards on the Today page: sellers' deals with no plan, their plans that slipped
or are at risk, everyone's checkups, and the executive's hygiene per seller."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.urls import reverse

from tandem.closeplans.checkups import checkup_keys, checkup_steps, find_checkup_rows
from tandem.closeplans.models import ClosePlan, Health, PlanStep
from tandem.core.calendar import company_calendar
from tandem.core.services import day
from tandem.core.templatetags.tandem import money
from tandem.core.today import (
    SHOWN,
    TodayItem,
    TodayList,
    first_and_count,
    local_today,
    register_card,
)
from tandem.people.models import Role
from tandem.people.roles import for_roles
from tandem.pipeline.models import Deal

PLAN_ANCHOR = "#close-plan"
# Estimators (project and resource managers) answer for plan steps as sellers do.
CHECKUP_ROLES = (Role.SELLER, Role.PROJECT_MANAGER, Role.RESOURCE_MANAGER)


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def deals_without_plan(request, user) -> dict:
    """Open deals of the user's with no plan to close them, or a plan with no step yet (the
    hygiene table counts them the same way)."""
    has_steps = Exists(PlanStep.objects.filter(plan__deal_id=OuterRef("pk")))
    deals = Deal.objects.open().filter(owner=user).filter(~has_steps).select_related("account")
    shown, count = first_and_count(deals.order_by("target_close_date", "pk"))
    today = local_today()
    items = [
        TodayItem(
            label=f"{deal.name} · {deal.account.name}",
            url=deal.get_absolute_url(),
            note=f"Closes {day(deal.target_close_date)} · {money(deal.amount, deal.currency)}",
            when=deal.target_close_date,
            tone="danger" if deal.target_close_date < today else "",
            action_label="Lay out the plan",
            action_url=deal.get_absolute_url() + PLAN_ANCHOR,
        )
        for deal in shown
    ]
    return {
        "today": TodayList(
            title="Deals with no close plan",
            count=count,
            items=items,
            icon="bi-signpost-split",
            empty="Every open deal of yours has a close plan.",
        )
    }


def _plan_note(plan: ClosePlan) -> str:
    """What is wrong, in a line: the date the plan can make for a slipped one, else the
    plan's own first reason (which already says the slack left)."""
    deal = plan.deal
    reason = plan.health_reasons[0] if plan.health_reasons else ""
    if plan.health == Health.SLIPPED:
        if plan.proposed_close:
            return (
                f"Slipped: can close {day(plan.proposed_close)}, not {day(deal.target_close_date)}"
            )
        return f"Slipped: {reason}" if reason else "Slipped"
    if reason:
        return f"At risk: {reason}"
    if plan.slack_days is not None:
        return f"At risk: {_days(plan.slack_days)} of slack before {day(deal.target_close_date)}"
    return "At risk"


def plans_in_trouble(request, user) -> dict:
    """The user's open deals whose plan has slipped (the close date can't hold) or is at risk
    (little slack left): slipped first, then the nearest close date."""
    plans = (
        ClosePlan.objects.filter(
            deal__owner=user,
            deal__nurture=False,
            deal__stage__is_won=False,
            deal__stage__is_lost=False,
            health__in=[Health.SLIPPED, Health.AT_RISK],
        )
        .annotate(
            worst=Case(
                When(health=Health.SLIPPED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("deal__account")
    )
    shown, count = first_and_count(plans.order_by("worst", "deal__target_close_date", "deal_id"))
    items = [
        TodayItem(
            label=f"{plan.deal.name} · {plan.deal.account.name}",
            url=plan.deal.get_absolute_url(),
            note=_plan_note(plan),
            when=plan.deal.target_close_date,
            tone="danger" if plan.health == Health.SLIPPED else "warning",
            action_label="Fix the plan",
            action_url=plan.deal.get_absolute_url() + PLAN_ANCHOR,
        )
        for plan in shown
    ]
    return {
        "today": TodayList(
            title="Plans slipped or at risk",
            count=count,
            items=items,
            icon="bi-exclamation-triangle",
            empty="Your close plans are on track.",
        )
    }


_KIND_NOTES = {"overdue": "Overdue since", "blocked": "Blocked", "due_soon": "Due"}


def _checkup_note(row) -> str:
    step = row.step
    if row.kind == "blocked":
        what = f"Blocked: {step.blocker}" if step.blocker else "Blocked"
    elif row.kind == "overdue":
        what = f"Overdue since {day(step.due_date)}"
    else:
        what = f"Due {day(step.due_date)}, no news"
    return f"{what} · {step.plan.deal.name}"


def my_checkups(request, user) -> dict:
    """The plan steps the user answers for that have a checkup today (as on the Checkups
    page's "Mine"): the earliest due first, so overdue ones lead."""
    today = local_today()
    calendar = company_calendar(today)
    keys = checkup_keys(today, user, calendar=calendar)
    count = len(keys)
    first = [pk for _due, pk in keys[:SHOWN]]
    found = checkup_steps(today, calendar=calendar).filter(pk__in=first) if first else []
    shown = sorted(found, key=lambda step: (step.due_date, step.pk))
    mine = reverse("closeplans:checkups") + "?owner=mine"
    rows = {row.step.pk: row for row in find_checkup_rows(shown, today, calendar)}
    items = []
    for step in shown:
        row = rows.get(step.pk)
        if row is None:
            continue
        items.append(
            TodayItem(
                label=step.title,
                url=step.plan.deal.get_absolute_url() + f"#step-{step.pk}",
                note=_checkup_note(row),
                when=step.due_date,
                tone={"overdue": "danger", "blocked": "warning"}.get(row.kind, ""),
                action_label="Check up",
                action_url=f"{mine}#checkup-step-{step.pk}",
            )
        )
    return {
        "today": TodayList(
            title="My checkups",
            count=count,
            items=items,
            icon="bi-clipboard-check",
            more_url=mine,
            empty="No plan step of yours needs a checkup today.",
        )
    }


register_card("closeplans.plans_in_trouble", plans_in_trouble, for_roles(Role.SELLER), 20)
register_card("closeplans.deals_without_plan", deals_without_plan, for_roles(Role.SELLER), 30)
register_card("closeplans.my_checkups", my_checkups, for_roles(*CHECKUP_ROLES), 40)
# A shell: the figures read every open deal, so the card loads them after the page.
register_card(
    "closeplans.hygiene",
    None,
    for_roles(Role.EXECUTIVE),
    120,
    template="closeplans/partials/_today_hygiene.html",
)
