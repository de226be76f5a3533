"""The estimating sections of the deal page: its requests and its scenarios."""

from tandem.estimates import access
from tandem.estimates.models import Estimate, EstimateRequest


def estimates_context(request, deal) -> dict:
    """What the deal page shows of estimating, in a fixed number of queries."""
    user = request.user
    can_see_requests = user.has_perm("estimates.view_estimaterequest")
    can_see_estimates = user.has_perm("estimates.view_estimate")
    return {
        "deal_requests": EstimateRequest.objects.filter(deal=deal)
        .select_related("requested_by")
        .prefetch_related("assignments__estimator")
        .order_by("-created_at", "-id")[:20]
        if can_see_requests
        else [],
        "deal_estimates": Estimate.objects.filter(deal=deal)
        .select_related("latest_version", "accepted_version", "request")
        .order_by("created_at", "id")[:20]
        if can_see_estimates
        else [],
        "can_request_estimate": access.can_request_estimate(user, deal),
        "can_edit_estimates": access.can_edit_estimates(user),
        "can_accept_estimate": access.can_accept_estimate(user, deal),
        "can_see_costs": access.can_see_costs(user),
    }
