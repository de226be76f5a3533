"""Estimate requests on the bar, past projects with the cost basis under Company."""

from tandem.core.registry import NavItem, needs, register_nav_item

register_nav_item(
    NavItem(
        name="estimates.requests",
        label="Estimate requests",
        url_name="estimates:request_list",
        order=60,
        active=("estimates:request_", "estimates:attachment_"),
    )
)
register_nav_item(
    NavItem(
        name="estimates.past_projects",
        label="Past projects",
        url_name="estimates:past_project_list",
        group="Company",
        section="Cost basis",
        order=95,
        active=("estimates:past_project_",),
        visible=needs("estimates.view_pastproject"),
    )
)
