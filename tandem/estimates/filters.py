import django_filters
from django.db.models import Q
from django.utils import timezone

from tandem.core.filters import StyledFilterSet
from tandem.estimates.models import (
    Estimate,
    EstimateLine,
    EstimateRequest,
    EstimateVersion,
    LineKind,
    PastProject,
    RequestEstimator,
    RequestStatus,
    VenueType,
)
from tandem.estimates.models.actuals import PastProjectSource
from tandem.estimates.models.requests import OPEN_STATUSES
from tandem.people.models import Role, User
from tandem.pipeline.models import Deal, ProjectType

# Estimators by their role, not by whether they are still here: the requests of someone who
# has left can still be found.
ESTIMATOR_ROLES = (Role.PROJECT_MANAGER, Role.RESOURCE_MANAGER, Role.ADMIN)


class EstimateRequestFilter(StyledFilterSet):
    deal = django_filters.ModelChoiceFilter(queryset=Deal.objects.all())
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    estimator = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role__in=ESTIMATOR_ROLES),
        field_name="assignments__estimator",
        method="filter_estimator",
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")

    class Meta:
        model = EstimateRequest
        fields = []

    def filter_estimator(self, queryset, name, value):
        # A subquery rather than a join: a request with two parts for one estimator is
        # listed once, without DISTINCT.
        assigned = RequestEstimator.objects.filter(estimator=value).values("request")
        return queryset.filter(pk__in=assigned)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value:
            return queryset.overdue(today)
        return queryset.exclude(status__in=OPEN_STATUSES, needed_by__lt=today)


class EstimateFilter(StyledFilterSet):
    deal = django_filters.ModelChoiceFilter(queryset=Deal.objects.all())
    request = django_filters.ModelChoiceFilter(queryset=EstimateRequest.objects.all())
    accepted = django_filters.BooleanFilter(
        field_name="accepted_version", lookup_expr="isnull", exclude=True, label="Accepted"
    )

    class Meta:
        model = Estimate
        fields = []


class EstimateVersionFilter(StyledFilterSet):
    estimate = django_filters.ModelChoiceFilter(queryset=Estimate.objects.all())

    class Meta:
        model = EstimateVersion
        fields = []


class EstimateLineFilter(StyledFilterSet):
    version = django_filters.ModelChoiceFilter(queryset=EstimateVersion.objects.all())
    kind = django_filters.ChoiceFilter(choices=LineKind.choices)

    class Meta:
        model = EstimateLine
        fields = []


class PastProjectFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices)
    venue_type = django_filters.ChoiceFilter(choices=VenueType.choices)
    source = django_filters.ChoiceFilter(choices=PastProjectSource.choices)

    class Meta:
        model = PastProject
        fields = []

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(reference__icontains=word) | Q(name__icontains=word))
        return queryset
