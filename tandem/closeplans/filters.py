"""One filterset per close-plan model, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q

from tandem.closeplans.models import ClosePlan, Health, PlanStep, PlanTemplate, Side, StepStatus
from tandem.core.filters import StyledFilterSet
from tandem.people.models import User
from tandem.pipeline.models import Deal, ProjectType


def _people():
    # Crew never own deals or steps: leaving them out keeps the owner choices short.
    return User.objects.filter(is_active=True).exclude(role="crew")


class PlanTemplateFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices)
    is_active = django_filters.BooleanFilter(label="In use")

    class Meta:
        model = PlanTemplate
        fields = ["q", "project_type", "is_active"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
        return queryset


class ClosePlanFilter(StyledFilterSet):
    deal = django_filters.ModelChoiceFilter(queryset=Deal.objects.all())
    health = django_filters.ChoiceFilter(choices=Health.choices)
    owner = django_filters.ModelChoiceFilter(
        field_name="deal__owner", queryset=_people(), label="Deal owner"
    )

    class Meta:
        model = ClosePlan
        fields = ["deal", "health", "owner"]


class DueRangeForm(forms.Form):
    """Refuses a due-date range that ends before it starts, rather than finding nothing."""

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("due_after"), cleaned.get("due_before")
        if after and before and after > before:
            self.add_error("due_before", "The range ends before it starts.")
        return cleaned


class PlanStepFilter(StyledFilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=ClosePlan.objects.all())
    deal = django_filters.ModelChoiceFilter(
        field_name="plan__deal", queryset=Deal.objects.all(), label="Deal"
    )
    status = django_filters.ChoiceFilter(choices=StepStatus.choices)
    side = django_filters.ChoiceFilter(choices=Side.choices)
    owner_user = django_filters.ModelChoiceFilter(queryset=_people(), label="Owner (ours)")
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after"
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before"
    )

    class Meta:
        model = PlanStep
        form = DueRangeForm
        fields = ["plan", "deal", "status", "side", "owner_user", "due_after", "due_before"]
