"""Stages and activities through the API (deals are in test_api_deals.py)."""

import pytest

from tandem.core.tests.api_clients import as_user
from tandem.crm.tests.factories import AccountFactory, ContactFactory
from tandem.pipeline.models import Activity, Stage
from tandem.pipeline.tests.factories import ActivityFactory, DealFactory, stage

pytestmark = pytest.mark.django_db


# Stages


def test_everyone_reads_the_stages_in_order(finance):
    response = as_user(finance).get("/api/v1/stages/")

    assert response.status_code == 200
    assert [row["name"] for row in response.data["results"]] == [
        "Qualify",
        "Discovery",
        "Proposal",
        "Negotiation",
        "Verbal commit",
        "Won",
        "Lost",
    ]


@pytest.mark.parametrize("persona", ["seller", "project_manager", "executive", "finance"])
def test_only_admins_change_stages(request, persona):
    client = as_user(request.getfixturevalue(persona))
    qualify = stage("Qualify")

    created = client.post("/api/v1/stages/", {"name": "Scoping", "order": 20})
    edited = client.patch(f"/api/v1/stages/{qualify.pk}/", {"probability": 5})

    assert (created.status_code, edited.status_code) == (403, 403)
    assert not Stage.objects.filter(name="Scoping").exists()


def test_an_admin_adds_and_edits_a_stage(admin_user):
    client = as_user(admin_user)

    created = client.post("/api/v1/stages/", {"name": "Scoping", "order": 20, "probability": 15})
    edited = client.patch(f"/api/v1/stages/{created.data['id']}/", {"probability": 25})

    assert created.status_code == 201
    assert edited.status_code == 200
    assert Stage.objects.get(name="Scoping").probability == 25


def test_a_stage_cannot_be_both_won_and_lost(admin_user):
    response = as_user(admin_user).post(
        "/api/v1/stages/", {"name": "Confused", "order": 30, "is_won": True, "is_lost": True}
    )

    assert response.status_code == 400
    assert set(response.data) == {"non_field_errors"}
    assert not Stage.objects.filter(name="Confused").exists()


# Activities


def test_an_activity_is_logged_with_the_requester_as_author(seller, other_seller):
    account = AccountFactory()
    contact = ContactFactory()

    response = as_user(seller).post(
        "/api/v1/activities/",
        {
            "account": account.pk,
            "kind": "call",
            "subject": "Budget call",
            "contacts": [contact.pk],
            "attendees": [other_seller.pk],
            "author": other_seller.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    activity = Activity.objects.get()
    assert activity.author == seller
    assert list(activity.contacts.all()) == [contact]
    assert list(activity.attendees.all()) == [other_seller]
    assert response.data["author_name"] == "Sam Seller"


def test_an_activity_on_another_accounts_deal_is_refused(seller):
    response = as_user(seller).post(
        "/api/v1/activities/",
        {"account": AccountFactory().pk, "deal": DealFactory().pk, "subject": "Mixed up"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"deal": ["That deal belongs to another account."]}
    assert Activity.objects.count() == 0


def test_activities_cannot_be_edited(seller):
    activity = ActivityFactory(author=seller)

    response = as_user(seller).patch(f"/api/v1/activities/{activity.pk}/", {"subject": "New"})

    assert response.status_code == 405
