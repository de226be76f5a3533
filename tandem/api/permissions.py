"""Who may do what through the API: the same rules as the pages, taken from each app's
access.py. Everyone signed in with the view permission reads; writes follow the app's rule."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from tandem.crm.access import can_edit_crm
from tandem.pipeline.access import can_add_deal, can_edit_deal, can_edit_stages


def _can_view(user, view) -> bool:
    opts = view.queryset.model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class _ReadForViewersWriteByRule(BasePermission):
    """Signed in and holding the model's view permission to read; `can_write` to write."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not _can_view(user, view):
            self.message = "You cannot see this."
            return False
        return request.method in SAFE_METHODS or self.can_write(request, view)

    def can_write(self, request, view) -> bool:
        raise NotImplementedError


class CrmPermission(_ReadForViewersWriteByRule):
    """Accounts, contacts, stakeholders and activities: finance and crew read only."""

    message = "Your role cannot change accounts and contacts."

    def can_write(self, request, view) -> bool:
        return can_edit_crm(request.user)


class DealPermission(_ReadForViewersWriteByRule):
    """Sellers change the deals they own; managers and admins every deal."""

    message = "Only the deal's owner or a manager can change this deal."

    def can_write(self, request, view) -> bool:
        # Every other write acts on one deal and is decided in has_object_permission.
        if view.action == "create" and not can_add_deal(request.user):
            self.message = "Your role cannot open deals."
            return False
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or can_edit_deal(request.user, obj)


class StagePermission(_ReadForViewersWriteByRule):
    """Everyone reads the pipeline's stages; only admins shape them."""

    message = "Only an admin can change the pipeline's stages."

    def can_write(self, request, view) -> bool:
        return can_edit_stages(request.user)
