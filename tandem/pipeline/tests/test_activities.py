"""Notes, calls, meetings and emails on accounts and deals: logging, filtering, pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.crm.services import do_move_stakeholder
from tandem.crm.tests.factories import (
    AccountFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)
from tandem.pipeline import services as pipeline_services
from tandem.pipeline.filters import ActivityFilter
from tandem.pipeline.models import Activity
from tandem.pipeline.tests.factories import ActivityFactory, DealFactory, stage

OCCURRED = dt.datetime(2025, 3, 10, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(seller):
    return AccountFactory(name="Lakeside College", owner=seller, website="https://lakeside.edu")


@pytest.fixture
def lakeside():
    return AccountFactory(name="Lakeside College", city="Evanston")


@pytest.fixture
def other_account(seller):
    return AccountFactory(name="Harbor Arena", owner=seller)


@pytest.fixture
def contact():
    contact = ContactFactory(first_name="Ana", last_name="Lima")
    ContactEmailFactory(contact=contact, email="ana@lakeside.edu", is_primary=True)
    return contact


@pytest.mark.django_db
def test_logging_an_activity_records_it_with_its_contacts_and_attendees(
    seller, project_manager, account, contact
):
    deal = DealFactory(account=account, owner=seller)

    activity = pipeline_services.do_log_activity(
        seller,
        account=account,
        kind="meeting",
        subject="Site walk",
        body="Measured the hall.",
        occurred_at=OCCURRED,
        deal=deal,
        contacts=[contact],
        attendees=[seller, project_manager],
    )

    activity.refresh_from_db()
    assert (activity.kind, activity.subject, activity.body) == (
        "meeting",
        "Site walk",
        "Measured the hall.",
    )
    assert (activity.author, activity.account, activity.deal) == (seller, account, deal)
    assert activity.occurred_at == OCCURRED
    assert list(activity.contacts.all()) == [contact]
    assert set(activity.attendees.all()) == {seller, project_manager}


@pytest.mark.django_db
def test_logging_an_activity_against_another_accounts_deal_is_refused(
    seller, account, other_account
):
    deal = DealFactory(account=other_account, owner=seller)

    with pytest.raises(ValidationError) as excinfo:
        pipeline_services.do_log_activity(
            seller, account=account, kind="call", subject="Follow-up", deal=deal
        )

    assert list(excinfo.value.message_dict) == ["deal"]
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_logging_an_activity_with_an_unknown_kind_is_refused(seller, account):
    with pytest.raises(ValidationError) as excinfo:
        pipeline_services.do_log_activity(
            seller, account=account, kind="fax", subject="Sent the quote"
        )

    assert list(excinfo.value.message_dict) == ["kind"]
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("rows", [5, 50])
def test_the_account_page_runs_the_same_queries_whatever_the_data(
    seller_client, rows, django_assert_num_queries
):
    account = AccountFactory()
    for i in range(rows):
        role = StakeholderFactory(account=account, start_date=dt.date(2020, 1, 1))
        if i % 2:
            do_move_stakeholder(
                role, None, to_account=AccountFactory(), moved_on=dt.date(2023, 5, 1)
            )
        DealFactory(account=account)
        DealFactory(account=account, stage=stage("Won"), closed_on=dt.date(2024, 1, 1))
        activity = ActivityFactory(account=account)
        activity.contacts.add(role.contact)
    url = account.get_absolute_url()
    seller_client.get(url)

    # session, user, account, permissions (user, group), stakeholders, where former ones went,
    # open deals, closed deals, activity count, history, activity form (deals, contacts),
    # activity page, its contacts, its attendees, the navbar's unread count
    with django_assert_num_queries(17):
        seller_client.get(url)


def test_logging_an_activity_on_a_deal_of_the_account(seller_client, seller):
    deal = DealFactory(owner=seller)
    contact = StakeholderFactory(account=deal.account).contact

    response = seller_client.post(
        reverse("pipeline:account_log_activity", args=[deal.account_id]),
        {
            "kind": "meeting",
            "subject": "Site survey",
            "occurred_at": "2026-11-20T10:00",
            "deal": deal.pk,
            "contacts": [contact.pk],
            "body": "Measured the ballroom.",
        },
    )

    assert response.status_code == 302
    activity = deal.activities.get()
    assert activity.author == seller
    assert list(activity.contacts.all()) == [contact]


def test_an_activity_without_a_subject_is_refused(seller_client):
    account = AccountFactory()

    seller_client.post(
        reverse("pipeline:account_log_activity", args=[account.pk]),
        {"kind": "note", "subject": "", "occurred_at": "2026-11-20T10:00"},
    )

    assert account.activities.count() == 0


def test_a_refused_activity_keeps_what_was_typed(seller_client):
    account = AccountFactory()

    response = seller_client.post(
        reverse("pipeline:account_log_activity", args=[account.pk]),
        {"kind": "note", "subject": "", "occurred_at": "2026-11-20T10:00", "body": "Long notes"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Long notes" in body
    assert "Fill this in." in body
    assert account.activities.count() == 0


@pytest.mark.django_db
def test_activities_filter_by_kind_and_time(lakeside):
    ActivityFactory(
        account=lakeside,
        kind="call",
        subject="Early call",
        occurred_at=dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC),
    )
    ActivityFactory(
        account=lakeside,
        kind="call",
        subject="Late call",
        occurred_at=dt.datetime(2025, 4, 1, 9, tzinfo=dt.UTC),
    )
    ActivityFactory(
        account=lakeside,
        kind="note",
        subject="Late note",
        occurred_at=dt.datetime(2025, 4, 1, 10, tzinfo=dt.UTC),
    )

    data = {"kind": "call", "after": "2025-03-15T00:00:00Z", "account": lakeside.pk}
    activities = ActivityFilter(data, queryset=Activity.objects.all()).qs

    assert [a.subject for a in activities] == ["Late call"]
