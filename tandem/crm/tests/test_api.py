"""Accounts, contacts and stakeholders through the API."""

import datetime as dt

import pytest

from tandem.core.tests.api_clients import as_user, names
from tandem.crm.models import Account, Contact, Stakeholder
from tandem.crm.tests.factories import (
    AccountFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Accounts and contacts


def test_a_seller_adds_an_account_they_own(seller):
    response = as_user(seller).post(
        "/api/v1/accounts/", {"name": "Lakeside Arena", "industry": "sports", "city": "Austin"}
    )

    assert response.status_code == 201
    account = Account.objects.get()
    assert (account.name, account.owner) == ("Lakeside Arena", seller)
    assert response.data["owner_name"] == "Sam Seller"


def test_finance_reads_accounts_but_cannot_change_them(finance):
    account = AccountFactory(name="Lakeside Arena")
    client = as_user(finance)

    read = client.get("/api/v1/accounts/")
    created = client.post("/api/v1/accounts/", {"name": "New"})
    edited = client.patch(f"/api/v1/accounts/{account.pk}/", {"name": "Renamed"})

    assert read.status_code == 200
    assert names(read) == {"Lakeside Arena"}
    assert (created.status_code, edited.status_code) == (403, 403)
    account.refresh_from_db()
    assert account.name == "Lakeside Arena"


def test_crew_cannot_change_contacts():
    crew = UserFactory(username="cal", role=Role.CREW)
    contact = ContactFactory(first_name="Ana")

    response = as_user(crew).patch(f"/api/v1/contacts/{contact.pk}/", {"first_name": "Ann"})

    assert response.status_code == 403


def test_a_contact_is_created_with_emails_and_phones_and_reads_them_nested(seller):
    client = as_user(seller)

    created = client.post(
        "/api/v1/contacts/",
        {
            "first_name": "Ana",
            "last_name": "Lopez",
            "emails": ["Ana@Example.com", "ana.l@example.org"],
            "phones": ["+1 512 555 0100"],
        },
        format="json",
    )
    read = client.get(created.data["url"])

    assert created.status_code == 201, created.data
    assert read.data["full_name"] == "Ana Lopez"
    assert [(e["email"], e["is_primary"]) for e in read.data["emails"]] == [
        ("ana@example.com", True),
        ("ana.l@example.org", False),
    ]
    assert [p["number"] for p in read.data["phones"]] == ["+1 512 555 0100"]


def test_a_contact_edit_replaces_the_emails_it_is_given_and_keeps_the_phones(seller):
    contact = ContactFactory()
    ContactEmailFactory(contact=contact, email="old@example.com")
    contact.phones.create(number="555 0100", is_primary=True)

    response = as_user(seller).patch(
        f"/api/v1/contacts/{contact.pk}/", {"emails": ["new@example.com"]}, format="json"
    )

    assert response.status_code == 200
    assert [e["email"] for e in response.data["emails"]] == ["new@example.com"]
    assert [p["number"] for p in response.data["phones"]] == ["555 0100"]


def test_a_contact_with_a_bad_email_is_not_created(seller):
    response = as_user(seller).post(
        "/api/v1/contacts/",
        {"first_name": "Ana", "last_name": "Lopez", "emails": ["not-an-email"]},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data) == {"emails"}
    assert Contact.objects.count() == 0


# Stakeholders


def test_a_stakeholder_period_cannot_end_before_it_starts(seller):
    response = as_user(seller).post(
        "/api/v1/stakeholders/",
        {
            "contact": ContactFactory().pk,
            "account": AccountFactory().pk,
            "start_date": "2025-03-01",
            "end_date": "2025-02-01",
        },
    )

    assert response.status_code == 400
    assert response.data == {
        "end_date": ["The role cannot end (1 Feb 2025) before it starts (1 Mar 2025)."]
    }
    assert Stakeholder.objects.count() == 0


def test_a_stakeholder_edit_cannot_end_the_period_before_it_starts(seller):
    period = StakeholderFactory(start_date=dt.date(2025, 3, 1))

    response = as_user(seller).patch(
        f"/api/v1/stakeholders/{period.pk}/", {"end_date": "2025-02-01"}
    )

    assert response.status_code == 400
    assert set(response.data) == {"end_date"}
    period.refresh_from_db()
    assert period.end_date is None


def test_a_stakeholder_edit_cannot_hand_the_role_to_another_account(seller):
    period = StakeholderFactory()

    response = as_user(seller).patch(
        f"/api/v1/stakeholders/{period.pk}/", {"account": AccountFactory().pk}
    )

    assert response.status_code == 400
    assert set(response.data) == {"account"}


def test_moving_a_stakeholder_ends_the_old_period_and_starts_a_new_one(seller):
    period = StakeholderFactory(start_date=dt.date(2024, 1, 1), title="Head of AV")
    new_account = AccountFactory(name="Lakeside Arena")

    response = as_user(seller).post(
        f"/api/v1/stakeholders/{period.pk}/move/",
        {"to_account": new_account.pk, "moved_on": "2025-06-01", "influence": "decision_maker"},
    )

    assert response.status_code == 201, response.data
    period.refresh_from_db()
    assert period.end_date == dt.date(2025, 5, 31)
    new_period = Stakeholder.objects.get(pk=response.data["id"])
    assert new_period.contact == period.contact
    assert new_period.account == new_account
    assert (new_period.start_date, new_period.end_date) == (dt.date(2025, 6, 1), None)
    assert (new_period.title, new_period.influence) == ("Head of AV", "decision_maker")
    assert response.data["account_name"] == "Lakeside Arena"


def test_moving_a_stakeholder_to_the_same_account_changes_nothing(seller):
    period = StakeholderFactory()

    response = as_user(seller).post(
        f"/api/v1/stakeholders/{period.pk}/move/",
        {"to_account": period.account_id, "moved_on": "2025-06-01"},
    )

    assert response.status_code == 400
    assert set(response.data) == {"to_account"}
    assert Stakeholder.objects.count() == 1
    period.refresh_from_db()
    assert period.end_date is None


def test_finance_cannot_move_a_stakeholder(finance):
    period = StakeholderFactory()

    response = as_user(finance).post(
        f"/api/v1/stakeholders/{period.pk}/move/",
        {"to_account": AccountFactory().pk, "moved_on": "2025-06-01"},
    )

    assert response.status_code == 403
    assert Stakeholder.objects.count() == 1
