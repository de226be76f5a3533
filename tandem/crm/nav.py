"""Accounts and contacts in the top navigation."""

from tandem.core.registry import NavItem, needs, register_nav_item

register_nav_item(
    NavItem(
        name="crm.accounts",
        label="Accounts",
        url_name="crm:account_list",
        order=30,
        active=("crm:account_",),
        visible=needs("crm.view_account"),
    )
)
register_nav_item(
    NavItem(
        name="crm.contacts",
        label="Contacts",
        url_name="crm:contact_list",
        order=40,
        active=("crm:contact_", "crm:stakeholder_"),
        visible=needs("crm.view_contact"),
    )
)
