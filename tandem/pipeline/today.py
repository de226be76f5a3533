"""The pipeline's cards on the Today page: sellers' deals past their close date and this
week's closes; for executives the open pipeline by stage and close month, and the biggest
deals whose close date slipped this week."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone

from tandem.core.charts import Chart, Series
from tandem.core.periods import month_start
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
from tandem.pipeline.models import CloseDateChange, Deal, Stage

CHART_MONTHS = 6
SLIP_DAYS = 7
OVERDUE = "Overdue"


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
    shown, count = first_and_count(deals)
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
    shown, count = first_and_count(deals)
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


def pipeline_by_month(request, user) -> dict:
    """The open pipeline in the company's currency, by target close month (the next
    CHART_MONTHS months from today, plus what is already past its date) and stage.

    Deals in other currencies are left out of the sums (adding them up would mix money) and
    counted under the chart. The sums come grouped by day, not month, and are put in their
    months here: truncating to months in SQLite calls Python once per deal.
    """
    today = local_today()
    months = [month_start(today, offset) for offset in range(CHART_MONTHS)]
    end = month_start(today, CHART_MONTHS)
    currency = settings.TANDEM_CURRENCY
    open_deals = Deal.objects.open().order_by()
    stages = list(Stage.objects.filter(is_won=False, is_lost=False).order_by("order"))
    totals: dict[tuple[int, object], object] = defaultdict(int)
    others = 0
    for row in (
        open_deals.filter(target_close_date__lt=today)
        .values("stage_id", "currency")
        .annotate(total=Sum("amount"), deals=Count("pk"))
    ):
        if row["currency"] == currency:
            totals[row["stage_id"], OVERDUE] += row["total"]
        else:
            others += row["deals"]
    for row in (
        open_deals.filter(target_close_date__gte=today, target_close_date__lt=end)
        .values("stage_id", "currency", "target_close_date")
        .annotate(total=Sum("amount"), deals=Count("pk"))
    ):
        if row["currency"] == currency:
            totals[row["stage_id"], month_start(row["target_close_date"])] += row["total"]
        else:
            others += row["deals"]
    buckets = [OVERDUE, *months]
    chart = Chart(
        name="pipeline-by-month",
        title=f"Open pipeline by target close month and stage ({currency})",
        kind="bar",
        labels=[OVERDUE, *(f"{m:%b %Y}" for m in months)],
        series=[
            Series(stage.name, [totals.get((stage.pk, bucket), 0) for bucket in buckets])
            for stage in stages
        ],
        money=True,
        currency=currency,
        stacked=True,
        height=280,
    )
    return {
        "chart": chart,
        "other_currencies": others,
        "currency": currency,
        "board_url": reverse("pipeline:board"),
        "overdue_url": reverse("pipeline:deal_list") + "?status=open&close_period=overdue",
    }


# Up to this many pushes in the week, the slips are read from the pushes; beyond it, from the
# biggest deals down (so many deals slip that the first five come at once).
FEW_PUSHES = 1000


def slipped_this_week(request, user) -> dict:
    """The biggest open deals whose close date was pushed later in the last SLIP_DAYS days
    and still stands later than before: from the earliest date a push of the week moved it
    from, to its date now. The count is of every deal pushed later in the week.

    The week's pushes are counted from their index alone. When they are few, the five are
    picked from them; when they are many, the open deals are walked from the biggest amount
    down until five have a push, which ends quickly precisely because pushes are common.
    Either way no query reads every push with its deal.
    """
    since = timezone.now() - dt.timedelta(days=SLIP_DAYS)
    pushes = CloseDateChange.objects.filter(changed_at__gte=since, new_date__gt=F("old_date"))
    count = pushes.order_by().aggregate(n=Count("deal_id", distinct=True))["n"]
    slipped = Deal.objects.open().filter(
        Exists(pushes.filter(deal_id=OuterRef("pk"), old_date__lt=OuterRef("target_close_date")))
    )
    if count <= FEW_PUSHES:
        slipped = slipped.filter(pk__in=pushes.values("deal_id"))
    shown = list(slipped.select_related("account", "owner").order_by("-amount", "-pk")[:SHOWN])
    was = (
        dict(
            pushes.filter(deal__in=shown)
            .order_by()
            .values("deal_id")
            .annotate(was=Min("old_date"))
            .values_list("deal_id", "was")
        )
        if shown
        else {}
    )
    items = []
    for deal in shown:
        deal.was = was[deal.pk]
        moved = (deal.target_close_date - deal.was).days
        items.append(
            TodayItem(
                label=f"{deal.name} · {deal.account.name}",
                url=deal.get_absolute_url(),
                note=f"{money(deal.amount, deal.currency)} · {day(deal.was)} → "
                f"{day(deal.target_close_date)} ({moved} day{'' if moved == 1 else 's'} later)"
                f" · {deal.owner.name}",
                when=deal.target_close_date,
                tone="danger" if moved >= 30 else "warning",
                action_label="See why",
                action_url=deal.get_absolute_url() + "#close-date-history",
            )
        )
    return {
        "today": TodayList(
            title="Biggest slips this week",
            count=count,
            items=items,
            icon="bi-calendar2-range",
            footer=f"{count:,} deal{'' if count == 1 else 's'} pushed later in the last {SLIP_DAYS} days"
            if count
            else "",
            empty="No open deal's close date moved later in the last 7 days.",
            counts_as_work=False,
        )
    }


register_card(
    "pipeline.by_month",
    pipeline_by_month,
    for_roles(Role.EXECUTIVE),
    10,
    template="pipeline/partials/_today_pipeline_chart.html",
    slot="wide",
)
register_card("pipeline.slipped_this_week", slipped_this_week, for_roles(Role.EXECUTIVE), 110)
register_card("pipeline.past_close_date", past_close_date, for_roles(Role.SELLER), 10)
register_card("pipeline.closing_this_week", closing_this_week, for_roles(Role.SELLER), 80)
