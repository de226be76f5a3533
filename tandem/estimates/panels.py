"""What estimating shows on the deal page: its estimate requests, its scenarios, and after a
scenario is accepted, a prompt to bring the deal's next step up to date."""

from tandem.catalog.access import can_see_costs
from tandem.core.registry import Panel, register_panel
from tandem.estimates import access
from tandem.estimates.models import Estimate, EstimateRequest
from tandem.pipeline.access import can_edit_deal


def requests_context(request, deal) -> dict:
    """The deal's estimate requests (two queries) and whether the user may ask for one."""
    user = request.user
    return {
        "deal_requests": EstimateRequest.objects.filter(deal=deal)
        .select_related("requested_by")
        .prefetch_related("assignments__estimator")
        .order_by("-created_at", "-id")[:20]
        if user.has_perm("estimates.view_estimaterequest")
        else [],
        "can_request_estimate": access.can_request_estimate(user, deal),
    }


def scenarios_context(request, deal) -> dict:
    """The deal's scenarios (one query) and what the user may do with them."""
    user = request.user
    return {
        "deal_estimates": Estimate.objects.filter(deal=deal)
        .select_related("latest_version", "accepted_version", "request")
        .order_by("created_at", "id")[:20]
        if user.has_perm("estimates.view_estimate")
        else [],
        "can_request_estimate": access.can_request_estimate(user, deal),
        "can_edit_estimates": access.can_edit_estimates(user),
        "can_accept_estimate": access.can_accept_estimate(user, deal),
        "can_see_costs": can_see_costs(user),
    }


def next_step_context(request, deal) -> dict:
    """The scenario accepted since the seller last wrote the deal's next step, if any (one
    query): accepting changes what the deal sells, so what happens next has likely changed."""
    accepted = (
        Estimate.objects.filter(deal=deal, accepted_at__isnull=False)
        .only("id", "name", "deal_id", "accepted_at")
        .order_by("-accepted_at")
        .first()
    )
    stale = accepted is not None and (
        deal.next_step_updated_at is None or deal.next_step_updated_at < accepted.accepted_at
    )
    return {"accepted_since_next_step": accepted if stale else None}


register_panel(
    Panel(
        page="deal",
        name="estimates.next_step",
        template="estimates/partials/_deal_next_step.html",
        context=next_step_context,
        # Asked of whoever may change the deal, while it can still go somewhere.
        visible=lambda user, deal: can_edit_deal(user, deal) and not deal.stage.is_lost,
        order=0,
    )
)
register_panel(
    Panel(
        page="deal",
        name="estimates.requests",
        template="estimates/partials/_deal_requests.html",
        context=requests_context,
        order=20,
    )
)
register_panel(
    Panel(
        page="deal",
        name="estimates.scenarios",
        template="estimates/partials/_deal_estimates.html",
        context=scenarios_context,
        order=30,
    )
)
