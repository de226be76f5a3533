"""Who may do what through the API for suppliers, the catalog and the rate cards: the
same rules as the pages, taken from estimates/access.py. Everyone signed in with the view
permission reads; writes follow the app's rule."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from tandem.catalog.access import can_edit_catalog, can_edit_rates, can_edit_suppliers
from tandem.core.api.permissions import ReadForViewersWriteByRule


class SupplierPermission(ReadForViewersWriteByRule):
    """Everyone reads the suppliers; project and resource managers and admins keep them."""

    message = "Only project managers, resource managers and admins edit suppliers."

    def can_write(self, request, view) -> bool:
        return can_edit_suppliers(request.user)


class CatalogPermission(ReadForViewersWriteByRule):
    """Everyone reads the catalog (costs aside); project and resource managers and admins
    change it and import it, even in a dry run."""

    message = "Only project managers, resource managers and admins edit the catalog."

    def can_write(self, request, view) -> bool:
        return can_edit_catalog(request.user)


class RateCardPermission(BasePermission):
    """Everyone signed in reads the rate cards (cost rates aside), as on the pages; project
    and resource managers and admins keep them."""

    message = "Only project managers, resource managers and admins edit the rate cards."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not user.has_perm("catalog.view_labourrole"):
            self.message = "You cannot see this."
            return False
        return request.method in SAFE_METHODS or can_edit_rates(user)
