import datetime as dt
from decimal import Decimal

import factory

from tandem.crm.tests.factories import AccountFactory
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.models import Activity, CloseDateChange, Deal, Stage


def stage(name: str) -> Stage:
    """One of the default stages the migration creates (Qualify … Won, Lost)."""
    return Stage.objects.get(name=name)


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    name = factory.Sequence(lambda n: f"Deal {n}")
    account = factory.SubFactory(AccountFactory)
    owner = factory.SubFactory(UserFactory)
    stage = factory.LazyFunction(lambda: stage("Discovery"))
    amount = Decimal("50000.00")
    currency = "USD"
    target_close_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=60))
    probability = 20
    project_type = "av_installation"


class CloseDateChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CloseDateChange

    deal = factory.SubFactory(DealFactory)
    changed_at = factory.Faker("date_time_this_year", tzinfo=dt.UTC)
    old_date = dt.date(2026, 9, 1)
    new_date = dt.date(2026, 10, 1)
    reason = "Customer board meeting moved"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = "note"
    author = factory.SubFactory(UserFactory)
    account = factory.SubFactory(AccountFactory)
    subject = factory.Sequence(lambda n: f"Note {n}")
    body = "Talked about the new auditorium."
    occurred_at = factory.Faker("date_time_this_year", tzinfo=dt.UTC)
