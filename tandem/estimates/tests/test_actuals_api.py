"""The past-project endpoints: everyone who reads estimates reads them, estimators keep
them, with the hours each role took."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tandem.catalog.tests.factories import LabourRoleFactory
from tandem.core.tests.api_clients import as_user
from tandem.estimates.models import PastProject, PastProjectHours
from tandem.estimates.tests.api_data import (
    PAST,
    at,
    count_queries,
    days,
    new_project,
    past_project,
    rigger_with_rate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm_api(project_manager) -> APIClient:
    return as_user(project_manager)


@pytest.fixture
def rigger():
    return rigger_with_rate()


def test_everyone_who_reads_estimates_reads_past_projects_with_their_hours(finance, rigger):
    project = past_project(1, rigger, project_type="event_staging")
    past_project(2, rigger)
    client = as_user(finance)

    def references(**params):
        return [row["reference"] for row in client.get(PAST, params).data["results"]]

    one = client.get(at(PAST, project))

    # Newest first, as on the page.
    assert references() == ["P-0002", "P-0001"]
    assert references(project_type="event_staging") == ["P-0001"]
    assert references(q="project 2") == ["P-0002"]
    assert references(ordering="reference") == ["P-0001", "P-0002"]
    assert client.get(PAST, {"venue_type": "moon"}).status_code == 400
    assert one.data["hours"] == [{"role": rigger.pk, "role_name": "Rigger", "hours": "320.00"}]
    assert one.data["source"] == "import"


def test_an_estimator_records_a_past_project_with_its_hours(pm_api, rigger):
    response = pm_api.post(PAST, new_project(rigger), format="json")

    assert response.status_code == 201, response.data
    assert response.data["hours"] == [{"role": rigger.pk, "role_name": "Rigger", "hours": "412.50"}]
    project = PastProject.objects.get()
    assert (project.reference, project.show_days) == ("NL-101", 4)
    assert project.hours.get().hours == Decimal("412.50")


@pytest.mark.parametrize("persona", ["seller", "finance", "executive"])
def test_only_estimators_keep_past_projects(request, rigger, persona):
    project = past_project(1, rigger)
    client = as_user(request.getfixturevalue(persona))

    created = client.post(PAST, new_project(rigger), format="json")
    changed = client.patch(at(PAST, project), {"name": "Mine"}, format="json")

    assert (created.status_code, changed.status_code) == (403, 403)
    assert list(PastProject.objects.values_list("name", flat=True)) == ["Project 1"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "nl-7"}, "reference"),
        ({"completed_on": days(3).isoformat()}, "completed_on"),
        ({"completed_on": "last spring"}, "completed_on"),
        ({"screen_area_m2": "-1"}, "screen_area_m2"),
        ({"show_days": "four"}, "show_days"),
        ({"venue_type": "moon"}, "venue_type"),
        ({"hours": []}, "hours"),
        ({"hours": [{"role": 999999, "hours": "10"}]}, "hours"),
        ({"hours": [{"hours": "10"}]}, "hours"),
        ({"hours": "lots"}, "hours"),
    ],
)
def test_a_bad_past_project_is_a_400_on_the_field_and_writes_nothing(pm_api, rigger, change, field):
    PastProject.objects.create(reference="NL-7", name="Existing")

    response = pm_api.post(PAST, new_project(rigger, **change), format="json")

    assert response.status_code == 400
    assert field in response.data
    assert PastProject.objects.count() == 1
    assert not PastProjectHours.objects.exists()


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (["0"], "Rigger: the hours must be more than 0"),
        (["-5"], "Rigger: the hours must be more than 0"),
        (["10", "20"], "One entry per role: Rigger twice."),
    ],
)
def test_bad_hours_are_refused_naming_the_role(pm_api, rigger, hours, words):
    body = new_project(rigger, hours=[{"role": rigger.pk, "hours": h} for h in hours])

    response = pm_api.post(PAST, body, format="json")

    assert response.status_code == 400
    assert words in " ".join(response.data["hours"])
    assert not PastProject.objects.exists()


def test_a_past_project_update_replaces_its_hours_and_checks_the_version(pm_api, rigger):
    project = past_project(1, rigger)
    programmer = LabourRoleFactory(name="Programmer")
    url = at(PAST, project)
    version = pm_api.get(url).data["version"]

    updated = pm_api.patch(
        url,
        {"version": version, "hours": [{"role": programmer.pk, "hours": "40"}]},
        format="json",
    )
    stale = pm_api.patch(url, {"version": version, "name": "Mine"}, format="json")

    assert updated.status_code == 200, updated.data
    assert [row["role_name"] for row in updated.data["hours"]] == ["Programmer"]
    assert stale.status_code == 409
    assert stale.data["detail"].startswith("Someone else changed this")
    project.refresh_from_db()
    assert project.name == "Project 1"


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
def test_the_past_project_list_takes_the_same_number_of_queries_for_5_or_50_projects(
    request, persona, rigger
):
    client = as_user(request.getfixturevalue(persona))
    for n in range(5):
        past_project(n, rigger)
    few, shown_few = count_queries(client, PAST)
    for n in range(5, 50):
        past_project(n, rigger)

    many, shown_many = count_queries(client, PAST)

    assert (shown_few, shown_many) == (5, 50)
    # Session, user, the user's permissions and their group's, COUNT(*), the page, and the
    # page's hours with their roles.
    assert few == many == 7
