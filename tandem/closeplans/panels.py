"""What close plans show on other apps' pages: the plan on the deal page, what is new from
the customer (there and on sellers' Today page), the choice to move the plan with the close
date, and the plan's health on board cards."""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.access import can_see_checkups
from tandem.closeplans.checkups import checkup_count
from tandem.closeplans.customer_news import news_by_deal, news_since
from tandem.closeplans.models import ClosePlan, PlanStep
from tandem.closeplans.services.news import describe_activity
from tandem.closeplans.views_plans import plan_context
from tandem.core.calendar import company_calendar
from tandem.core.registry import Panel, hook, register_panel
from tandem.core.today import TodayItem, TodayList, register_card
from tandem.people.models import Role
from tandem.people.roles import for_roles

PLAN_PANEL = "closeplans.plan"
# The deal page lists this many of the customer's updates; the Today card this many deals.
NEWS_LISTED = 20
NEWS_DEALS_SHOWN = 5


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


def customer_news(request, deal) -> dict:
    """What the customer did since this person last opened the deal page; opening it now
    makes that seen (and reads the deal's customer notices)."""
    plan = ClosePlan.objects.filter(deal=deal).only("pk", "deal_id").first()
    if plan is None:
        return {"customer_news": []}
    now = timezone.now()
    seen = services.do_mark_plan_seen(request.user, plan, now=now)
    news = news_since(plan.pk, seen.before, now, NEWS_LISTED)
    for activity in news:
        activity.line = describe_activity(activity)
    return {
        "customer_news": news,
        "customer_news_since": seen.before,
        # The navbar's count was drawn before this panel read the notices: refresh it.
        "customer_news_refresh_bell": seen.notices_read > 0,
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def customer_news_card(request, user) -> dict:
    """The seller's deals whose customer did something on the shared plan since the seller
    last opened the deal, latest first."""
    rows, latest = news_by_deal(user, timezone.now(), NEWS_DEALS_SHOWN)
    items = []
    for row in rows[:NEWS_DEALS_SHOWN]:
        url = reverse("pipeline:deal_detail", args=[row["plan__deal_id"]]) + "#customer-news"
        last = latest.get(row["plan__deal_id"])
        note = _plural(row["updates"], "update")
        if last is not None:
            note += f" · latest: {last.name} {last.get_kind_display().lower()} “{last.step.title}”"
        items.append(
            TodayItem(
                label=f"{row['plan__deal__name']} · {row['plan__deal__account__name']}",
                url=url,
                note=note,
                when=row["latest"],
                action_label="See",
                action_url=url,
            )
        )
    return {
        "today": TodayList(
            title="New from your customers",
            count=len(rows),
            items=items,
            icon="bi-chat-square-text",
            empty="Nothing new on your shared plans since you last looked.",
        )
    }


def my_checkups(request, user) -> dict:
    today = timezone.localdate()
    return {"my_checkups": checkup_count(today, owner=user, calendar=company_calendar(today))}


register_panel(
    Panel(
        page="bell",
        name="closeplans.checkups",
        template="closeplans/partials/_bell_checkups.html",
        context=my_checkups,
        visible=lambda user, obj: can_see_checkups(user),
    )
)
register_panel(
    Panel(
        page="deal",
        name="closeplans.customer_news",
        template="closeplans/partials/_customer_news.html",
        context=customer_news,
        order=5,
    )
)
register_card("closeplans.customer_news", customer_news_card, for_roles(Role.SELLER), 15)
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
