"""The catalog's filterset, shared by its page and the API."""

import django_filters
from django.db.models import Q

from tandem.catalog.models import CatalogItem, Category, Supplier
from tandem.core.filters import StyledFilterSet


class CatalogFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.all())
    active = django_filters.ChoiceFilter(
        choices=[("yes", "Active"), ("no", "Inactive")], method="filter_active"
    )

    class Meta:
        model = CatalogItem
        fields = []

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(sku__icontains=word) | Q(name__icontains=word))
        return queryset

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "yes")


# Estimate requests, scenarios, versions, lines and past projects: the same filters for the
# pages and the API.
