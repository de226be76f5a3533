import datetime as dt

import factory

from tandem.crm.models import Account, Contact, ContactEmail, Stakeholder
from tandem.people.tests.factories import UserFactory


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")
    owner = factory.SubFactory(UserFactory)
    industry = "corporate"
    city = "Chicago"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(lambda n: f"Person{n}")


class ContactEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactEmail

    contact = factory.SubFactory(ContactFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    is_primary = True


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    contact = factory.SubFactory(ContactFactory)
    account = factory.SubFactory(AccountFactory)
    title = "Head of AV"
    influence = "champion"
    start_date = dt.date(2024, 1, 1)
    end_date = None
