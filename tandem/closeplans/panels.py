"""What close plans show on other apps' pages: the plan on the deal page, the choice to move
the plan with the close date, and the plan's health on board cards."""

from django.db.models import Prefetch, prefetch_related_objects

from tandem.closeplans.models import ClosePlan, PlanStep
from tandem.closeplans.views_plans import plan_context
from tandem.core.registry import Panel, hook, register_panel

PLAN_PANEL = "closeplans.plan"


def _plan(request, deal, *, forms=None, step_forms=None) -> dict:
    return plan_context(request, deal, forms=forms, step_forms=step_forms)


def _has_steps(deal) -> bool:
    return PlanStep.objects.filter(plan__deal=deal).exists()


@hook("pipeline.close_date_followed")
def plan_follows_close_date(deal) -> bool:
    """Whether moving `deal`'s close date moves plan steps too (the deal form asks)."""
    return _has_steps(deal)


def _prepare_cards(request, deals: list) -> None:
    # The cards' plan health (kept on the plan row) in one query for the whole board.
    prefetch_related_objects(
        deals,
        Prefetch(
            "close_plan",
            ClosePlan.objects.only("deal_id", "health", "proposed_close", "health_reasons"),
        ),
    )


register_panel(
    Panel(
        page="deal",
        name=PLAN_PANEL,
        template="closeplans/partials/_plan.html",
        context=_plan,
        order=10,
    )
)
register_panel(
    Panel(
        page="deal",
        name="closeplans.shift_plan",
        slot="close_date_form",
        template="closeplans/partials/_close_date_shift.html",
        context=lambda request, deal: {"plan_has_steps": _has_steps(deal)},
    )
)
register_panel(
    Panel(
        page="board_card",
        name="closeplans.health",
        slot="badges",
        template="closeplans/partials/_card_badge.html",
        prepare=_prepare_cards,
    )
)
register_panel(
    Panel(
        page="board",
        name="closeplans.hygiene",
        slot="top",
        template="closeplans/partials/_board_hygiene.html",
        visible=lambda user, obj: user.has_perm("pipeline.view_deal"),
    )
)
