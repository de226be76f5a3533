"""What estimating shows on the deal page: its estimate requests and its scenarios."""

from tandem.core.registry import Panel, register_panel
from tandem.estimates.views_deal import requests_context, scenarios_context

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
