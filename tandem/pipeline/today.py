"""The pipeline's cards on sellers' Today page: deals past their close date, and this
week's closes."""

import datetime as dt

from django.urls import reverse

from tandem.core.registry import Panel, register_panel
from tandem.core.templatetags.tandem import money
from tandem.core.today import LIST_TEMPLATE, TODAY_PAGE, TodayItem, TodayList, local_today
from tandem.people.models import Role
from tandem.people.roles import for_roles
from tandem.pipeline.models import Deal

SHOWN = 5


def _my_open_deals(user):
    return Deal.objects.open().filter(owner=user).select_related("account")


def _deal_item(deal: Deal, note: str, tone: str = "") -> TodayItem:
    return TodayItem(
        label=f"{deal.name} · {deal.account.name}",
        url=deal.get_absolute_url(),
        note=note,
        when=deal.target_close_date,
        tone=tone,
        action_label="Move date",
        action_url=deal.get_absolute_url() + "#close-date",
    )


def past_close_date(request, user) -> dict:
    today = local_today()
    deals = (
        _my_open_deals(user).filter(target_close_date__lt=today).order_by("target_close_date", "id")
    )
    shown = list(deals[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else deals.count()
    items = [
        _deal_item(
            deal,
            f"Was due {deal.target_close_date:%-d %b} · {(today - deal.target_close_date).days} "
            f"days ago · {money(deal.amount, deal.currency)}",
            "danger",
        )
        for deal in shown
    ]
    return {
        "today": TodayList(
            title="Past their close date",
            count=count,
            items=items,
            icon="bi-calendar-x",
            more_url=reverse("pipeline:deal_list") + f"?owner={user.pk}&close_period=overdue",
            empty="None of your open deals is past its close date.",
        )
    }


def closing_this_week(request, user) -> dict:
    today = local_today()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    deals = (
        _my_open_deals(user)
        .filter(target_close_date__gte=today, target_close_date__lte=week_end)
        .order_by("target_close_date", "id")
    )
    shown = list(deals[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else deals.count()
    items = [
        _deal_item(
            deal,
            f"Closes {deal.target_close_date:%a %-d %b} · {money(deal.amount, deal.currency)}"
            + (f" · next: {deal.next_step}" if deal.next_step else ""),
        )
        for deal in shown
    ]
    return {
        "today": TodayList(
            title="Closing this week",
            count=count,
            items=items,
            icon="bi-flag",
            more_url=reverse("pipeline:deal_list") + f"?owner={user.pk}",
            empty="Nothing of yours is due to close this week.",
            counts_as_work=False,
        )
    }


register_panel(
    Panel(
        page=TODAY_PAGE,
        name="pipeline.past_close_date",
        template=LIST_TEMPLATE,
        context=past_close_date,
        visible=for_roles(Role.SELLER),
        order=10,
    )
)
register_panel(
    Panel(
        page=TODAY_PAGE,
        name="pipeline.closing_this_week",
        template=LIST_TEMPLATE,
        context=closing_this_week,
        visible=for_roles(Role.SELLER),
        order=80,
    )
)
