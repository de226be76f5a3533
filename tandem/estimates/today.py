"""Estimates' cards on the Today page: the estimates returned to a seller, the requests waiting
on an estimator and the deals they work on that close soon, and for finance the deals won
lately with the scenario the client accepted (what will be invoiced)."""

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.urls import reverse

from tandem.core.services import day
from tandem.core.templatetags.tandem import money
from tandem.core.today import (
    TodayItem,
    TodayList,
    first_and_count,
    local_today,
    register_card,
)
from tandem.estimates.models import (
    Estimate,
    EstimateRequest,
    EstimatorPart,
    RequestEstimator,
    RequestStatus,
)
from tandem.people.models import Role
from tandem.people.roles import for_roles
from tandem.pipeline.models import Deal

ESTIMATOR_ROLES = (Role.PROJECT_MANAGER, Role.RESOURCE_MANAGER)
SOON_DAYS = 30
WON_DAYS = 30


def _ago(when: dt.date, today: dt.date) -> str:
    days = (today - when).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def _requests_list() -> str:
    return reverse("estimates:request_list") + "?tab=mine"


def returned_to_me(request, user) -> dict:
    """Requests the estimators returned on the user's open deals that nobody has acted on yet:
    "returned" until the seller accepts a scenario or sends the request round again, so each
    one waits on the seller. The longest waiting first."""
    requests = (
        EstimateRequest.objects.filter(
            status=RequestStatus.RETURNED,
            deal__owner=user,
            deal__nurture=False,
            deal__stage__is_won=False,
            deal__stage__is_lost=False,
        )
        .annotate(scenarios=Count("estimates", filter=Q(estimates__latest_number__gt=0)))
        .select_related("deal__account")
        .order_by("status_changed_at", "id")
    )
    shown, count = first_and_count(requests)
    today = local_today()
    items = []
    for req in shown:
        returned = req.status_changed_at.date() if req.status_changed_at else None
        note = f"Returned {_ago(returned, today)}" if returned else "Returned"
        note += f" · {req.scenarios} scenario{'' if req.scenarios == 1 else 's'}"
        if req.status_note:
            note += f" · “{req.status_note}”"
        items.append(
            TodayItem(
                label=f"{req.title} · {req.deal.account.name}",
                url=req.get_absolute_url(),
                note=note,
                when=returned,
                action_label="Choose a scenario",
                action_url=req.get_absolute_url() + "#scenarios",
            )
        )
    return {
        "today": TodayList(
            title="Estimates returned to you",
            count=count,
            items=items,
            icon="bi-calculator",
            more_url=_requests_list(),
            empty="No estimate waits on you. Ask for one from a deal's page.",
        )
    }


def assigned_to_me(request, user) -> dict:
    """Open requests the user estimates (any part), the most overdue first."""
    mine = RequestEstimator.objects.filter(estimator=user)
    part = Subquery(mine.filter(request=OuterRef("pk")).order_by("part").values("part")[:1])
    requests = (
        EstimateRequest.objects.open()
        .filter(pk__in=mine.values("request"))
        .annotate(my_part=part)
        .select_related("deal__account", "requested_by")
        .order_by("needed_by", "id")
    )
    shown, count = first_and_count(requests)
    today = local_today()
    items = []
    for req in shown:
        overdue = req.needed_by < today
        when = (
            f"Overdue since {day(req.needed_by)}" if overdue else f"Needed by {day(req.needed_by)}"
        )
        part = EstimatorPart(req.my_part).label.lower() if req.my_part else ""
        who = req.requested_by.name if req.requested_by else ""
        note = " · ".join(
            bit
            for bit in (when, f"your part: {part}" if part else "", f"from {who}" if who else "")
            if bit
        )
        items.append(
            TodayItem(
                label=f"{req.title} · {req.deal.account.name}",
                url=req.get_absolute_url(),
                note=note,
                when=req.needed_by,
                tone="danger" if overdue else ("warning" if req.needed_by == today else ""),
                action_label="Start" if req.status == RequestStatus.REQUESTED else "Work on it",
                action_url=req.get_absolute_url() + "#work",
            )
        )
    return {
        "today": TodayList(
            title="Estimate requests for you",
            count=count,
            items=items,
            icon="bi-inbox",
            more_url=_requests_list(),
            empty="No estimate request waits on you.",
        )
    }


def my_deals_closing_soon(request, user) -> dict:
    """Open deals the user is on (owns, or estimates one of its requests) whose target close
    date falls in the next SOON_DAYS days: the nearest first. Tandem has no deal team, so
    being an estimator on a request is what puts a project manager on a deal."""
    today = local_today()
    estimating = RequestEstimator.objects.filter(estimator=user).values("request__deal_id")
    deals = (
        Deal.objects.open()
        .filter(Q(owner=user) | Q(pk__in=estimating))
        .filter(
            target_close_date__gte=today, target_close_date__lte=today + dt.timedelta(SOON_DAYS)
        )
        .select_related("account", "owner")
        .order_by("target_close_date", "id")
    )
    shown, count = first_and_count(deals)
    items = [
        TodayItem(
            label=f"{deal.name} · {deal.account.name}",
            url=deal.get_absolute_url(),
            note=f"Closes {day(deal.target_close_date)} · {money(deal.amount, deal.currency)}"
            + ("" if deal.owner_id == user.pk else f" · {deal.owner.name}'s deal"),
            when=deal.target_close_date,
            action_label="Open deal",
            action_url=deal.get_absolute_url(),
        )
        for deal in shown
    ]
    return {
        "today": TodayList(
            title=f"Your deals closing within {SOON_DAYS} days",
            count=count,
            items=items,
            icon="bi-flag",
            empty="None of the deals you estimate closes in the next 30 days.",
            counts_as_work=False,
        )
    }


def won_to_invoice(request, user) -> dict:
    """Deals won in the last WON_DAYS days with the scenario the client accepted: what
    finance invoices. The oldest win first, as it has waited longest."""
    today = local_today()
    accepted = Prefetch(
        "estimates",
        queryset=Estimate.objects.filter(accepted_version__isnull=False)
        .select_related("accepted_version")
        .order_by("-accepted_at", "-id"),
        to_attr="accepted",
    )
    deals = (
        Deal.objects.filter(stage__is_won=True, closed_on__gte=today - dt.timedelta(days=WON_DAYS))
        .select_related("account", "owner")
        .order_by("closed_on", "id")
    )
    shown, count = first_and_count(deals)
    items = []
    prefetch_related_objects(shown, accepted)
    for deal in shown:
        if deal.accepted:
            scenario = deal.accepted[0]
            sold = (
                f"accepted “{scenario.name}” "
                f"{money(scenario.accepted_version.price, scenario.currency)}"
            )
            action_label, action_url = "See the scenario", scenario.get_absolute_url()
        else:
            sold = f"{money(deal.amount, deal.currency)}, no accepted scenario"
            action_label, action_url = "Open deal", deal.get_absolute_url()
        items.append(
            TodayItem(
                label=f"{deal.name} · {deal.account.name}",
                url=deal.get_absolute_url(),
                note=f"Won {day(deal.closed_on)} by {deal.owner.name} · {sold}",
                when=deal.closed_on,
                action_label=action_label,
                action_url=action_url,
            )
        )
    return {
        "today": TodayList(
            title=f"Won in the last {WON_DAYS} days",
            count=count,
            items=items,
            icon="bi-trophy",
            more_url=reverse("pipeline:deal_list") + "?status=won",
            empty=f"No deal won in the last {WON_DAYS} days: nothing new to invoice.",
        )
    }


register_card("estimates.returned_to_me", returned_to_me, for_roles(Role.SELLER), 35)
register_card("estimates.assigned_to_me", assigned_to_me, for_roles(*ESTIMATOR_ROLES), 15)
register_card(
    "estimates.deals_closing_soon", my_deals_closing_soon, for_roles(*ESTIMATOR_ROLES), 85
)
register_card("estimates.won_to_invoice", won_to_invoice, for_roles(Role.FINANCE), 50)
