"""Who sees unit costs and who keeps the catalog, its suppliers and the rate cards."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from tandem.core.registry import grant
from tandem.people.models import Role

_READ = ["catalog.view_supplier", "catalog.view_catalogitem", "catalog.view_labourrole"]
# Unit costs are for the people who price and account for the work.
_COSTS = ["catalog.view_costs"]
# Project and resource managers keep the catalog and its suppliers (and the rate cards).
_KEEP = [
    "catalog.add_supplier",
    "catalog.change_supplier",
    "catalog.add_catalogitem",
    "catalog.change_catalogitem",
]
grant(
    {
        Role.SELLER: _READ,
        Role.PROJECT_MANAGER: _READ + _COSTS + _KEEP,
        Role.RESOURCE_MANAGER: _READ + _COSTS + _KEEP,
        Role.EXECUTIVE: _READ + _COSTS,
        Role.FINANCE: _READ + _COSTS,
        Role.CREW: _READ,
    }
)


def can_see_costs(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm("catalog.view_costs"):
        return True
    # A company that prices openly can show sellers the costs too.
    return settings.TANDEM_SELLERS_SEE_COSTS and user.role == Role.SELLER


def can_edit_catalog(user) -> bool:
    return user.has_perm("catalog.change_catalogitem") and user.has_perm("catalog.add_catalogitem")


def can_edit_suppliers(user) -> bool:
    return user.has_perm("catalog.change_supplier") and user.has_perm("catalog.add_supplier")


def require_catalog_editor(user) -> None:
    if not can_edit_catalog(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins edit the catalog."
        )


def require_supplier_editor(user) -> None:
    if not can_edit_suppliers(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins edit suppliers."
        )


def can_edit_rates(user) -> bool:
    # The people who keep the catalog keep the rate cards too.
    return can_edit_catalog(user)


def require_rate_editor(user) -> None:
    if not can_edit_rates(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins edit the rate cards."
        )


def can_back_date_rates(user) -> bool:
    """Admins alone may start a rate before today: the day is history others priced from."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.role == Role.ADMIN or user.is_superuser)
    )
