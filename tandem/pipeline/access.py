"""Who may see and change deals. Everyone signed in reads the pipeline; sellers change the
deals they own, managers and admins change every deal."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tandem.core.registry import grant
from tandem.people.models import Role
from tandem.pipeline.models import Deal

_READ = [
    "pipeline.view_stage",
    "pipeline.view_deal",
    "pipeline.view_closedatechange",
    "pipeline.view_activity",
]
_MANAGE = ["pipeline.add_deal", "pipeline.change_deal", "pipeline.add_activity"]
# Sellers change the deals they own; managers change every deal; finance and crew read.
# Whoever keeps accounts logs notes, calls and meetings on them.
grant(
    {
        Role.SELLER: [
            *_READ,
            "pipeline.add_deal",
            "pipeline.change_own_deal",
            "pipeline.add_activity",
        ],
        Role.PROJECT_MANAGER: _READ + _MANAGE,
        Role.RESOURCE_MANAGER: _READ + _MANAGE,
        Role.EXECUTIVE: _READ + _MANAGE,
        Role.FINANCE: _READ,
        Role.CREW: _READ,
    }
)


def can_add_deal(user) -> bool:
    return user.has_perm("pipeline.add_deal")


def can_edit_stages(user) -> bool:
    return user.has_perm("pipeline.change_stage")


def can_edit_deal(user, deal: Deal) -> bool:
    if user.has_perm("pipeline.change_deal"):
        return True
    return user.has_perm("pipeline.change_own_deal") and deal.owner_id == user.pk


def can_log_activity(user) -> bool:
    """Whether `user` may log notes, calls, meetings and emails (on any deal they can see)."""
    return user.has_perm("pipeline.add_activity")


def deals_for_user(user):
    """The deals `user` may read (all of them for anyone with view permission)."""
    if not user.has_perm("pipeline.view_deal"):
        return Deal.objects.none()
    return Deal.objects.all()


def get_deal_for_user(user, pk, *, write: bool = False) -> Deal:
    deal = get_object_or_404(Deal.objects.select_related("account", "owner", "stage"), pk=pk)
    if not user.has_perm("pipeline.view_deal"):
        raise PermissionDenied("You cannot see deals.")
    if write and not can_edit_deal(user, deal):
        raise PermissionDenied("Only the deal's owner or a manager can change this deal.")
    return deal
