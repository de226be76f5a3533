"""The catalog's card on finance's Today page: labour rates that changed lately or are about
to, with the rate they replace, so invoices and cost reports use the right figures."""

import datetime as dt

from django.urls import reverse

from tandem.catalog.models import RoleRate
from tandem.core.services import day
from tandem.core.templatetags.tandem import money
from tandem.core.today import (
    TodayItem,
    TodayList,
    first_and_count,
    local_today,
    register_card,
)
from tandem.people.models import Role
from tandem.people.roles import for_roles

WINDOW_DAYS = 30


def _before(rate: RoleRate, earlier: list[RoleRate]) -> RoleRate | None:
    """The role's rate just before `rate` took effect, from the role's earlier rates."""
    older = [
        r for r in earlier if r.role_id == rate.role_id and r.effective_from < rate.effective_from
    ]
    return max(older, key=lambda r: r.effective_from, default=None)


def _figures(rate: RoleRate) -> str:
    return (
        f"cost {money(rate.cost_rate, rate.currency)} · bill {money(rate.bill_rate, rate.currency)}"
    )


def rate_changes(request, user) -> dict:
    """Rates that took effect in the last WINDOW_DAYS days or take effect in the next ones,
    the earliest first, each beside the rate it replaces (one query for all of those)."""
    today = local_today()
    window = dt.timedelta(days=WINDOW_DAYS)
    rates = (
        RoleRate.objects.filter(
            effective_from__gte=today - window, effective_from__lte=today + window
        )
        .select_related("role")
        .order_by("effective_from", "role__name", "id")
    )
    shown, count = first_and_count(rates)
    earlier = []
    if shown:
        earlier = list(
            RoleRate.objects.filter(
                role_id__in={rate.role_id for rate in shown},
                effective_from__lt=max(rate.effective_from for rate in shown),
            ).only("role_id", "effective_from", "cost_rate", "bill_rate", "currency")
        )
    items = []
    for rate in shown:
        previous = _before(rate, earlier)
        starts = "From" if rate.effective_from > today else "Since"
        note = f"{starts} {day(rate.effective_from)}: {_figures(rate)} per hour"
        if previous:
            note += f" (was {_figures(previous)})"
        items.append(
            TodayItem(
                label=rate.role.name,
                url=rate.role.get_absolute_url(),
                note=note,
                when=rate.effective_from,
                tone="warning" if rate.bills_below_cost else "",
                action_label="See the rate card",
                action_url=rate.role.get_absolute_url(),
            )
        )
    return {
        "today": TodayList(
            title="Rate changes",
            count=count,
            items=items,
            icon="bi-cash-stack",
            more_url=reverse("catalog:role_list"),
            empty=f"No labour rate changed in the last {WINDOW_DAYS} days or changes in the next.",
            counts_as_work=False,
        )
    }


register_card("catalog.rate_changes", rate_changes, for_roles(Role.FINANCE), 60)
