"""Who may see costs and change the catalog."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from tandem.people.models import Role


def can_see_costs(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm("estimates.view_costs"):
        return True
    # A company that prices openly can show sellers the costs too.
    return settings.TANDEM_SELLERS_SEE_COSTS and user.role == Role.SELLER


def can_edit_catalog(user) -> bool:
    return user.has_perm("estimates.change_catalogitem") and user.has_perm(
        "estimates.add_catalogitem"
    )


def can_edit_suppliers(user) -> bool:
    return user.has_perm("estimates.change_supplier") and user.has_perm("estimates.add_supplier")


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
