from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.catalog.tests.factories import LabourRoleFactory
from tandem.core.services import version_of
from tandem.estimates import access
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import PastProject
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("estimates:past_project_list")
CREATE = reverse("estimates:past_project_create")
IMPORT = reverse("estimates:past_project_import")
CONFIRM = reverse("estimates:past_project_import_confirm")
HEADER = "reference,name,venue_type,screen_area_m2,show_days,hours:Rigger,hours:LED technician\n"


@pytest.fixture
def rigger():
    return LabourRoleFactory(name="Rigger")


@pytest.fixture
def led_tech():
    return LabourRoleFactory(name="LED technician")


def _project(reference="NL-1001", hours=None, **fields):
    if hours is None:
        hours = {LabourRoleFactory(): Decimal("10")}
    values = {"name": f"Project {reference}"} | fields
    return do_create_past_project(None, reference=reference, hours=hours, **values)


def _login(client, role):
    client.force_login(UserFactory(role=role))
    return client


def _form_data(rigger, led_tech, **changes):
    data = {
        "reference": "NL-2001",
        "name": "Keynote at the arena",
        "project_type": "event_staging",
        "venue_type": "arena",
        "screen_area_m2": "180",
        "show_days": "2",
        "completed_on": "2025-03-01",
        f"hours_{rigger.pk}": "240",
        f"hours_{led_tech.pk}": "",
    }
    return data | changes


@pytest.mark.parametrize(
    ("role", "writes"),
    [
        (Role.SELLER, False),
        (Role.FINANCE, False),
        (Role.EXECUTIVE, False),
        (Role.CREW, False),
        (Role.PROJECT_MANAGER, True),
        (Role.RESOURCE_MANAGER, True),
        (Role.ADMIN, True),
    ],
)
def test_everyone_reads_past_projects_and_only_managers_keep_them(client, role, writes, rigger):
    project = _project(name="Orion booth", hours={rigger: Decimal("10")})
    _login(client, role)
    body = client.get(LIST).content.decode()
    assert "Orion booth" in body
    assert ("New past project" in body) is writes
    edit = reverse("estimates:past_project_edit", args=[project.pk])
    for url in (CREATE, edit, IMPORT):
        assert client.get(url).status_code == (200 if writes else 403)
    response = client.post(CREATE, _form_data(rigger, LabourRoleFactory()))
    assert response.status_code == (302 if writes else 403)
    assert PastProject.objects.filter(reference="NL-2001").exists() is writes
    assert client.post(CONFIRM, {"mode": "all"}).status_code == (302 if writes else 403)


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "login" in response.url


def test_only_those_who_may_delete_see_and_use_delete(client, seller_client, rigger):
    project = _project(hours={rigger: Decimal("10")})
    edit = reverse("estimates:past_project_edit", args=[project.pk])
    delete = reverse("estimates:past_project_delete", args=[project.pk])
    assert seller_client.post(delete).status_code == 403
    assert PastProject.objects.exists()
    # Project managers remove a mistaken import themselves.
    _login(client, Role.PROJECT_MANAGER)
    assert "Delete this past project" in client.get(edit).content.decode()
    assert client.post(delete).status_code == 302
    assert not PastProject.objects.exists()


@pytest.mark.parametrize("role", [Role.RESOURCE_MANAGER, Role.ADMIN])
def test_resource_managers_and_admins_delete_past_projects_too(client, role, rigger):
    project = _project(hours={rigger: Decimal("10")})
    _login(client, role)
    assert (
        client.post(reverse("estimates:past_project_delete", args=[project.pk])).status_code == 302
    )
    assert not PastProject.objects.exists()


def test_someone_refused_a_delete_is_told_who_deletes(seller):
    with pytest.raises(PermissionDenied) as refused:
        access.require_past_project_deleter(seller)
    assert str(refused.value) == (
        "Only project managers, resource managers and admins delete past projects."
    )


def test_a_past_project_is_read_by_all_and_changed_only_by_its_keepers(
    seller, project_manager, rigger
):
    project = _project(hours={rigger: Decimal("10")})
    assert access.get_past_project_for_user(seller, project.pk) == project
    assert access.get_past_project_for_user(project_manager, project.pk, write=True) == project
    with pytest.raises(PermissionDenied, match="keep the past projects"):
        access.get_past_project_for_user(seller, project.pk, write=True)


@pytest.mark.parametrize(("role", "status"), [(Role.PROJECT_MANAGER, 404), (Role.SELLER, 403)])
def test_an_unknown_past_project_is_not_found_by_managers_and_refused_to_others(
    client, role, status
):
    _login(client, role)
    # Refused by role before the project is looked up: nothing said of which ones exist.
    assert client.get(reverse("estimates:past_project_edit", args=[999999])).status_code == status
    assert (
        client.post(reverse("estimates:past_project_delete", args=[999999])).status_code == status
    )


def test_the_list_shows_each_project_with_its_hours(seller_client, rigger, led_tech):
    _project(
        reference="NL-1001",
        name="Booth — NAB Show",
        project_type="event_staging",
        venue_type="convention",
        screen_area_m2=Decimal("110"),
        show_days=3,
        hours={rigger: Decimal("360"), led_tech: Decimal("420.5")},
    )
    response = seller_client.get(LIST)
    row = response.context["page_obj"][0]
    assert row.total_hours == Decimal("780.50")
    assert [(h.role.name, h.hours) for h in row.top_hours] == [
        ("LED technician", Decimal("420.50")),
        ("Rigger", Decimal("360.00")),
    ]
    body = response.content.decode()
    for text in ("Booth — NAB Show", "Event staging", "Convention centre", "110 m²", "780.5 h"):
        assert text in body
    assert "LED technician 420.5 h · Rigger 360 h" in body


def test_the_list_filters_by_type_venue_and_words(seller_client, rigger):
    hours = {rigger: Decimal("10")}
    _project("NL-1", name="Orion booth", venue_type="convention", hours=hours)
    _project("NL-2", name="Kestrel gala", venue_type="hotel", hours=hours)
    _project("NL-3", name="Lobby wall", project_type="av_installation", hours=hours)

    def shown(**params):
        page = seller_client.get(LIST, params).context["page_obj"]
        return sorted(p.reference for p in page)

    assert shown(venue_type="hotel") == ["NL-2"]
    assert shown(project_type="av_installation") == ["NL-3"]
    assert shown(q="orion") == ["NL-1"]
    assert shown(q="nl-3") == ["NL-3"]
    assert shown(venue_type="moon") == []


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_takes_the_same_queries_at_5_and_50_rows(
    seller_client, rows, django_assert_num_queries
):
    roles = LabourRoleFactory.create_batch(4)
    for n in range(rows):
        _project(f"NL-{n:04d}", hours={role: Decimal(n + 1) for role in roles[: 1 + n % 4]})
    # session, user, the user's permissions (2), count, page of projects with their totals,
    # their hours with roles, unread notifications (base.html)
    with django_assert_num_queries(8):
        response = seller_client.get(LIST)
    assert len(response.context["page_obj"]) == rows


def test_the_list_is_paginated(seller_client, rigger):
    for n in range(55):
        _project(f"NL-{n:04d}", hours={rigger: Decimal("1")})
    second = seller_client.get(LIST, {"page": 2}).context["page_obj"]
    assert (second.number, len(second), second.paginator.count) == (2, 5, 55)


def test_a_new_past_project_is_saved_with_its_hours(pm_client, rigger, led_tech):
    response = pm_client.post(CREATE, _form_data(rigger, led_tech))
    assert response.status_code == 302
    assert response.url == LIST
    project = PastProject.objects.get()
    assert (project.reference, project.venue_type, project.show_days) == ("NL-2001", "arena", 2)
    assert list(project.hours.values_list("role__name", "hours")) == [("Rigger", Decimal("240.00"))]


def test_a_refused_form_comes_back_with_what_was_typed(pm_client, rigger, led_tech):
    response = pm_client.post(CREATE, _form_data(rigger, led_tech, **{f"hours_{rigger.pk}": "0"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rigger: the hours must be more than 0" in body
    assert 'value="Keynote at the arena"' in body
    assert 'value="0"' in body
    assert not PastProject.objects.exists()


def test_the_form_refuses_a_reference_in_use_on_its_field(pm_client, rigger, led_tech):
    _project("nl-2001", hours={rigger: Decimal("1")})
    response = pm_client.post(CREATE, _form_data(rigger, led_tech))
    assert response.context["form"].errors["reference"] == [
        "Another past project has reference NL-2001."
    ]


def test_the_edit_form_shows_and_replaces_the_hours(pm_client, rigger, led_tech):
    retired = LabourRoleFactory(name="Follow-spot operator", active=False)
    LabourRoleFactory(name="Retired and unused", active=False)
    project = _project(hours={rigger: Decimal("30"), retired: Decimal("8")})
    url = reverse("estimates:past_project_edit", args=[project.pk])
    form = pm_client.get(url).context["form"]
    # Active roles, and the inactive role this project had.
    assert [role.name for role in form.roles] == [
        "Follow-spot operator",
        "LED technician",
        "Rigger",
    ]
    assert form[f"hours_{rigger.pk}"].initial == Decimal("30.00")
    data = _form_data(rigger, led_tech, reference=project.reference, version=version_of(project))
    data |= {f"hours_{led_tech.pk}": "12", f"hours_{retired.pk}": ""}
    assert pm_client.post(url, data).status_code == 302
    assert dict(project.hours.values_list("role__name", "hours")) == {
        "Rigger": Decimal("240.00"),
        "LED technician": Decimal("12.00"),
    }


def test_an_edit_based_on_an_old_copy_is_refused(pm_client, rigger, led_tech):
    project = _project(hours={rigger: Decimal("30")})
    url = reverse("estimates:past_project_edit", args=[project.pk])
    stale = version_of(project)
    data = _form_data(rigger, led_tech, reference=project.reference, version=stale)
    assert pm_client.post(url, data).status_code == 302
    response = pm_client.post(url, data | {"name": "Mine"})
    assert "Someone else changed this" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "Keynote at the arena"


def _upload(client, text, name="projects.csv"):
    return client.post(
        IMPORT, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    )


def test_the_import_dry_runs_then_writes_on_confirmation(pm_client, rigger, led_tech):
    _project("NL-1", hours={rigger: Decimal("5")})
    response = _upload(pm_client, HEADER + "NL-1,Booth,convention,110,3,360,420\nNL-2,Gala,,,,,8\n")
    assert response.context["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "error": 0}
    body = response.content.decode()
    assert "Import past projects" in body
    assert "<th>Reference</th>" in body
    assert PastProject.objects.count() == 1
    response = pm_client.post(CONFIRM, {"mode": "all"})
    assert response.status_code == 302
    assert response.url == LIST
    assert PastProject.objects.get(reference="NL-1").screen_area_m2 == Decimal("110.00")
    assert PastProject.objects.count() == 2
    # The kept upload is gone once used.
    assert "past_project_import" not in pm_client.session


def test_an_import_with_errors_writes_nothing_unless_valid_rows_are_chosen(pm_client, rigger):
    LabourRoleFactory(name="LED technician")
    _upload(pm_client, HEADER + "NL-1,Booth,,,,10,\nNL-2,Broken,,big,,10,\n")
    response = pm_client.post(CONFIRM, {"mode": "all"})
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert not PastProject.objects.exists()
    pm_client.post(CONFIRM, {"mode": "valid"})
    assert list(PastProject.objects.values_list("reference", flat=True)) == ["NL-1"]


def test_an_unknown_role_column_is_reported_and_not_kept(pm_client, rigger):
    response = _upload(pm_client, "reference,name,hours:Clown\nNL-1,Circus,4\n")
    assert "No role is called Clown" in response.content.decode()
    assert "past_project_import" not in pm_client.session
