"""Estimating: the cost basis (suppliers, catalog, rate cards), estimate requests, estimates
with their versions and lines, and the past projects that estimates learn from."""

from tandem.estimates.models.catalog import (
    MONEY,
    CatalogItem,
    Category,
    LabourRole,
    RoleRate,
    Supplier,
    Unit,
    default_currency,
    rate_on,
    rates_on,
)
from tandem.estimates.models.estimates import (
    Estimate,
    EstimateLine,
    EstimateVersion,
    LineKind,
    VenueType,
)
from tandem.estimates.models.history import PastProject, PastProjectHours
from tandem.estimates.models.requests import (
    EstimateRequest,
    EstimatorPart,
    RequestAttachment,
    RequestEstimator,
    RequestStatus,
)

__all__ = [
    "MONEY",
    "CatalogItem",
    "Category",
    "Estimate",
    "EstimateLine",
    "EstimateRequest",
    "EstimateVersion",
    "EstimatorPart",
    "LabourRole",
    "LineKind",
    "PastProject",
    "PastProjectHours",
    "RequestAttachment",
    "RequestEstimator",
    "RequestStatus",
    "RoleRate",
    "Supplier",
    "Unit",
    "VenueType",
    "default_currency",
    "rate_on",
    "rates_on",
]
