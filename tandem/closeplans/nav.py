"""Close plans' pages in the top navigation: checkups on the bar, the hygiene report under
Reports, and what a manager sets up once (templates, days off) under Company."""

from tandem.closeplans.access import can_see_checkups
from tandem.core.registry import NavItem, needs, register_nav_item

register_nav_item(
    NavItem(
        name="closeplans.checkups",
        label="Checkups",
        url_name="closeplans:checkups",
        order=50,
        active=("closeplans:checkup",),
        visible=can_see_checkups,
    )
)
register_nav_item(
    NavItem(
        name="closeplans.hygiene",
        label="Pipeline hygiene",
        url_name="closeplans:hygiene",
        group="Reports",
        order=80,
        visible=needs("pipeline.view_deal"),
    )
)
register_nav_item(
    NavItem(
        name="closeplans.templates",
        label="Plan templates",
        url_name="closeplans:template_list",
        group="Company",
        section="Selling",
        order=90,
        active=("closeplans:template_",),
        visible=needs("closeplans.view_plantemplate"),
    )
)
register_nav_item(
    NavItem(
        name="closeplans.holidays",
        label="Days off",
        url_name="closeplans:holiday_list",
        group="Company",
        section="Selling",
        order=91,
        active=("closeplans:holiday_",),
    )
)
