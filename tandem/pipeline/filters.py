"""The one filterset for deals, shared by the board, the deal list and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from tandem.core.filters import StyledFilterSet
from tandem.core.periods import PERIODS, period_bounds
from tandem.people.models import User
from tandem.pipeline.models import (
    Activity,
    ActivityKind,
    Deal,
    ForecastCategory,
    ProjectType,
    Stage,
)

STATUS_CHOICES = [
    ("open", "Open"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("nurture", "Nurture"),
]


class DealFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True).exclude(role="crew")
    )
    stage = django_filters.ModelChoiceFilter(queryset=Stage.objects.all())
    close_period = django_filters.ChoiceFilter(
        choices=PERIODS, method="filter_close_period", label="Close period"
    )
    close_after = django_filters.DateFilter(
        field_name="target_close_date", lookup_expr="gte", label="Closes on or after"
    )
    close_before = django_filters.DateFilter(
        field_name="target_close_date", lookup_expr="lte", label="Closes on or before"
    )
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices)
    forecast_category = django_filters.ChoiceFilter(choices=ForecastCategory.choices)
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status")

    class Meta:
        model = Deal
        fields = ["account"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(account__name__icontains=word))
        return queryset

    def filter_close_period(self, queryset, name, value):
        start, end = period_bounds(value, timezone.localdate())
        if start:
            queryset = queryset.filter(target_close_date__gte=start)
        if end:
            queryset = queryset.filter(target_close_date__lte=end)
        if value == "overdue":
            queryset = queryset.open()
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "won":
            return queryset.filter(stage__is_won=True)
        if value == "lost":
            return queryset.filter(stage__is_lost=True)
        return queryset.filter(nurture=True)


class ActivityFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices)
    after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["account", "deal", "kind", "author", "after", "before"]
