import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.catalog.tests.factories import LabourRoleFactory
from tandem.core.services import version_of
from tandem.estimates.actuals.services import (
    do_create_past_project,
    do_delete_past_project,
    do_update_past_project,
)
from tandem.estimates.models import PastProject, PastProjectHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def rigger():
    return LabourRoleFactory(name="Rigger")


@pytest.fixture
def led_tech():
    return LabourRoleFactory(name="LED technician")


def _create(hours, **fields):
    values = {"reference": "NL-1001", "name": "Booth at the expo"} | fields
    return do_create_past_project(None, hours=hours, **values)


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


def test_a_past_project_is_recorded_with_the_hours_of_each_role(rigger, led_tech):
    project = _create(
        {rigger: Decimal("120.5"), led_tech: Decimal("80")},
        project_type="event_staging",
        venue_type="convention",
        screen_area_m2=Decimal("110"),
        show_days=3,
        completed_on=dt.date(2025, 5, 1),
    )
    project.refresh_from_db()
    assert (project.reference, project.venue_type, project.screen_area_m2, project.show_days) == (
        "NL-1001",
        "convention",
        Decimal("110.00"),
        3,
    )
    assert project.source == "import"
    assert dict(project.hours.values_list("role__name", "hours")) == {
        "Rigger": Decimal("120.50"),
        "LED technician": Decimal("80.00"),
    }


def test_a_role_with_no_hours_was_not_on_the_project(rigger, led_tech):
    project = _create({rigger: Decimal("10"), led_tech: None})
    assert list(project.hours.values_list("role__name", flat=True)) == ["Rigger"]


def test_a_reference_another_project_has_is_refused_in_any_case(rigger):
    _create({rigger: Decimal("10")}, reference="NL-1001")
    with pytest.raises(ValidationError) as refused:
        _create({rigger: Decimal("10")}, reference=" nl-1001 ")
    assert _errors(refused.value) == {"reference": ["Another past project has reference nl-1001."]}
    assert PastProject.objects.count() == 1


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-4")])
def test_hours_that_are_not_more_than_zero_are_refused(rigger, hours):
    with pytest.raises(ValidationError) as refused:
        _create({rigger: hours})
    assert _errors(refused.value) == {
        "hours": [
            "Rigger: the hours must be more than 0 (leave them empty if the role was not on "
            "the project)."
        ]
    }
    assert not PastProject.objects.exists()


@pytest.mark.parametrize("hours", [{}, "all empty"])
def test_a_project_without_any_role_hours_is_refused(rigger, led_tech, hours):
    if hours == "all empty":
        hours = {rigger: None, led_tech: None}
    with pytest.raises(ValidationError) as refused:
        _create(hours)
    assert "at least one role" in _errors(refused.value)["hours"][0]
    assert not PastProject.objects.exists()


def test_a_completion_date_in_the_future_is_refused(rigger):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _create({rigger: Decimal("10")}, completed_on=tomorrow)
    assert "is in the future" in _errors(refused.value)["completed_on"][0]


def test_today_is_a_fine_completion_date(rigger):
    assert _create({rigger: Decimal("10")}, completed_on=timezone.localdate()).pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reference": "  "}, "reference"),
        ({"name": ""}, "name"),
        ({"venue_type": "moon"}, "venue_type"),
        ({"screen_area_m2": Decimal("-1")}, "screen_area_m2"),
        ({"source": "guess"}, "source"),
    ],
)
def test_bad_fields_are_refused_on_their_field(rigger, fields, field):
    with pytest.raises(ValidationError) as refused:
        _create({rigger: Decimal("10")}, **fields)
    assert field in _errors(refused.value)
    assert not PastProject.objects.exists()


def test_hours_with_too_many_places_are_refused_by_role(rigger):
    with pytest.raises(ValidationError) as refused:
        _create({rigger: Decimal("10.125")})
    assert _errors(refused.value)["hours"][0].startswith("Rigger: ")


def test_an_update_replaces_the_hours_and_moves_updated_at(rigger, led_tech):
    project = _create({rigger: Decimal("10"), led_tech: Decimal("20")})
    before = project.updated_at
    updated = do_update_past_project(
        project, None, {"name": "Booth, corrected"}, hours={rigger: Decimal("12"), led_tech: None}
    )
    assert updated.name == "Booth, corrected"
    assert updated.updated_at > before
    assert dict(PastProjectHours.objects.values_list("role__name", "hours")) == {
        "Rigger": Decimal("12.00")
    }


def test_changing_only_the_hours_still_moves_updated_at(rigger):
    project = _create({rigger: Decimal("10")})
    updated = do_update_past_project(project, None, {}, hours={rigger: Decimal("11")})
    assert updated.updated_at > project.updated_at


def test_an_update_that_changes_nothing_writes_nothing(rigger):
    project = _create({rigger: Decimal("10")}, name="Booth")
    updated = do_update_past_project(project, None, {"name": "Booth"}, hours={rigger: 10})
    assert updated.updated_at == project.updated_at


def test_an_update_keeps_the_hours_when_none_are_given(rigger):
    project = _create({rigger: Decimal("10")})
    do_update_past_project(project, None, {"show_days": 2})
    assert list(project.hours.values_list("hours", flat=True)) == [Decimal("10.00")]


def test_an_update_is_checked_like_a_creation(rigger):
    _create({rigger: Decimal("10")}, reference="NL-1")
    project = _create({rigger: Decimal("10")}, reference="NL-2")
    with pytest.raises(ValidationError) as refused:
        do_update_past_project(project, None, {"reference": "nl-1"})
    assert "reference" in _errors(refused.value)
    with pytest.raises(ValidationError) as refused:
        do_update_past_project(project, None, {}, hours={rigger: None})
    assert "hours" in _errors(refused.value)
    project.refresh_from_db()
    assert project.reference == "NL-2"
    assert project.hours.count() == 1


def test_an_update_from_an_old_copy_is_refused(rigger):
    project = _create({rigger: Decimal("10")})
    old_version = version_of(project)
    do_update_past_project(project, None, {"name": "First"})
    with pytest.raises(ValidationError, match="Someone else changed this"):
        do_update_past_project(project, None, {"name": "Second"}, version=old_version)
    project.refresh_from_db()
    assert project.name == "First"


def test_deleting_a_project_deletes_its_hours(rigger):
    project = _create({rigger: Decimal("10")})
    do_delete_past_project(project, None)
    assert not PastProject.objects.exists()
    assert not PastProjectHours.objects.exists()
