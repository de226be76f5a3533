"""Who may ask for, build and accept estimates, and keep the past projects they learn from
(who sees costs and keeps the catalog: catalog.access)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tandem.core.registry import grant
from tandem.estimates.models import Estimate, EstimateRequest, PastProject
from tandem.people.models import Role
from tandem.pipeline.access import can_edit_deal

_READ = [
    "estimates.view_estimaterequest",
    "estimates.view_estimate",
    "estimates.view_pastproject",
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
grant(
    {
        Role.SELLER: _READ + _REQUEST,
        Role.PROJECT_MANAGER: _READ + _REQUEST + _ESTIMATE,
        Role.RESOURCE_MANAGER: _READ + _REQUEST + _ESTIMATE,
        Role.EXECUTIVE: _READ + _REQUEST,
        Role.FINANCE: _READ,
        Role.CREW: _READ,
    }
)


def can_request_estimate(user, deal) -> bool:
    """Sellers ask for numbers on the deals they may change; managers on any deal."""
    return user.has_perm("estimates.add_estimaterequest") and can_edit_deal(user, deal)


def can_edit_estimates(user) -> bool:
    """Project and resource managers (and admins) build scenarios and work on requests."""
    return user.has_perm("estimates.change_estimate") and user.has_perm("estimates.add_estimate")


def can_accept_estimate(user, deal) -> bool:
    """Accepting a scenario sets the deal's amount: whoever may change the deal decides."""
    return can_edit_deal(user, deal)


def requests_for_user(user):
    if not user.has_perm("estimates.view_estimaterequest"):
        return EstimateRequest.objects.none()
    return EstimateRequest.objects.all()


def estimates_for_user(user):
    if not user.has_perm("estimates.view_estimate"):
        return Estimate.objects.none()
    return Estimate.objects.all()


def get_request_for_user(user, pk, *, write: bool = False) -> EstimateRequest:
    """The request, if `user` may see it; with `write`, only if they may change it (its deal's
    editors change the brief; estimators move it through its status)."""
    request = get_object_or_404(
        EstimateRequest.objects.select_related(
            "deal", "deal__account", "deal__owner", "deal__stage", "requested_by"
        ),
        pk=pk,
    )
    if not user.has_perm("estimates.view_estimaterequest"):
        raise PermissionDenied("You cannot see estimate requests.")
    if write and not (can_request_estimate(user, request.deal) or can_edit_estimates(user)):
        raise PermissionDenied("Only the deal's owner, a manager or an estimator can change this.")
    return request


def get_estimate_for_user(user, pk, *, write: bool = False) -> Estimate:
    """The scenario, if `user` may see it; with `write`, only if they build estimates."""
    estimate = get_object_or_404(
        Estimate.objects.select_related(
            "deal", "deal__account", "deal__owner", "deal__stage", "request", "accepted_version"
        ),
        pk=pk,
    )
    if not user.has_perm("estimates.view_estimate"):
        raise PermissionDenied("You cannot see estimates.")
    if write and not can_edit_estimates(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins build estimates."
        )
    return estimate


def can_edit_past_projects(user) -> bool:
    """Project and resource managers (and admins) keep the past projects estimates learn from."""
    return user.has_perm("estimates.add_pastproject") and user.has_perm(
        "estimates.change_pastproject"
    )


def can_delete_past_projects(user) -> bool:
    return user.has_perm("estimates.delete_pastproject")


def require_past_project_reader(user) -> None:
    if not user.has_perm("estimates.view_pastproject"):
        raise PermissionDenied("You cannot see past projects.")


def require_past_project_editor(user) -> None:
    if not can_edit_past_projects(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins keep the past projects."
        )


def require_past_project_deleter(user) -> None:
    if not can_delete_past_projects(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins delete past projects."
        )


def get_past_project_for_user(user, pk, *, write: bool = False) -> PastProject:
    """The past project, if `user` may see it; with `write`, only if they keep past projects.

    Who may is a matter of role, not of the project, so it is checked before the project is
    looked up: someone refused is told so whether or not the project exists.
    """
    require_past_project_reader(user)
    if write:
        require_past_project_editor(user)
    return get_object_or_404(PastProject, pk=pk)
