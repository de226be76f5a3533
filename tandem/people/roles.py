"""Which Django permissions each role's group holds.

Everyone signed in reads everything in the pipeline and CRM. Sellers edit the deals they own;
managers (project, resource, executive) and admins edit every deal. Finance and crew read.
"""

from tandem.people.models import Role

_READ = [
    "crm.view_account",
    "crm.view_contact",
    "crm.view_stakeholder",
    "crm.view_activity",
    "pipeline.view_stage",
    "pipeline.view_deal",
    "pipeline.view_closedatechange",
    "closeplans.view_plantemplate",
    "closeplans.view_closeplan",
    "closeplans.view_planstep",
    "estimates.view_supplier",
    "estimates.view_catalogitem",
    "estimates.view_labourrole",
    "estimates.view_estimaterequest",
    "estimates.view_estimate",
    "estimates.view_pastproject",
]
_CRM_WRITE = [
    "crm.add_account",
    "crm.change_account",
    "crm.add_contact",
    "crm.change_contact",
    "crm.add_contactemail",
    "crm.change_contactemail",
    "crm.delete_contactemail",
    "crm.add_contactphone",
    "crm.change_contactphone",
    "crm.delete_contactphone",
    "crm.add_stakeholder",
    "crm.change_stakeholder",
    "crm.add_activity",
]
_MANAGE_DEALS = ["pipeline.add_deal", "pipeline.change_deal"]
# Managers shape the close-plan templates everyone applies.
_TEMPLATES = [
    "closeplans.add_plantemplate",
    "closeplans.change_plantemplate",
    "closeplans.delete_plantemplate",
]

# Unit costs are for the people who price and account for the work.
_COSTS = ["estimates.view_costs"]
# Project and resource managers keep the catalog and its suppliers.
_CATALOG = [
    "estimates.add_supplier",
    "estimates.change_supplier",
    "estimates.add_catalogitem",
    "estimates.change_catalogitem",
]

# Sellers ask for numbers on their deals and accept the scenario the client chose.
_REQUEST = ["estimates.add_estimaterequest", "estimates.change_estimaterequest"]
# Estimators build the scenarios and keep the past projects they learn from.
_ESTIMATE = [
    "estimates.add_estimate",
    "estimates.change_estimate",
    "estimates.add_pastproject",
    "estimates.change_pastproject",
    "estimates.delete_pastproject",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SELLER: _READ + _CRM_WRITE + _REQUEST + ["pipeline.add_deal", "pipeline.change_own_deal"],
    Role.PROJECT_MANAGER: _READ
    + _CRM_WRITE
    + _MANAGE_DEALS
    + _TEMPLATES
    + _COSTS
    + _CATALOG
    + _REQUEST
    + _ESTIMATE,
    Role.RESOURCE_MANAGER: _READ
    + _CRM_WRITE
    + _MANAGE_DEALS
    + _TEMPLATES
    + _COSTS
    + _CATALOG
    + _REQUEST
    + _ESTIMATE,
    Role.EXECUTIVE: _READ + _CRM_WRITE + _MANAGE_DEALS + _TEMPLATES + _COSTS + _REQUEST,
    Role.FINANCE: _READ + _COSTS,
    Role.CREW: list(_READ),
    # Admins hold every permission of Tandem's apps (see services.sync_role_groups).
    Role.ADMIN: [],
}

ADMIN_APPS = (
    "people",
    "crm",
    "pipeline",
    "closeplans",
    "estimates",
    "notifications",
    "authtoken",
)


def group_name(role: str) -> str:
    return Role(role).label
