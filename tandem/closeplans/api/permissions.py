"""Who may do what through the close plans' API: the same rules as the pages, taken from
closeplans/access.py. A plan belongs to its deal, so whoever may change the deal changes its
plan; a step's owner may also report on it."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from tandem.closeplans.access import (
    can_edit_plan,
    can_edit_templates,
    can_report_on_step,
    can_see_checkups,
)
from tandem.core.api.permissions import ReadForViewersWriteByRule


def _edits_some_deals(user) -> bool:
    """Whether `user` may change any deal at all: a quick no for read-only roles."""
    return user.has_perm("pipeline.change_deal") or user.has_perm("pipeline.change_own_deal")


class PlanTemplatePermission(ReadForViewersWriteByRule):
    """Everyone reads the plan templates; managers and admins shape them."""

    message = "Only managers and admins can change plan templates."

    def can_write(self, request, view) -> bool:
        return can_edit_templates(request.user)


class ClosePlanPermission(ReadForViewersWriteByRule):
    """A plan belongs to its deal: whoever may change the deal changes its plan. The customer
    links are the plan's editors' business only, so listing them needs the same right."""

    message = "Only the deal's owner or a manager can change its close plan."
    EDITORS_ONLY = {"share_links"}

    def can_write(self, request, view) -> bool:
        # Each write acts on one deal: decided per object, or in the view for `apply`.
        return _edits_some_deals(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS and view.action not in self.EDITORS_ONLY:
            return True
        return can_edit_plan(request.user, obj.deal)


class PlanStepPermission(ReadForViewersWriteByRule):
    """Steps are changed by whoever may change the deal; the step's owner may also report on
    it (its status and notes), even with a read-only role."""

    message = "Only the deal's owner or a manager can change this close plan."
    REPORTS = {"set_status", "comments"}

    def can_write(self, request, view) -> bool:
        if view.action in self.REPORTS:
            return True
        return _edits_some_deals(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        deal = obj.plan.deal
        if view.action in self.REPORTS:
            self.message = "Only the step's owner, the deal's owner or a manager can report on it."
            return can_report_on_step(request.user, obj, deal)
        return can_edit_plan(request.user, deal)


class CheckupPermission(BasePermission):
    """Whoever reads close plans reads the checkups, anyone's."""

    message = "You cannot see close plans."

    def has_permission(self, request, view):
        return bool(request.user and can_see_checkups(request.user))
