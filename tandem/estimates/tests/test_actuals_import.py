import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.catalog.tests.factories import LabourRoleFactory
from tandem.estimates.actuals.imports import do_import_past_projects, dry_run
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import PastProject, PastProjectHours

pytestmark = pytest.mark.django_db
HEADER = (
    "reference,name,project_type,venue_type,screen_area_m2,show_days,completed_on,"
    "hours:Union rigger (IATSE),hours:LED technician\n"
)
GOOD = "NL-1,Booth at the expo,event_staging,convention,110,3,2025-04-30,360,420\n"


@pytest.fixture(autouse=True)
def roles():
    return {
        "rigger": LabourRoleFactory(name="Union rigger (IATSE)"),
        "led": LabourRoleFactory(name="LED technician"),
    }


def csv_file(body: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO((header + body).encode())


def _errors(report) -> dict[str, list[str]]:
    return {row.key: row.errors for row in report.rows if row.errors}


def test_a_good_file_dry_runs_to_created_rows_and_writes_nothing():
    report = dry_run(csv_file(GOOD + "NL-2,Gala,Event staging,Hotel,,1,,,12.5\n"))
    assert not report.file_errors
    assert [(row.line, row.key, row.status) for row in report.rows] == [
        (2, "NL-1", "created"),
        (3, "NL-2", "created"),
    ]
    values = report.rows[1].values
    assert (values["project_type"], values["venue_type"], values["screen_area_m2"]) == (
        "event_staging",
        "hotel",
        None,
    )
    assert not PastProject.objects.exists()


def test_headers_and_role_names_are_case_and_space_insensitive(roles):
    header = " Reference , NAME, Hours : led   TECHNICIAN \n"
    report = dry_run(csv_file("NL-1,Booth,40\n", header))
    assert not report.file_errors
    assert report.columns == ("reference", "name", "hours:LED technician")
    assert report.rows[0].values["hours"] == {roles["led"]: Decimal("40.00")}


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("reference,project_type,hours:LED technician\n", "Missing column(s): name."),
        ("reference,name,budget,hours:LED technician\n", "Unknown column(s): budget."),
        ("reference,name,name,hours:LED technician\n", "Repeated column(s): name."),
        ("reference,name,show_days\n", "No hours columns"),
    ],
)
def test_wrong_or_missing_columns_are_a_file_error(header, words):
    report = dry_run(csv_file("NL-1,Booth,3\n", header))
    assert not report.rows
    assert words in " ".join(report.file_errors)


def test_a_column_for_an_unknown_role_is_a_file_error_naming_it():
    header = "reference,name,hours:Rigger,hours:LED technician,hours:Clown\n"
    report = dry_run(csv_file("NL-1,Booth,1,2,3\n", header))
    assert report.file_errors == [
        "No role is called Rigger, Clown (columns hours:Rigger, hours:Clown). Roles: LED "
        "technician, Union rigger (IATSE). Add the role to the rate cards first, or rename "
        "the column."
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",Booth,,,,,,1,", "Reference is missing."),
        ("NL-1,,,,,,,1,", "Name is missing."),
        ("NL-1,Booth,wedding,,,,,1,", "Unknown project type “wedding”"),
        ("NL-1,Booth,,barn,,,,1,", "Unknown venue type “barn”"),
        ("NL-1,Booth,,,big,,,1,", "Screen area is not a number: “big”."),
        ("NL-1,Booth,,,-5,,,1,", "Screen area cannot be negative (-5)."),
        ("NL-1,Booth,,,1000000,,,1,", "Screen area is too large (1000000)."),
        ("NL-1,Booth,,,,2.5,,1,", "Show days is not a whole number: “2.5”."),
        ("NL-1,Booth,,,,400,,1,", "Show days must be between 0 and 366 (400)."),
        ("NL-1,Booth,,,,,31/12/2024,1,", "Completed on is not a date like 2025-03-31"),
        ("NL-1,Booth,,,,,,x,", "hours:Union rigger (IATSE) is not a number: “x”."),
        ("NL-1,Booth,,,,,,0,", "hours:Union rigger (IATSE) must be more than 0"),
        ("NL-1,Booth,,,,,,1.255,", "has more than 2 decimal places"),
        ("NL-1,Booth,,,,,,,", "Give the hours of at least one role"),
        ("NL-1,Booth,,,,", "Expected 9 values, found 6."),
    ],
)
def test_a_bad_cell_is_an_error_on_its_row_and_the_other_rows_stay_valid(row, message):
    report = dry_run(csv_file(row + "\nNL-9,Good,,,,,,1,\n"))
    assert not report.file_errors
    assert report.rows[0].status == "error"
    assert message in " ".join(report.rows[0].errors)
    assert report.rows[1].status == "created"


def test_a_completion_date_in_the_future_is_an_error():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    report = dry_run(csv_file(f"NL-1,Booth,,,,,{tomorrow.isoformat()},1,\n"))
    assert "is in the future" in report.rows[0].errors[0]


def test_a_reference_twice_in_the_file_is_an_error_on_both_lines():
    report = dry_run(csv_file(GOOD + "nl-1,Again,,,,,,1,\nNL-3,Other,,,,,,1,\n"))
    assert _errors(report) == {
        "NL-1": ["Reference NL-1 is repeated on line 3."],
        "nl-1": ["Reference nl-1 is also on line 2."],
    }
    assert report.rows[2].status == "created"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "The file is empty: it needs a header line and at least one past project."),
        (HEADER.encode(), "The file has a header but no past projects."),
        (b"\x00\x01binary", "This is not a CSV text file"),
        ((HEADER + "NL-1,Caf\xe9,,,,,,1,\n").encode("cp1252"), "The file is not UTF-8 text."),
    ],
)
def test_a_file_that_cannot_be_read_is_one_file_error(content, words):
    report = dry_run(io.BytesIO(content))
    assert words in report.file_errors[0]
    assert not report.rows


def test_a_known_reference_updates_that_project_and_says_what_changes(roles):
    do_create_past_project(
        None,
        reference="NL-1",
        name="Booth at the expo",
        project_type="event_staging",
        venue_type="convention",
        screen_area_m2=Decimal("110"),
        show_days=3,
        completed_on=dt.date(2025, 4, 30),
        hours={roles["rigger"]: Decimal("360"), roles["led"]: Decimal("400")},
    )
    report = dry_run(csv_file("nl-1,Booth at the expo,event_staging,convention,110,4,,360,420\n"))
    row = report.rows[0]
    assert (row.key, row.status) == ("nl-1", "updated")
    assert row.changed == ["show_days", "completed_on", "hours:LED technician"]
    # The existing spelling of the reference is kept.
    assert row.values["reference"] == "NL-1"
    assert dry_run(csv_file(GOOD.replace("420", "400"))).rows[0].status == "unchanged"


def test_the_import_writes_new_and_updated_projects_with_their_hours(roles):
    do_create_past_project(
        None, reference="NL-1", name="Old name", hours={roles["led"]: Decimal("5")}
    )
    header = "reference,name,hours:Union rigger (IATSE)\n"
    report = do_import_past_projects(None, csv_file("NL-1,New name,30\nNL-2,Gala,12\n", header))
    assert report.written
    assert report.counts == {"created": 1, "updated": 1, "unchanged": 0, "error": 0}
    hours = PastProjectHours.objects.order_by("project__reference", "role__name")
    assert list(hours.values_list("project__reference", "role__name", "hours")) == [
        # The file has no LED column: the LED hours NL-1 had are kept.
        ("NL-1", "LED technician", Decimal("5.00")),
        ("NL-1", "Union rigger (IATSE)", Decimal("30.00")),
        ("NL-2", "Union rigger (IATSE)", Decimal("12.00")),
    ]
    assert PastProject.objects.get(reference="NL-1").name == "New name"


def test_an_empty_hours_cell_removes_the_role_from_a_known_project(roles):
    project = do_create_past_project(
        None,
        reference="NL-1",
        name="Booth",
        hours={roles["rigger"]: Decimal("5"), roles["led"]: Decimal("6")},
    )
    before = project.updated_at
    do_import_past_projects(None, csv_file("NL-1,Booth,,,,,,,6\n"))
    project.refresh_from_db()
    assert list(project.hours.values_list("role__name", flat=True)) == ["LED technician"]
    # The predictions' cache reads this to know the actuals changed.
    assert project.updated_at > before


def test_with_errors_nothing_is_written_unless_valid_rows_are_chosen():
    fileobj = csv_file(GOOD + "NL-2,Broken,,,big,,,1,\n")
    with pytest.raises(ValidationError, match="1 row\\(s\\) have errors; nothing was imported"):
        do_import_past_projects(None, fileobj)
    assert not PastProject.objects.exists()
    fileobj.seek(0)
    report = do_import_past_projects(None, fileobj, valid_rows_only=True)
    assert report.counts["error"] == 1
    assert list(PastProject.objects.values_list("reference", flat=True)) == ["NL-1"]


def test_a_file_error_refuses_the_import():
    with pytest.raises(ValidationError, match="Missing column"):
        do_import_past_projects(None, csv_file("x\n", "reference\n"), valid_rows_only=True)


@pytest.mark.parametrize("rows", [5, 50])
def test_a_dry_run_takes_three_queries_whatever_the_length(rows, django_assert_num_queries):
    body = "".join(f"NL-{n},Project {n},,,{n},2,,{n + 1},{n + 2}\n" for n in range(rows))
    # the roles, the past projects, their hours
    with django_assert_num_queries(3):
        report = dry_run(csv_file(body))
    assert report.counts["created"] == rows
