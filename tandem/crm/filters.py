"""One filterset per CRM model, shared by the pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tandem.core.filters import StyledFilterSet
from tandem.crm.models import (
    Account,
    AccountStatus,
    Contact,
    ContactEmail,
    Industry,
    Influence,
    Stakeholder,
    Tier,
)
from tandem.people.models import User


class AccountFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    industry = django_filters.ChoiceFilter(choices=Industry.choices)
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices)
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True).exclude(role="crew")
    )

    class Meta:
        model = Account
        fields = ["q", "industry", "tier", "status", "owner"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(city__icontains=word))
        return queryset


class ContactFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    account = django_filters.ModelChoiceFilter(
        queryset=Account.objects.all(), method="filter_account", label="Current account"
    )

    class Meta:
        model = Contact
        fields = ["q", "account"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            has_email = Exists(
                ContactEmail.objects.filter(contact=OuterRef("pk"), email__icontains=word)
            )
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | has_email
            )
        return queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_account(self, queryset, name, value):
        current = Stakeholder.objects.current().filter(contact=OuterRef("pk"), account=value)
        return queryset.filter(Exists(current))


class StakeholderFilter(StyledFilterSet):
    current = django_filters.BooleanFilter(method="filter_current", label="Current")
    influence = django_filters.ChoiceFilter(choices=Influence.choices)

    class Meta:
        model = Stakeholder
        fields = ["account", "contact", "influence", "current"]

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        return (
            queryset.current(today)
            if value
            else queryset.exclude(pk__in=queryset.current(today).values("pk"))
        )
