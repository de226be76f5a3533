"""Estimating: estimate requests, estimates with their versions and lines, and the past
projects that estimates learn from (the cost basis they price from is the catalog app's)."""

# Landed migrations name the default currency by this path.
from tandem.catalog.models import default_currency
from tandem.estimates.models.actuals import PastProject, PastProjectHours
from tandem.estimates.models.estimates import (
    Estimate,
    EstimateLine,
    EstimateVersion,
    LineKind,
    VenueType,
)
from tandem.estimates.models.requests import (
    EstimateRequest,
    EstimatorPart,
    RequestAttachment,
    RequestEstimator,
    RequestStatus,
)

__all__ = [
    "Estimate",
    "EstimateLine",
    "EstimateRequest",
    "EstimateVersion",
    "EstimatorPart",
    "LineKind",
    "PastProject",
    "PastProjectHours",
    "RequestAttachment",
    "RequestEstimator",
    "RequestStatus",
    "VenueType",
    "default_currency",
]
