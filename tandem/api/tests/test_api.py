"""The API as a whole: signing in, the schema and docs, versions and query counts."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.core.tests.api_clients import DEALS, as_user, deal_url, names
from tandem.crm.tests.factories import (
    AccountFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)
from tandem.pipeline.models import Stage
from tandem.pipeline.tests.factories import ActivityFactory, CloseDateChangeFactory, DealFactory

pytestmark = pytest.mark.django_db


# Signing in


def test_a_token_from_the_token_endpoint_signs_api_requests_in(seller):
    DealFactory(name="Auditorium refit", owner=seller)
    client = APIClient()

    token = client.post("/api/v1/auth/token/", {"username": "sam", "password": "pw"})
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.data['token']}")
    response = client.get(DEALS)

    assert token.status_code == 200
    assert response.status_code == 200
    assert names(response) == {"Auditorium refit"}


def test_the_token_endpoint_refuses_a_wrong_password(seller):
    response = APIClient().post("/api/v1/auth/token/", {"username": "sam", "password": "nope"})

    assert response.status_code == 400
    assert "token" not in response.data


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/accounts/",
        "/api/v1/contacts/",
        "/api/v1/stakeholders/",
        "/api/v1/activities/",
        "/api/v1/stages/",
        DEALS,
    ],
)
def test_anonymous_requests_are_refused_with_401(url):
    client = APIClient()

    read = client.get(url)
    write = client.post(url, {"name": "Sneaky"})

    assert read.status_code == 401
    assert read.headers["WWW-Authenticate"] == "Token"
    assert write.status_code == 401


def test_anonymous_cannot_read_one_deal():
    deal = DealFactory()

    response = APIClient().get(deal_url(deal))

    assert response.status_code == 401


def test_a_user_without_a_role_group_is_refused(seller):
    seller.groups.clear()

    response = as_user(seller).get(DEALS)

    assert response.status_code == 403


def test_the_schema_needs_a_signed_in_client(finance):
    anonymous = APIClient().get("/api/schema/")
    response = as_user(finance).get("/api/schema/")

    assert anonymous.status_code == 403
    assert response.status_code == 200
    assert b"/api/v1/deals/{id}/close-date-changes/" in response.content


def test_the_docs_page_is_closed_to_an_outsider(client):
    response = client.get("/api/docs/")

    assert response.status_code == 403


# Optimistic concurrency


STALE = "Someone else changed this since you opened it. Your changes were not saved: "


@pytest.mark.parametrize(
    ("make", "path", "field"),
    [
        (lambda user: AccountFactory(name="Original"), "accounts", "name"),
        (lambda user: ContactFactory(first_name="Original"), "contacts", "first_name"),
        (lambda user: StakeholderFactory(title="Original"), "stakeholders", "title"),
        (lambda user: DealFactory(owner=user, name="Original"), "deals", "name"),
    ],
)
def test_an_edit_based_on_a_stale_version_is_a_409_and_changes_nothing(seller, make, path, field):
    row = make(seller)
    url = f"/api/v1/{path}/{row.pk}/"
    client = as_user(seller)
    version = client.get(url).data["version"]
    # Someone else saves in between.
    type(row).objects.filter(pk=row.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=1))

    response = client.patch(url, {field: "Mine", "version": version}, format="json")

    assert response.status_code == 409
    assert response.data["detail"].startswith(STALE)
    row.refresh_from_db()
    assert getattr(row, field) == "Original"


@pytest.mark.parametrize(
    ("make", "path", "field"),
    [
        (lambda user: AccountFactory(), "accounts", "name"),
        (lambda user: ContactFactory(), "contacts", "first_name"),
        (lambda user: StakeholderFactory(), "stakeholders", "title"),
        (lambda user: DealFactory(owner=user), "deals", "name"),
    ],
)
def test_an_edit_based_on_the_current_version_goes_through(seller, make, path, field):
    row = make(seller)
    url = f"/api/v1/{path}/{row.pk}/"
    client = as_user(seller)
    version = client.get(url).data["version"]

    response = client.patch(url, {field: "Mine", "version": version}, format="json")

    assert response.status_code == 200
    assert response.data[field] == "Mine"
    assert response.data["version"] != version


# Query counts: every list costs the same however many rows it shows.


def _close_date_changes(rows: int) -> str:
    deal = DealFactory()
    CloseDateChangeFactory.create_batch(rows, deal=deal)
    return deal_url(deal, "close-date-changes")


def _stages(rows: int) -> str:
    for i in range(rows):
        Stage.objects.create(name=f"Step {i}", order=100 + i)
    return "/api/v1/stages/"


def _activities(rows: int) -> str:
    for activity in ActivityFactory.create_batch(rows):
        activity.contacts.add(ContactFactory())
        activity.attendees.add(activity.author)
    return "/api/v1/activities/"


LISTS = {
    # Each list: session, user, the user's own permissions, their group's permissions,
    # COUNT(*) and the page of rows with its foreign keys joined ...
    "accounts": (lambda n: AccountFactory.create_batch(n) and "/api/v1/accounts/", 6),
    # ... plus the prefetched emails and phones ...
    "contacts": (lambda n: ContactEmailFactory.create_batch(n) and "/api/v1/contacts/", 8),
    "stakeholders": (lambda n: StakeholderFactory.create_batch(n) and "/api/v1/stakeholders/", 6),
    # ... plus the prefetched contacts and attendees ...
    "activities": (_activities, 8),
    "stages": (_stages, 6),
    "deals": (lambda n: DealFactory.create_batch(n) and DEALS, 6),
    # ... plus the deal itself before COUNT(*) and the page of changes.
    "close-date-changes": (_close_date_changes, 7),
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("endpoint", LISTS)
def test_each_list_takes_the_same_number_of_queries_for_5_or_50_rows(
    django_assert_num_queries, executive, endpoint, rows
):
    make, queries = LISTS[endpoint]
    url = make(rows)
    client = as_user(executive)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.data["results"]) == min(rows + (7 if endpoint == "stages" else 0), 50)


@pytest.mark.django_db
def test_the_interactive_docs_are_served_from_our_own_static_files(client, finance):
    client.force_login(finance)
    body = client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn." not in body
