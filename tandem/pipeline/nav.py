"""The pipeline's pages in the top navigation."""

from tandem.core.registry import NavItem, needs, register_nav_item

register_nav_item(
    NavItem(
        name="pipeline.board",
        label="Pipeline",
        url_name="pipeline:board",
        order=10,
        visible=needs("pipeline.view_deal"),
    )
)
register_nav_item(
    NavItem(
        name="pipeline.deals",
        label="Deals",
        url_name="pipeline:deal_list",
        order=20,
        active=("pipeline:deal_", "pipeline:account_log_activity"),
        visible=needs("pipeline.view_deal"),
    )
)
