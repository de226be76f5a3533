"""Estimating's REST endpoints: estimate requests, scenarios with their versions and lines,
and the past projects estimates learn from."""

from tandem.core.api.routers import router
from tandem.estimates.api import views

router.register("estimate-requests", views.EstimateRequestViewSet)
router.register("estimates", views.EstimateViewSet)
router.register("estimate-versions", views.EstimateVersionViewSet)
router.register("estimate-lines", views.EstimateLineViewSet)
router.register("past-projects", views.PastProjectViewSet)
