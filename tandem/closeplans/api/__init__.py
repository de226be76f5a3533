"""The close plans' REST API: plan templates, close plans (apply a template, accept the
proposed close, customer links), plan steps (status, notes) and today's checkups, registered
on the shared router as /api/v1/plan-templates/, close-plans/, plan-steps/ and checkups/.

`serializers` says what the endpoints read and write, `permissions` who may, and `views`
holds the viewsets."""

from tandem.closeplans.api.views import (
    CheckupViewSet,
    ClosePlanViewSet,
    PlanStepViewSet,
    PlanTemplateViewSet,
)
from tandem.core.api.routers import router

router.register("plan-templates", PlanTemplateViewSet)
router.register("close-plans", ClosePlanViewSet)
router.register("plan-steps", PlanStepViewSet)
router.register("checkups", CheckupViewSet, basename="checkup")
