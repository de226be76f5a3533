"""Who may change close plans. A plan belongs to its deal: whoever may edit the deal edits
its plan; the owner of a step may also report on it (done, blocked, a note). Managers and
admins edit templates."""

from tandem.closeplans.models import PlanStep
from tandem.core.registry import grant
from tandem.people.models import Role
from tandem.pipeline.access import can_edit_deal

_READ = ["closeplans.view_plantemplate", "closeplans.view_closeplan", "closeplans.view_planstep"]
# Managers shape the close-plan templates everyone applies.
_TEMPLATES = [
    "closeplans.add_plantemplate",
    "closeplans.change_plantemplate",
    "closeplans.delete_plantemplate",
]
grant(
    {
        Role.SELLER: _READ,
        Role.PROJECT_MANAGER: _READ + _TEMPLATES,
        Role.RESOURCE_MANAGER: _READ + _TEMPLATES,
        Role.EXECUTIVE: _READ + _TEMPLATES,
        Role.FINANCE: _READ,
        Role.CREW: _READ,
    }
)


def can_edit_plan(user, deal) -> bool:
    return can_edit_deal(user, deal)


def can_report_on_step(user, step: PlanStep, deal) -> bool:
    return step.owner_user_id == user.pk or can_edit_deal(user, deal)


def can_edit_templates(user) -> bool:
    return user.has_perm("closeplans.change_plantemplate")


def can_see_checkups(user) -> bool:
    """Whoever reads close plans reads the checkups, anyone's (the page and the API alike)."""
    return user.is_authenticated and user.has_perm("closeplans.view_planstep")
